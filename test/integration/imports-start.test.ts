import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { importWorkflowId } from '../../workflows/bulk-invite/definitions';
import {
  CODEC_TOKEN,
  eventually,
  type Stack,
  sampleEvent,
  startStack,
  WEBHOOK_TOKEN,
} from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;

beforeAll(async () => {
  stack = await startStack();
  api = (await stack.createOrganization()).client;
});
afterAll(() => stack.close());

async function newEvent(overrides: Record<string, unknown> = {}) {
  const res = await api('POST', '/v1/events', sampleEvent(overrides));
  expect(res.status).toBe(201);
  return res.json.id as string;
}

const people = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org,${prefix}${i},Person,,,,`);

/** Uploads a CSV and returns the report. */
async function uploadRows(eventId: string, rows: string[]) {
  const res = await api(
    'POST',
    `/v1/events/${eventId}/imports`,
    `email,first_name,last_name,company,title,language,role\n${rows.join('\n')}\n`,
    {
      'content-type': 'text/csv',
    },
  );
  expect(res.status).toBe(201);
  return res.json;
}

async function waitForStatus(eventId: string, importId: string, statuses: string[], timeoutMs = 45_000) {
  return eventually(async () => {
    const res = await api('GET', `/v1/events/${eventId}/imports/${importId}`);
    return statuses.includes(res.json.status) ? res.json : undefined;
  }, timeoutMs);
}

const db = () => stack.orm.em.fork().getConnection();

const messagesTo = (prefix: string) => stack.postmark.messages.filter((m) => m.To.startsWith(prefix));

/** Every address of the prefix got exactly one email. */
function expectOneEmailEach(prefix: string, n: number) {
  const counts = new Map<string, number>();
  for (const m of messagesTo(prefix)) counts.set(m.To, (counts.get(m.To) ?? 0) + 1);
  expect(counts.size).toBe(n);
  expect([...counts.values()].every((c) => c === 1)).toBe(true);
}

describe('starting an import', () => {
  it('invites every valid row once through batches, with ledger, tokens, history and a lifecycle workflow each', async () => {
    const eventId = await newEvent({ defaultLanguage: 'de' });
    const report = await uploadRows(eventId, [...people('fan', 23), 'broken,No,Email,,,,']);
    expect(report.totals).toMatchObject({ valid: 23, invalid: 1 });
    const batchCalls = stack.postmark.requests['/email/batch'];
    const singleCalls = stack.postmark.requests['/email'];

    const started = await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 10 });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ id: report.id, status: 'running', sendEmail: true });
    expect(started.json.startedAt).not.toBeNull();

    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toEqual({ processed: 23, invited: 23, emailed: 23, failed: 0, skipped: 0 });
    expect(done.finishedAt).not.toBeNull();

    // Three pages of at most 10: three batch calls, no single sends.
    expect(stack.postmark.requests['/email/batch'] - batchCalls).toBe(3);
    expect(stack.postmark.requests['/email'] - singleCalls).toBe(0);
    expectOneEmailEach('fan', 23);
    const message = messagesTo('fan0@')[0];
    expect(message?.Subject).toContain('Einladung');
    expect(message?.Tag).toBe('invitation');
    expect(message?.TextBody).toMatch(/\?token=[A-Za-z0-9_-]{43}/);
    expect(message?.HtmlBody).toContain('fan0');

    const list = await api('GET', `/v1/events/${eventId}/attendees?limit=100`);
    expect(list.json.total).toBe(23);
    const attendee = list.json.items.find((a: { email: string }) => a.email === 'fan0@example.org');
    expect(attendee).toMatchObject({ status: 'invited', language: 'de', roles: ['attendee'] });
    expect(message?.Metadata).toEqual({
      attendeeId: attendee.id,
      eventId,
      kind: 'invitation',
      rosterAttempt: expect.any(String),
      rosterLedgerId: expect.any(String),
    });

    const one = await api('GET', `/v1/events/${eventId}/attendees/${attendee.id}`);
    expect(one.json.history).toEqual([
      expect.objectContaining({ status: 'invited', detailedStatus: 'invited_by_team_member' }),
    ]);
    const ledger = await db().execute<{ ledger_key: string; status: string }[]>(
      'select ledger_key, status from email_messages where attendee_id = ?',
      [attendee.id],
    );
    expect(ledger).toEqual([{ ledger_key: `${attendee.id}/invitation/1`, status: 'sent' }]);
    const [tokens] = await db().execute<{ n: number }[]>(
      "select count(*)::int as n from access_tokens where attendee_id = ? and kind = 'invitation'",
      [attendee.id],
    );
    expect(tokens?.n).toBe(1);

    // The lifecycle workflow runs and knows the invitation was sent: a resend is invitation/2.
    const [row] = await db().execute<{ workflow_id: string }[]>(
      'select workflow_id from attendees where id = ?',
      [attendee.id],
    );
    const description = await stack.temporal.workflow.getHandle(row?.workflow_id ?? '').describe();
    expect(description.status.name).toBe('RUNNING');
    // Every invitation went out before any of the import's lifecycle workflows started.
    const [lastSent] = await db().execute<{ at: Date }[]>(
      'select max(sent_at) as at from email_messages where event_id = ?',
      [eventId],
    );
    const workflowIds = await db().execute<{ workflow_id: string }[]>(
      'select workflow_id from attendees where event_id = ?',
      [eventId],
    );
    const starts = await Promise.all(
      workflowIds.map(
        async (w: { workflow_id: string }) =>
          (await stack.temporal.workflow.getHandle(w.workflow_id).describe()).startTime,
      ),
    );
    expect(Math.min(...starts.map((t) => t.getTime()))).toBeGreaterThanOrEqual(
      new Date(lastSent?.at ?? 0).getTime(),
    );
    const resend = await api('POST', `/v1/events/${eventId}/attendees/${attendee.id}/actions/resend_email`);
    expect(resend.status).toBe(200);
    await eventually(() => (messagesTo('fan0@').length === 2 ? true : undefined));
    const keys = await db().execute<{ ledger_key: string }[]>(
      'select ledger_key from email_messages where attendee_id = ? order by created_at',
      [attendee.id],
    );
    expect(keys.map((k: { ledger_key: string }) => k.ledger_key)).toEqual([
      `${attendee.id}/invitation/1`,
      `${attendee.id}/invitation/2`,
    ]);
  });

  it("sends every invitation before its attendee's lifecycle workflow starts", async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('early', 12));
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 4 });
    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toEqual({ processed: 12, invited: 12, emailed: 12, failed: 0, skipped: 0 });
    const rows = await db().execute<{ email: string; workflow_id: string }[]>(
      'select email, workflow_id from attendees where event_id = ?',
      [eventId],
    );
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const [message] = messagesTo(`${row.email}`);
      const { startTime } = await stack.temporal.workflow.getHandle(row.workflow_id).describe();
      expect(new Date(message?.ReceivedAt ?? 0).getTime(), row.email).toBeLessThanOrEqual(
        startTime.getTime(),
      );
    }
  });

  it("runs an imported attendee's first workflow task only when something happens to it", async () => {
    const endsAt = '2027-03-03T17:00:00Z';
    const eventId = await newEvent({ endsAt });
    const report = await uploadRows(eventId, people('wake', 3));
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`);
    await waitForStatus(eventId, report.id, ['completed']);
    const rows = await db().execute<{ id: string; email: string; workflow_id: string }[]>(
      'select id, email, workflow_id from attendees where event_id = ? order by email',
      [eventId],
    );
    const [commanded, bounced, untouched] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    const events = async (workflowId: string) =>
      (await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    // Started, and nothing else: no task until the end (the event's end plus the retention)...
    for (const row of rows) {
      const history = await events(row.workflow_id);
      expect(history).toHaveLength(1);
      const backoff = Number(
        history[0]?.workflowExecutionStartedEventAttributes?.firstWorkflowTaskBackoff?.seconds ?? 0,
      );
      expect(backoff * 1000).toBeGreaterThan(Date.parse(endsAt) - Date.now());
      const described = await stack.temporal.workflow.getHandle(row.workflow_id).describe();
      expect(described.status.name).toBe('RUNNING');
      expect(described.raw.pendingWorkflowTask ?? null).toBeNull();
    }
    // ...or until a command (an update) comes: it is answered at once.
    const blocked = await api('POST', `/v1/events/${eventId}/attendees/${commanded.id}/actions/block`);
    expect(blocked.status).toBe(200);
    expect(blocked.json).toMatchObject({ status: 'blocked' });
    // ...or a signal: a hard bounce of the invitation is recorded by the workflow it wakes.
    const [message] = messagesTo(bounced.email);
    const hook = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`postmark:${WEBHOOK_TOKEN}`).toString('base64')}`,
      },
      body: JSON.stringify({
        RecordType: 'Bounce',
        MessageID: message?.MessageID,
        Type: 'HardBounce',
        Inactive: true,
        Metadata: message?.Metadata,
      }),
    });
    expect(hook.status).toBe(200);
    await eventually(async () => {
      const [row] = await db().execute<{ email_undeliverable: boolean }[]>(
        'select email_undeliverable from attendees where id = ?',
        [bounced.id],
      );
      return row?.email_undeliverable || undefined;
    });
    expect((await events(bounced.workflow_id)).length).toBeGreaterThan(1);
    expect(await events(untouched.workflow_id)).toHaveLength(1);
  });

  it('starts once when started twice at the same time and again later', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('twice', 12));
    const [a, b] = await Promise.all([
      api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 }),
      api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await waitForStatus(eventId, report.id, ['completed']);
    const again = await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`);
    expect(again.status).toBe(202);
    expect(again.json.status).toBe('completed');
    await new Promise((r) => setTimeout(r, 500));
    expectOneEmailEach('twice', 12);
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(12);
    const description = await stack.temporal.workflow.getHandle(importWorkflowId(report.id)).describe();
    expect(description.status.name).toBe('COMPLETED');
  });

  it('invites without any email when sendEmail is false; resend_email then sends the first', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('silent', 6));
    const started = await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, {
      sendEmail: false,
    });
    expect(started.json.sendEmail).toBe(false);
    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toEqual({ processed: 6, invited: 6, emailed: 0, failed: 0, skipped: 0 });
    expect(messagesTo('silent')).toHaveLength(0);
    const list = await api('GET', `/v1/events/${eventId}/attendees`);
    const id = list.json.items[0].id;
    await api('POST', `/v1/events/${eventId}/attendees/${id}/actions/resend_email`);
    await eventually(() => (messagesTo('silent').length === 1 ? true : undefined));
    const [ledger] = await db().execute<{ ledger_key: string }[]>(
      'select ledger_key from email_messages where attendee_id = ?',
      [id],
    );
    expect(ledger?.ledger_key).toBe(`${id}/invitation/1`);
  });

  it('skips an address invited by other means between the check and the start', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('late', 4));
    const direct = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'late2@example.org',
      firstName: 'Direct',
      lastName: 'Invite',
    });
    expect(direct.status).toBe(201);
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`);
    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toMatchObject({ invited: 3, emailed: 3, skipped: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expectOneEmailEach('late', 4);
    expect((await api('GET', `/v1/events/${eventId}/attendees/${direct.json.id}`)).json.firstName).toBe(
      'Direct',
    );
  });

  it('invites with the to-register status on an event that requires registration, as a single invite would', async () => {
    const eventId = await newEvent({ requiresRegistration: true });
    const report = await uploadRows(eventId, people('register', 2));
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { sendEmail: false });
    await waitForStatus(eventId, report.id, ['completed']);
    const list = await api('GET', `/v1/events/${eventId}/attendees`);
    expect(list.json.items.map((a: { detailedStatus: string }) => a.detailedStatus)).toEqual([
      'invited_by_team_member_to_register',
      'invited_by_team_member_to_register',
    ]);
    const one = await api('GET', `/v1/events/${eventId}/attendees/${list.json.items[0].id}`);
    expect(one.json.history[0].detailedStatus).toBe('invited_by_team_member_to_register');
  });

  it('re-invites a person removed from the event through their lifecycle workflow, once', async () => {
    const eventId = await newEvent();
    const first = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'again0@example.org',
      firstName: 'Old',
      lastName: 'Invite',
      sendEmail: false,
    });
    const removed = await api('POST', `/v1/events/${eventId}/attendees/${first.json.id}/actions/remove`);
    expect(removed.status).toBe(200);
    const report = await uploadRows(eventId, people('again', 3));
    expect(report.totals).toMatchObject({ valid: 3, alreadyInvited: 0 });
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`);
    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toMatchObject({ processed: 3, invited: 3, emailed: 3, failed: 0 });
    const list = await api('GET', `/v1/events/${eventId}/attendees`);
    expect(list.json.total).toBe(3);
    const again = list.json.items.find((a: { email: string }) => a.email === 'again0@example.org');
    expect(again.id).not.toBe(first.json.id);
    expect(again.firstName).toBe('again0');
    await eventually(() => (messagesTo('again0@').length === 1 ? true : undefined));
    // The workflow of the address knows the new attendee: its actions work.
    const resend = await api('POST', `/v1/events/${eventId}/attendees/${again.id}/actions/resend_email`);
    expect(resend.status).toBe(200);
    await eventually(() => (messagesTo('again0@').length === 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expectOneEmailEach('again1', 1);
    expectOneEmailEach('again2', 1);
  });

  it('answers 404 for an import of another organization and 422 for a bad notifyEmail', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('other', 1));
    const other = (await stack.createOrganization()).client;
    expect((await other('POST', `/v1/events/${eventId}/imports/${report.id}/start`)).status).toBe(404);
    expect((await other('POST', `/v1/events/${eventId}/imports/${report.id}/cancel`)).status).toBe(404);
    const bad = await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, {
      notifyEmail: 'nope',
    });
    expect(bad.status).toBe(422);
    expect((await api('GET', `/v1/events/${eventId}/imports/${report.id}`)).json.status).toBe('validated');
  });
});

