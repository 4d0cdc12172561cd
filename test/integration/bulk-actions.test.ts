import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BulkActionFaults } from '../../activities/bulk-action.activities';
import { insertBulkAction } from '../../db/writes/bulk-actions';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import {
  BULK_ACTION_WORKFLOW_TYPE,
  type BulkActionInput,
  bulkActionProgressQuery,
  bulkActionWorkflowId,
} from '../../workflows/bulk-action/definitions';
import { CODEC_TOKEN, eventually, type Stack, sampleEvent, startStack } from '../support/stack';

/** What the tests make the bulk actions' pages meet (test/support/stack.ts → worker/worker.ts). */
let afterCommand: BulkActionFaults['afterCommand'];

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let apiKey: string;
let other: Client;

beforeAll(async () => {
  stack = await startStack({ bulkActionFaults: { afterCommand: (info) => afterCommand?.(info) } });
  ({ client: api, key: apiKey } = await stack.createOrganization());
  other = (await stack.createOrganization()).client;
});
afterAll(() => stack.close());

async function newEvent(client: Client = api) {
  const res = await client('POST', '/v1/events', sampleEvent());
  expect(res.status).toBe(201);
  return res.json.id as string;
}

/** Invites people without email, one request each; returns their ids in order. */
async function invite(eventId: string, emails: string[], client: Client = api, extra: object = {}) {
  const ids: string[] = [];
  for (const email of emails) {
    const res = await client('POST', `/v1/events/${eventId}/attendees`, {
      email,
      firstName: 'Bulk',
      lastName: 'Person',
      sendEmail: false,
      ...extra,
    });
    expect(res.status).toBe(201);
    ids.push(res.json.id);
  }
  return ids;
}

const addresses = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);

async function act(eventId: string, attendeeId: string, action: string) {
  const res = await api('POST', `/v1/events/${eventId}/attendees/${attendeeId}/actions/${action}`);
  expect(res.status).toBe(200);
}

const start = (eventId: string, body: object, client: Client = api, headers: Record<string, string> = {}) =>
  client('POST', `/v1/events/${eventId}/bulk-actions`, body, headers);

async function finished(eventId: string, id: string, timeoutMs = 45_000) {
  return eventually(async () => {
    const res = await api('GET', `/v1/events/${eventId}/bulk-actions/${id}`);
    expect(res.status).toBe(200);
    return res.json.status === 'running' ? undefined : res.json;
  }, timeoutMs);
}

async function statusTotal(eventId: string, query: string) {
  const res = await api('GET', `/v1/events/${eventId}/attendees?limit=1&${query}`);
  expect(res.status).toBe(200);
  return res.json.total as number;
}

/** results.csv as rows of cells (the header dropped), keyed by attendee id. */
async function results(eventId: string, id: string) {
  const res = await api('GET', `/v1/events/${eventId}/bulk-actions/${id}/results.csv`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const lines = res.text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);
  expect(lines[0]).toBe('attendee_id,email,outcome,reason');
  return { lines: lines.slice(1), text: res.text };
}

const BLOCKED_AGAIN = 'action_not_allowed: Blocking is not allowed while the attendee is blocked.';

describe('the OpenAPI document', () => {
  it('describes every bulk-action route', async () => {
    const doc = (await api('GET', '/openapi.json')).json;
    const base = '/v1/events/{eventId}/bulk-actions';
    const expected: [string, string, string][] = [
      [base, 'post', '202'],
      [base, 'post', '200'],
      [base, 'get', '200'],
      [`${base}/{bulkActionId}`, 'get', '200'],
      [`${base}/{bulkActionId}/cancel`, 'post', '200'],
      [`${base}/{bulkActionId}/events`, 'get', '200'],
      [`${base}/{bulkActionId}/results.csv`, 'get', '200'],
    ];
    for (const [path, method, status] of expected) {
      expect(doc.paths[path]?.[method]?.responses?.[status], `${method} ${path} ${status}`).toBeDefined();
    }
    const body = doc.components.schemas.StartBulkAction;
    expect(Object.keys(body.properties).sort()).toEqual(
      ['action', 'attendeeIds', 'dryRun', 'filter', 'message', 'pageSize'].sort(),
    );
  });
});

describe('a bulk action on a filter', () => {
  it('blocks exactly the attendees the filter matches, through their workflows, with exact counts', async () => {
    const eventId = await newEvent();
    const ids = await invite(eventId, addresses('filter', 12));
    await invite(eventId, ['speaker@example.org'], api, { roles: ['speaker'] });
    // Two already blocked: not `invited`, so the filter leaves them out.
    await act(eventId, ids[0] as string, 'block');
    await act(eventId, ids[1] as string, 'block');

    const res = await start(eventId, { action: 'block', filter: { status: 'invited' }, pageSize: 4 });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      eventId,
      action: 'block',
      status: 'running',
      filter: { status: 'invited' },
      totals: { matched: 11, eligible: 11, skipped: 0, skippedByReason: [] },
    });
    const done = await finished(eventId, res.json.id);
    expect(done.status).toBe('completed');
    expect(done.progress).toEqual({
      processed: 11,
      done: 11,
      skipped: 0,
      failed: 0,
      cancelled: 0,
      notProcessed: 0,
      skippedByReason: [],
    });
    expect(done.finishedAt).not.toBeNull();
    expect(await statusTotal(eventId, 'status=blocked')).toBe(13);
    expect(await statusTotal(eventId, 'status=invited')).toBe(0);
    // Each went through its own workflow: the history says who blocked them.
    const one = await api('GET', `/v1/events/${eventId}/attendees/${ids[5]}`);
    expect(one.json.history.at(-1)).toMatchObject({ status: 'blocked', detailedStatus: 'blocked' });
    expect(one.json.history.at(-1).by).toMatch(/^api_key:/);
  });

  it('skips, with the rules’ reason, the attendees whose status does not allow the action, never forcing it', async () => {
    const eventId = await newEvent();
    const ids = await invite(eventId, addresses('rules', 6));
    await act(eventId, ids[0] as string, 'block');
    await act(eventId, ids[1] as string, 'block');

    const res = await start(eventId, { action: 'block', filter: {} });
    expect(res.status).toBe(202);
    expect(res.json.totals).toEqual({
      matched: 6,
      eligible: 4,
      skipped: 2,
      skippedByReason: [{ reason: BLOCKED_AGAIN, count: 2 }],
    });
    const done = await finished(eventId, res.json.id);
    expect(done.progress).toEqual({
      processed: 6,
      done: 4,
      skipped: 2,
      failed: 0,
      cancelled: 0,
      notProcessed: 0,
      skippedByReason: [{ reason: BLOCKED_AGAIN, count: 2 }],
    });

    // unblock returns each to where they were; resend_email is not allowed for blocked people.
    const unblock = await start(eventId, { action: 'unblock', attendeeIds: ids.slice(0, 3) });
    expect((await finished(eventId, unblock.json.id)).progress).toMatchObject({ done: 3, skipped: 0 });
    const resend = await start(eventId, { action: 'resend_email', filter: {} });
    const resent = await finished(eventId, resend.json.id);
    expect(resent.progress).toMatchObject({
      processed: 6,
      done: 3,
      skipped: 3,
      skippedByReason: [
        {
          reason: 'action_not_allowed: Resending the email is not allowed while the attendee is blocked.',
          count: 3,
        },
      ],
    });
    expect(await statusTotal(eventId, 'status=invited')).toBe(3);
    expect(await statusTotal(eventId, 'status=blocked')).toBe(3);
  });

  it('selects with the list’s own filter semantics: q case- and accent-insensitive, role, language', async () => {
    const eventId = await newEvent();
    await invite(eventId, ['Zoe.Accent@example.org', 'plain@example.org']);
    await invite(eventId, ['speaker@example.org'], api, {
      roles: ['speaker'],
      language: 'de',
      firstName: 'Zoë',
    });
    const dry = (filter: object) => start(eventId, { action: 'block', filter, dryRun: true });
    for (const [filter, expected] of [
      [{ q: 'ZOE' }, 2],
      [{ q: 'zoë' }, 2],
      [{ role: 'speaker' }, 1],
      [{ language: 'de', q: 'zo' }, 1],
      [{ q: '   ' }, 3],
      [{}, 3],
    ] as const) {
      const list = await api(
        'GET',
        `/v1/events/${eventId}/attendees?${new URLSearchParams(filter as Record<string, string>)}`,
      );
      const res = await dry(filter);
      expect(res.status).toBe(200);
      expect(res.json.totals.matched).toBe(expected);
      expect(res.json.totals.matched).toBe(list.json.total);
    }
  });

  it('removes the matching attendees: they leave the list and their address may be invited again', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('gone', 3));
    await invite(eventId, addresses('stay', 2));
    const res = await start(eventId, { action: 'remove', filter: { q: 'gone' } });
    const done = await finished(eventId, res.json.id);
    expect(done.progress).toMatchObject({ processed: 3, done: 3, skipped: 0 });
    expect(await statusTotal(eventId, '')).toBe(2);
    // The removed people's results still name them.
    const { lines } = await results(eventId, res.json.id);
    expect(lines.map((l) => l.split(',').slice(1))).toEqual(
      addresses('gone', 3).map((email) => [email, 'done', '']),
    );
    await invite(eventId, ['gone0@example.org']);
  });
});