describe('Postmark failures', () => {
  it('retries 429 and 5xx answers with backoff and emails everyone exactly once', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('flaky', 15));
    stack.postmark.failNext(2, { status: 429 });
    stack.postmark.failNext(1, { status: 500 });
    stack.postmark.failNext(1, { status: 503 });
    const calls = stack.postmark.requests['/email/batch'];
    const before = { ...stack.postmark.faults };
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 });
    const done = await waitForStatus(eventId, report.id, ['completed'], 50_000);
    expect(done.progress).toEqual({ processed: 15, invited: 15, emailed: 15, failed: 0, skipped: 0 });
    // Every fault was met (by a batch call or by the lookup a retried page makes first).
    const faults = stack.postmark.faults;
    expect([
      faults['429'] - before['429'],
      faults['500'] - before['500'],
      faults['503'] - before['503'],
    ]).toEqual([2, 1, 1]);
    expect(stack.postmark.requests['/email/batch'] - calls).toBeGreaterThanOrEqual(3 + 1);
    expectOneEmailEach('flaky', 15);
  });

  it('looks up a batch that timed out after Postmark took it instead of sending it again', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('unanswered', 10));
    stack.postmark.failNext(1, { status: 'timeout_after_accept' });
    const searches = stack.postmark.requests['/messages/outbound'];
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 });
    const done = await waitForStatus(eventId, report.id, ['completed'], 50_000);
    expect(done.progress).toEqual({ processed: 10, invited: 10, emailed: 10, failed: 0, skipped: 0 });
    expect(stack.postmark.requests['/messages/outbound'] - searches).toBeGreaterThanOrEqual(1);
    expectOneEmailEach('unanswered', 10);
    // The ledger has Postmark's own message ids for the ones found by the lookup.
    const ids = new Set(messagesTo('unanswered').map((m) => m.MessageID));
    const ledger = await db().execute<{ provider_message_id: string }[]>(
      `select m.provider_message_id from email_messages m join attendees a on a.id = m.attendee_id
        where a.event_id = ? and m.status = 'sent'`,
      [eventId],
    );
    expect(ledger.map((l: { provider_message_id: string }) => ids.has(l.provider_message_id))).toEqual(
      Array(10).fill(true),
    );
  });

  it('looks up a single invitation that timed out after Postmark took it, and sends it once', async () => {
    const eventId = await newEvent();
    stack.postmark.failNext(1, { status: 'timeout_after_accept' });
    const res = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'single-unanswered@example.org',
      firstName: 'Una',
      lastName: 'Answered',
    });
    expect(res.status).toBe(201);
    const [sent] = await eventually(async () => {
      const rows = await db().execute<{ status: string; provider_message_id: string }[]>(
        `select status, provider_message_id from email_messages where attendee_id = ?`,
        [res.json.id],
      );
      return rows[0]?.status === 'sent' ? rows : undefined;
    }, 30_000);
    expectOneEmailEach('single-unanswered', 1);
    expect(sent?.provider_message_id).toBe(messagesTo('single-unanswered')[0]?.MessageID);
  });

  it('records an inactive recipient and an invalid address as failed on the ledger, without retrying them', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('bounce', 8));
    stack.postmark.setRecipientError('bounce3@example.org', 406);
    stack.postmark.setRecipientError('bounce5@example.org', 300);
    const calls = stack.postmark.requests['/email/batch'];
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`);
    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toEqual({ processed: 8, invited: 8, emailed: 6, failed: 2, skipped: 0 });
    expect(stack.postmark.requests['/email/batch'] - calls).toBe(1);
    const failed = await db().execute<{ to_address: string; status: string; error_code: number }[]>(
      `select m.to_address, m.status, m.error_code from email_messages m join attendees a on a.id = m.attendee_id
        where a.event_id = ? and m.status = 'failed' order by m.to_address`,
      [eventId],
    );
    expect(failed).toEqual([
      { to_address: 'bounce3@example.org', status: 'failed', error_code: 406 },
      { to_address: 'bounce5@example.org', status: 'failed', error_code: 300 },
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(stack.postmark.requests['/email/batch'] - calls).toBe(1);
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(8);
  });
});

describe('cancelling an import', () => {
  it('stops after the pages in flight; the invited stay invited, and a later start does not resume it', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('halt', 400));
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 });
    await eventually(async () => {
      const res = await api('GET', `/v1/events/${eventId}/imports/${report.id}`);
      // Invitations go out before any page's workflows start: cancelled while emailing.
      return res.json.progress.emailed > 0 ? true : undefined;
    });
    const cancelled = await api('POST', `/v1/events/${eventId}/imports/${report.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');
    expect(cancelled.json.finishedAt).not.toBeNull();
    const { processed, invited, emailed } = cancelled.json.progress;
    expect(processed).toBeGreaterThan(0);
    expect(processed).toBeLessThan(400);
    expect(invited).toBe(processed);
    expect(emailed).toBe(processed);

    await new Promise((r) => setTimeout(r, 1000));
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(invited);
    expectOneEmailEach('halt', emailed);
    const again = await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`);
    expect(again.json.status).toBe('cancelled');
    const twice = await api('POST', `/v1/events/${eventId}/imports/${report.id}/cancel`);
    expect(twice.status).toBe(200);
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(invited);
  });

  it('cancels an import that never started, and refuses to cancel a completed one', async () => {
    const eventId = await newEvent();
    const waiting = await uploadRows(eventId, people('never', 2));
    const res = await api('POST', `/v1/events/${eventId}/imports/${waiting.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('cancelled');
    expect((await api('POST', `/v1/events/${eventId}/imports/${waiting.id}/start`)).json.status).toBe(
      'cancelled',
    );

    const finished = await uploadRows(eventId, people('over', 2));
    await api('POST', `/v1/events/${eventId}/imports/${finished.id}/start`);
    await waitForStatus(eventId, finished.id, ['completed']);
    const late = await api('POST', `/v1/events/${eventId}/imports/${finished.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('import_finished');
  });
});

describe('long imports', () => {
  it('continues as new every few pages and still invites everyone once', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('chain', 30));
    // Claimed as the API would, then started with a small pagesPerRun to exercise continue-as-new.
    await db().execute(
      `update imports set status = 'running', send_email = true, started_at = now() where id = ?`,
      [report.id],
    );
    const handle = await stack.temporal.workflow.start('bulkInviteWorkflow', {
      workflowId: importWorkflowId(report.id),
      taskQueue: stack.taskQueue,
      args: [
        {
          importId: report.id,
          eventId,
          sendEmail: true,
          validRows: 30,
          pageSize: 3,
          maxPagesInFlight: 2,
          pagesPerRun: 2,
          by: 'test',
        },
      ],
    });
    expect(await handle.result()).toEqual({ status: 'completed' });
    const latest = await stack.temporal.workflow.getHandle(importWorkflowId(report.id)).describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    const done = await waitForStatus(eventId, report.id, ['completed']);
    expect(done.progress).toMatchObject({ processed: 30, invited: 30, emailed: 30 });
    expectOneEmailEach('chain', 30);

    // The first run's history replays against the current workflow code (RECORD_HISTORIES=1 keeps
    // it in test/fixtures/histories, which the replay test replays on every run).
    const firstRun = stack.temporal.workflow.getHandle(
      importWorkflowId(report.id),
      handle.firstExecutionRunId,
    );
    const history = await firstRun.fetchHistory();
    expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    await Worker.runReplayHistory(stack.replayOptions(), history);
    if (process.env.RECORD_HISTORIES) {
      // Decoded through Roster's codec endpoint, as replay.test.ts records, so the fixture replays
      // without the test's key; not execFileSync: this process answers the CLI's codec requests.
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
        importWorkflowId(report.id),
        '--run-id',
        handle.firstExecutionRunId,
        '--output',
        'json',
      ]);
      // The walk that starts workflows after the emails; bulk-invite-emails-first.json and
      // bulk-invite-continue-as-new.json keep the walks before it.
      writeFileSync(
        path.resolve(import.meta.dirname, '../fixtures/histories/bulk-invite-starts-after-emails.json'),
        json,
      );
    }
  });
});

/** Reads a server-sent-events stream until it ends: [event, data] pairs. */
async function readEvents(url: string, key: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      return [event, data] as const;
    });
}

describe('progress and the end of an import', () => {
  it('streams the progress as server-sent events until the import ends', async () => {
    const org = await stack.createOrganization();
    const client = org.client;
    const eventId = (await client('POST', '/v1/events', sampleEvent())).json.id;
    const report = (
      await client(
        'POST',
        `/v1/events/${eventId}/imports`,
        `email,first_name,last_name\n${Array.from({ length: 60 }, (_, i) => `sse${i}@example.org,S,${i}`).join('\n')}\n`,
        { 'content-type': 'text/csv' },
      )
    ).json;
    const reading = readEvents(`${stack.baseUrl}/v1/events/${eventId}/imports/${report.id}/events`, org.key);
    await new Promise((r) => setTimeout(r, 300));
    await client('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 });
    const events = await reading;
    expect(events[0]?.[0]).toBe('import');
    expect(events[0]?.[1]).toMatchObject({ id: report.id, status: 'validated' });
    const last = events.at(-1);
    expect(last?.[0]).toBe('finished');
    expect(last?.[1]).toMatchObject({
      status: 'completed',
      progress: { processed: 60, invited: 60, emailed: 60 },
    });
    const processed = events.map(([, data]) => data.progress.processed as number);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(events.filter(([e]) => e === 'finished')).toHaveLength(1);

    // A finished import answers its final state at once.
    const again = await readEvents(
      `${stack.baseUrl}/v1/events/${eventId}/imports/${report.id}/events`,
      org.key,
    );
    expect(again).toEqual([['finished', last?.[1]]]);
  });

  it('emails the organizer once with the totals when notifyEmail is given', async () => {
    const eventId = await newEvent({ name: 'Notify Summit' });
    const report = await uploadRows(eventId, [...people('note', 5), 'bad-row,X,Y,,,,']);
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, {
      notifyEmail: 'organizer@example.org',
    });
    await waitForStatus(eventId, report.id, ['completed']);
    const notes = await eventually(() => {
      const sent = stack.postmark.messages.filter(
        (m) => m.To === 'organizer@example.org' && m.Metadata?.importId === report.id,
      );
      return sent.length > 0 ? sent : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.Tag).toBe('import_finished');
    expect(notes[0]?.Metadata).toEqual({
      eventId,
      importId: report.id,
      kind: 'import_finished',
      rosterAttempt: expect.any(String),
      rosterLedgerId: expect.any(String),
    });
    expect(notes[0]?.Subject).toContain('Notify Summit');
    expect(notes[0]?.TextBody).toContain('5');
  });
});

describe('cancelling through Temporal', () => {
  it('marks the import cancelled when its workflow is cancelled, keeping those already invited', async () => {
    const eventId = await newEvent();
    const report = await uploadRows(eventId, people('tcancel', 300));
    await api('POST', `/v1/events/${eventId}/imports/${report.id}/start`, { pageSize: 5 });
    await eventually(async () => {
      const res = await api('GET', `/v1/events/${eventId}/imports/${report.id}`);
      return res.json.progress.emailed > 0 ? true : undefined;
    });
    await stack.temporal.workflow.getHandle(importWorkflowId(report.id)).cancel();
    const done = await waitForStatus(eventId, report.id, ['cancelled']);
    expect(done.finishedAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    const after = (await api('GET', `/v1/events/${eventId}/imports/${report.id}`)).json;
    expect(after.progress.invited).toBeLessThan(300);
    // The pages emailed before the cancellation still got their lifecycle workflows.
    expect(after.progress.processed).toBe(after.progress.invited);
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(after.progress.invited);
    expectOneEmailEach('tcancel', after.progress.emailed);
  });
});