describe('a bulk action on attendee ids', () => {
  it('acts on the ids in order, skipping as not_found every id that is not this event’s attendee, without leaking it', async () => {
    const eventId = await newEvent();
    const ids = await invite(eventId, addresses('ids', 4));
    const otherEvent = await newEvent();
    const [elsewhere] = await invite(otherEvent, ['elsewhere@example.org']);
    const foreignEvent = await newEvent(other);
    const [foreign] = await invite(foreignEvent, ['foreign@example.org'], other);
    const unknown = randomUUID();
    const attendeeIds = [ids[2], unknown, ids[0], elsewhere, ids[2], foreign] as string[];

    const dry = await start(eventId, { action: 'block', attendeeIds, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json).toEqual({
      action: 'block',
      dryRun: true,
      totals: { matched: 5, eligible: 2, skipped: 3, skippedByReason: [{ reason: 'not_found', count: 3 }] },
    });

    const res = await start(eventId, { action: 'block', attendeeIds });
    expect(res.status).toBe(202);
    expect(res.json.totals).toEqual(dry.json.totals);
    expect(res.json.filter).toBeNull();
    const done = await finished(eventId, res.json.id);
    expect(done.progress).toMatchObject({ processed: 5, done: 2, skipped: 3, failed: 0 });
    const { lines } = await results(eventId, res.json.id);
    expect(lines).toEqual([
      `${ids[2]},ids2@example.org,done,`,
      `${unknown},,skipped,not_found`,
      `${ids[0]},ids0@example.org,done,`,
      `${elsewhere},,skipped,not_found`,
      `${foreign},,skipped,not_found`,
    ]);
    // Nobody outside the event was touched.
    expect((await api('GET', `/v1/events/${otherEvent}/attendees/${elsewhere}`)).json.status).toBe('invited');
    expect((await other('GET', `/v1/events/${foreignEvent}/attendees/${foreign}`)).json.status).toBe(
      'invited',
    );
    expect(await statusTotal(eventId, 'status=blocked')).toBe(2);
  });
});

describe('a dry run', () => {
  it('counts who would be touched and skipped per reason, and starts and stores nothing', async () => {
    const eventId = await newEvent();
    const ids = await invite(eventId, addresses('dry', 5));
    await act(eventId, ids[0] as string, 'block');
    const before = await api('GET', `/v1/events/${eventId}/bulk-actions`);
    expect(before.json.total).toBe(0);

    const unblock = await start(eventId, { action: 'unblock', filter: {}, dryRun: true });
    expect(unblock.json.totals).toEqual({
      matched: 5,
      eligible: 1,
      skipped: 4,
      skippedByReason: [
        { reason: 'action_not_allowed: Unblocking is not allowed while the attendee is invited.', count: 4 },
      ],
    });
    const remove = await start(eventId, { action: 'remove', filter: { status: 'invited' }, dryRun: true });
    expect(remove.json.totals).toMatchObject({ matched: 4, eligible: 4, skipped: 0 });

    expect((await api('GET', `/v1/events/${eventId}/bulk-actions`)).json.total).toBe(0);
    expect(await statusTotal(eventId, 'status=invited')).toBe(4);
  });
});

describe('the bulk action resource', () => {
  it('lists bulk actions newest first with cursor pagination', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('page', 1));
    const made: string[] = [];
    for (const action of ['block', 'unblock', 'block']) {
      const res = await start(eventId, { action, filter: {} });
      made.push(res.json.id);
      await finished(eventId, res.json.id);
    }
    const first = await api('GET', `/v1/events/${eventId}/bulk-actions?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.total).toBe(3);
    expect(first.json.items.map((b: { id: string }) => b.id)).toEqual([made[2], made[1]]);
    const second = await api(
      'GET',
      `/v1/events/${eventId}/bulk-actions?limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(second.json.items.map((b: { id: string }) => b.id)).toEqual([made[0]]);
    expect(second.json.nextCursor).toBeNull();
    expect((await api('GET', `/v1/events/${eventId}/bulk-actions?cursor=nonsense`)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify(['createdAt', 'yesterday', 'x'])).toString('base64url');
    expect((await api('GET', `/v1/events/${eventId}/bulk-actions?cursor=${forged}`)).status).toBe(400);
  });

  it('streams its progress as server-sent events until a last `finished` event', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('sse', 6));
    const res = await start(eventId, { action: 'block', filter: {}, pageSize: 2 });
    const stream = await fetch(`${stack.baseUrl}/v1/events/${eventId}/bulk-actions/${res.json.id}/events`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const text = await stream.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1],
      data: JSON.parse(m[2] as string),
    }));
    const last = events.at(-1);
    expect(last?.event).toBe('finished');
    expect(last?.data).toMatchObject({ id: res.json.id, status: 'completed', progress: { done: 6 } });
    expect(events.slice(0, -1).every((e) => e.event === 'bulk_action')).toBe(true);
  });

  it('neutralizes spreadsheet formulas in results.csv', async () => {
    const eventId = await newEvent();
    const [id] = await invite(eventId, ['-cmd@example.org']);
    const res = await start(eventId, { action: 'block', attendeeIds: [id] });
    await finished(eventId, res.json.id);
    const { lines } = await results(eventId, res.json.id);
    expect(lines).toEqual([`${id},'-cmd@example.org,done,`]);
  });

  it('starts once for a repeated Idempotency-Key', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('idem', 2));
    const key = { 'idempotency-key': randomUUID() };
    const first = await start(eventId, { action: 'block', filter: {} }, api, key);
    const second = await start(eventId, { action: 'block', filter: {} }, api, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json.id).toBe(first.json.id);
    await finished(eventId, first.json.id);
    expect((await api('GET', `/v1/events/${eventId}/bulk-actions`)).json.total).toBe(1);
    // The same key with another body is refused.
    const changed = await start(eventId, { action: 'unblock', filter: {} }, api, key);
    expect(changed.status).toBe(409);
  });

  it('answers 404 for another organization’s event or bulk action, and for an unknown one', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('private', 1));
    const res = await start(eventId, { action: 'block', filter: {} });
    await finished(eventId, res.json.id);
    const base = `/v1/events/${eventId}/bulk-actions`;
    expect((await start(eventId, { action: 'block', filter: {} }, other)).status).toBe(404);
    expect((await start(eventId, { action: 'block', filter: {}, dryRun: true }, other)).status).toBe(404);
    for (const path of [
      base,
      `${base}/${res.json.id}`,
      `${base}/${res.json.id}/results.csv`,
      `${base}/${res.json.id}/events`,
    ]) {
      const answer = await other('GET', path);
      expect(answer.status).toBe(404);
      expect(answer.json.code).toBe('not_found');
    }
    expect((await other('POST', `${base}/${res.json.id}/cancel`)).status).toBe(404);
    expect((await api('GET', `${base}/${randomUUID()}`)).status).toBe(404);
    expect((await start(randomUUID(), { action: 'block', filter: {} })).status).toBe(404);
    // Nothing of theirs was started: the event has one bulk action.
    expect((await api('GET', base)).json.total).toBe(1);
  });

  it('refuses invalid requests with 422 and the field at fault', async () => {
    const eventId = await newEvent();
    const [id] = await invite(eventId, addresses('bad', 1));
    const cases: [object, string][] = [
      [{ action: 'block' }, 'filter'],
      [{ action: 'block', filter: {}, attendeeIds: [id] }, 'attendeeIds'],
      [{ action: 'explode', filter: {} }, 'action'],
      [{ action: 'block', filter: { stauts: 'invited' } }, 'filter'],
      [{ action: 'block', filter: { status: 'vip' } }, 'filter.status'],
      [{ action: 'block', attendeeIds: ['not-a-uuid'] }, 'attendeeIds.0'],
      [{ action: 'block', attendeeIds: [] }, 'attendeeIds'],
      [{ action: 'block', attendeeIds: Array.from({ length: 10_001 }, () => randomUUID()) }, 'attendeeIds'],
      [{ action: 'send_message', filter: {} }, 'message'],
      [{ action: 'send_reminder', filter: {} }, 'message'],
      [{ action: 'block', filter: {}, message: { subject: 'Hi', body: 'There' } }, 'message'],
      [{ action: 'block', filter: {}, pageSize: 501 }, 'pageSize'],
      [{ action: 'block', filter: {}, surprise: true }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await start(eventId, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(res.json.code).toBe('validation_failed');
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await api('GET', `/v1/events/${eventId}/bulk-actions`)).json.total).toBe(0);
  });
});

describe('cancelling a bulk action', () => {
  it('stops it between pages: the pages in flight finish, the attendees not reached are reported cancelled', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('cancel', 10));
    // The first pages' commands wait at a gate until the cancel has reached the workflow.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    afterCommand = () => gate;
    try {
      const res = await start(eventId, { action: 'block', filter: {}, pageSize: 2 });
      const handle = stack.temporal.workflow.getHandle(bulkActionWorkflowId(res.json.id));
      await eventually(async () =>
        (await handle.query(bulkActionProgressQuery)).pagesInFlight === 2 ? true : undefined,
      );
      const cancel = api('POST', `/v1/events/${eventId}/bulk-actions/${res.json.id}/cancel`);
      await eventually(async () =>
        (await handle.query(bulkActionProgressQuery)).cancelRequested ? true : undefined,
      );
      open();
      const cancelled = await cancel;
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.status).toBe('cancelled');
      expect(cancelled.json.progress).toMatchObject({
        processed: 4,
        done: 4,
        skipped: 0,
        failed: 0,
        cancelled: 6,
      });
      expect(await statusTotal(eventId, 'status=blocked')).toBe(4);
      const { lines } = await results(eventId, res.json.id);
      expect(lines.map((l) => l.split(',')[2])).toEqual([
        ...Array(4).fill('done'),
        ...Array(6).fill('cancelled'),
      ]);
      // Cancelling again answers the same; a completed one cannot be cancelled.
      expect(
        (await api('POST', `/v1/events/${eventId}/bulk-actions/${res.json.id}/cancel`)).json.status,
      ).toBe('cancelled');
    } finally {
      afterCommand = undefined;
      open();
    }
    const again = await start(eventId, { action: 'block', filter: {} });
    await finished(eventId, again.json.id);
    const late = await api('POST', `/v1/events/${eventId}/bulk-actions/${again.json.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('bulk_action_finished');
  });
});

describe('a bulk action whose page fails for good', () => {
  it('ends failed, keeping what got done; the attendees not handled are reported not_processed', async () => {
    const eventId = await newEvent();
    const ids = await invite(eventId, addresses('broken', 6));
    afterCommand = ({ attendeeId }) => {
      if (attendeeId === ids[0]) throw ApplicationFailure.nonRetryable('injected: a fault no retry can mend');
    };
    try {
      // Two pages of three, both in flight at once, each sending its three commands at once.
      const res = await start(eventId, { action: 'block', filter: {}, pageSize: 3 });
      const done = await finished(eventId, res.json.id);
      expect(done.status).toBe('failed');
      expect(done.progress).toMatchObject({
        processed: 5,
        done: 5,
        skipped: 0,
        failed: 0,
        cancelled: 0,
        notProcessed: 1,
      });
      const { lines } = await results(eventId, res.json.id);
      expect(lines.filter((l) => l.endsWith(',not_processed,'))).toEqual([
        `${ids[0]},broken0@example.org,not_processed,`,
      ]);
      const late = await api('POST', `/v1/events/${eventId}/bulk-actions/${res.json.id}/cancel`);
      expect(late.status).toBe(409);
    } finally {
      afterCommand = undefined;
    }
    // The command itself went through before the fault: the attendee is blocked all the same.
    expect(await statusTotal(eventId, 'status=blocked')).toBe(6);
  });
});

describe('a page retried after its commands were answered', () => {
  it('resends nobody’s email twice: the retry meets the first command by its update id', async () => {
    const eventId = await newEvent();
    const emails = addresses('resend', 6);
    const ids = await invite(eventId, emails);
    const seen: { attendeeId: string; attempt: number }[] = [];
    // Attempt 1 of each page dies after every command was answered, before any outcome is written.
    afterCommand = ({ attendeeId, attempt }) => {
      seen.push({ attendeeId, attempt });
      if (attempt === 1) throw new Error('injected: the worker died before writing the outcome');
    };
    try {
      const res = await start(eventId, { action: 'resend_email', filter: {}, pageSize: 3 });
      const done = await finished(eventId, res.json.id);
      expect(done.progress).toMatchObject({ processed: 6, done: 6, skipped: 0, failed: 0 });
    } finally {
      afterCommand = undefined;
    }
    // Every command was answered in attempt 1 and sent again in a retry.
    const firstAttempt = new Set(seen.filter((s) => s.attempt === 1).map((s) => s.attendeeId));
    const retried = new Set(seen.filter((s) => s.attempt > 1).map((s) => s.attendeeId));
    expect(firstAttempt.size).toBeGreaterThan(0);
    for (const id of firstAttempt) expect(retried.has(id)).toBe(true);

    const invitations = () => stack.postmark.messages.filter((m) => emails.includes(m.To));
    await eventually(() => (new Set(invitations().map((m) => m.To)).size === 6 ? true : undefined));
    // Give a second email time to show up if one were coming.
    await new Promise((r) => setTimeout(r, 2000));
    const perAddress = new Map<string, number>();
    for (const m of invitations()) perAddress.set(m.To, (perAddress.get(m.To) ?? 0) + 1);
    expect([...perAddress.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(invitations().every((m) => m.Metadata?.kind === 'invitation')).toBe(true);
    expect(new Set(invitations().map((m) => m.Metadata?.attendeeId))).toEqual(new Set(ids));
  });

  it('reports a removal whose answer was not written as done, not as an attendee not found', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('unwritten', 3));
    afterCommand = ({ attempt }) => {
      if (attempt === 1) throw new Error('injected');
    };
    try {
      const res = await start(eventId, { action: 'remove', filter: {} });
      const done = await finished(eventId, res.json.id);
      expect(done.progress).toMatchObject({ processed: 3, done: 3, skipped: 0, failed: 0 });
    } finally {
      afterCommand = undefined;
    }
    expect(await statusTotal(eventId, '')).toBe(0);
  });

  it('does not send the items it had written again', async () => {
    const eventId = await newEvent();
    await invite(eventId, addresses('written', 4));
    const seen: { attendeeId: string; attempt: number }[] = [];
    let failedOnce = false;
    afterCommand = ({ attendeeId, attempt }) => {
      seen.push({ attendeeId, attempt });
      // The page's 3rd answer fails the attempt; the answers before it are written.
      if (attempt === 1 && seen.length === 3 && !failedOnce) {
        failedOnce = true;
        throw new Error('injected');
      }
    };
    try {
      // One lane at a time is not guaranteed, so the page is small enough to reason about: 4 items.
      const res = await start(eventId, { action: 'block', filter: {} });
      const done = await finished(eventId, res.json.id);
      expect(done.progress).toMatchObject({ processed: 4, done: 4, skipped: 0, failed: 0 });
    } finally {
      afterCommand = undefined;
    }
    expect(failedOnce).toBe(true);
    const written = seen.filter((s, i) => s.attempt === 1 && i !== 2).map((s) => s.attendeeId);
    const retried = seen.filter((s) => s.attempt > 1).map((s) => s.attendeeId);
    for (const id of written) expect(retried).not.toContain(id);
    expect(await statusTotal(eventId, 'status=blocked')).toBe(4);
  });
});

describe('messages to a subset', () => {
  const message = {
    subject: 'Parking and arrival',
    body: 'Doors open at 8:30.\n\nThe car park map: https://example.com/parking',
    perLanguage: { de: { subject: 'Parken und Anreise', body: 'Einlass ab 8:30 Uhr.' } },
  };

  it('sends the organizer’s message once to each attendee who may receive one, and skips the blocked with the reason', async () => {
    const eventId = await newEvent();
    const emails = addresses('message', 3);
    const ids = await invite(eventId, emails);
    const [german] = await invite(eventId, ['leser@example.org'], api, { language: 'de' });
    await act(eventId, ids[0] as string, 'block');

    const dry = await start(eventId, { action: 'send_message', filter: {}, message, dryRun: true });
    expect(dry.json.totals).toEqual({
      matched: 4,
      eligible: 3,
      skipped: 1,
      skippedByReason: [{ reason: 'status_blocked', count: 1 }],
    });
    const res = await start(eventId, { action: 'send_message', filter: {}, message });
    expect(res.status).toBe(202);
    expect(res.json.message).toMatchObject({ subject: message.subject });
    expect(res.json.totals).toEqual(dry.json.totals);
    const done = await finished(eventId, res.json.id);
    expect(done.progress).toEqual({
      processed: 4,
      done: 3,
      skipped: 1,
      failed: 0,
      cancelled: 0,
      notProcessed: 0,
      skippedByReason: [{ reason: 'status_blocked', count: 1 }],
    });
    const sent = stack.postmark.messages.filter((m) => m.Metadata?.eventId === eventId);
    expect(sent.map((m) => m.To).sort()).toEqual([emails[1], emails[2], 'leser@example.org'].sort());
    expect(sent.every((m) => m.Metadata?.kind === 'message')).toBe(true);
    expect(sent.find((m) => m.To === 'leser@example.org')?.Subject).toBe('Parken und Anreise');
    expect(sent.find((m) => m.To === emails[1])?.Subject).toBe('Parking and arrival');
    const { lines } = await results(eventId, res.json.id);
    expect(lines).toContain(`${ids[0]},${emails[0]},skipped,status_blocked`);
    expect(lines).toContain(`${german},leser@example.org,done,`);
  });

  it('sends reminders with the organizer’s text; a Postmark call retried after a lost answer sends nobody a second one', async () => {
    const eventId = await newEvent();
    const emails = addresses('remind', 4);
    await invite(eventId, emails);
    // The batch is taken but its answer never comes: the page times out and is retried.
    stack.postmark.failNext(1, { status: 'timeout_after_accept' });
    const res = await start(eventId, { action: 'send_reminder', filter: { q: 'remind' }, message });
    const done = await finished(eventId, res.json.id);
    expect(done.progress).toMatchObject({ processed: 4, done: 4, skipped: 0, failed: 0 });
    const sent = stack.postmark.messages.filter((m) => m.Metadata?.eventId === eventId);
    expect(sent.map((m) => m.To).sort()).toEqual([...emails].sort());
    expect(sent.every((m) => m.Metadata?.kind === 'reminder' && m.Subject === message.subject)).toBe(true);
    expect(stack.postmark.faults.timeout_after_accept).toBeGreaterThan(0);
  });

  it('records a final refusal by Postmark as the attendee’s failure', async () => {
    const eventId = await newEvent();
    const emails = addresses('refused', 2);
    const ids = await invite(eventId, emails);
    stack.postmark.setRecipientError(emails[1] as string, 406, 'Inactive recipient');
    const res = await start(eventId, { action: 'send_message', attendeeIds: ids, message });
    const done = await finished(eventId, res.json.id);
    expect(done.progress).toMatchObject({ processed: 2, done: 1, skipped: 0, failed: 1 });
    const { lines } = await results(eventId, res.json.id);
    expect(lines).toEqual([
      `${ids[0]},${emails[0]},done,`,
      `${ids[1]},${emails[1]},failed,email_rejected_406`,
    ]);
  });
});

describe('a long bulk action', () => {
  it('continues as new between pages and still counts everyone exactly once (RECORD_HISTORIES=1 stores its first run)', async () => {
    const eventId = await newEvent();
    const ids = await invite(eventId, addresses('chain', 9));
    // Snapshot as the API writes it, then a workflow with a tiny pagesPerRun to exercise continue-as-new.
    const id = randomUUID();
    const items = await stack.orm.em.fork().transactional((tx) =>
      insertBulkAction(tx, {
        id,
        eventId,
        action: 'block',
        selection: { attendeeIds: ids },
        message: null,
        createdBy: 'test',
      }),
    );
    const input: BulkActionInput = {
      bulkActionId: id,
      eventId,
      action: 'block',
      items,
      pageSize: 2,
      maxPagesInFlight: 2,
      pagesPerRun: 2,
      by: 'test',
    };
    const handle = await stack.temporal.workflow.start(BULK_ACTION_WORKFLOW_TYPE, {
      workflowId: bulkActionWorkflowId(id),
      taskQueue: stack.taskQueue,
      args: [input],
    });
    expect(await handle.result()).toEqual({ status: 'completed' });
    const latest = await stack.temporal.workflow.getHandle(bulkActionWorkflowId(id)).describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    const done = await finished(eventId, id);
    expect(done.progress).toMatchObject({ processed: 9, done: 9, skipped: 0, failed: 0 });
    expect(await statusTotal(eventId, 'status=blocked')).toBe(9);

    // The first run replays against the current workflow code; RECORD_HISTORIES=1 keeps it in
    // test/fixtures/histories, which replay.test.ts replays on every run.
    const firstRun = stack.temporal.workflow.getHandle(bulkActionWorkflowId(id), handle.firstExecutionRunId);
    const history = await firstRun.fetchHistory();
    expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    await Worker.runReplayHistory(stack.replayOptions(), history);
    if (process.env.RECORD_HISTORIES) {
      const { stdout: json } = await promisify(execFile)(ensureTemporalCli(), [
        'workflow',
        'show',
        '--address',
        inject('temporalAddress'),
        '--codec-endpoint',
        `${stack.baseUrl}/codec`,
        '--codec-auth',
        `Bearer ${CODEC_TOKEN}`,
        '--workflow-id',
        bulkActionWorkflowId(id),
        '--run-id',
        handle.firstExecutionRunId,
        '--output',
        'json',
      ]);
      writeFileSync(
        path.resolve(import.meta.dirname, '../fixtures/histories/bulk-action-continue-as-new.json'),
        json,
      );
    }
  });
});
