import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostmarkTransport } from '../../activities/email-transport';
import { createReminderActivities, type SendReminderBatchResult } from '../../activities/reminder.activities';
import type { FakeMessage } from '../support/postmark-fake';
import { EVENT_SITE_URL, eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let other: Client;
let open: Client;

beforeAll(async () => {
  stack = await startStack();
  api = (await stack.createOrganization()).client;
  other = (await stack.createOrganization()).client;
  open = stack.client();
});
afterAll(() => stack.close());

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An event starting `startsInMs` from now; a rule with offset 60 is then due `startsInMs - 1 h` from now. */
async function createEvent(startsInMs: number, overrides: Record<string, unknown> = {}) {
  const startsAt = Date.now() + startsInMs;
  const res = await api(
    'POST',
    '/v1/events',
    sampleEvent({ startsAt: iso(startsAt), endsAt: iso(startsAt + 120 * MINUTE), ...overrides }),
  );
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function invite(eventId: string, fields: { language?: string; sendEmail?: boolean } = {}) {
  const email = `p-${crypto.randomUUID()}@example.org`;
  const res = await api('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    ...fields,
  });
  expect(res.status).toBe(201);
  return { email, id: res.json.id as string, path: `/v1/events/${eventId}/attendees/${res.json.id}` };
}

const emailsTo = (email: string, kind: string): FakeMessage[] =>
  stack.postmark.messages.filter((m) => m.To === email && m.Metadata?.kind === kind);
const remindersTo = (email: string) => emailsTo(email, 'reminder');

/** Waits until every address has `count` reminders; then a little longer, to catch extra ones. */
async function expectReminders(emails: string[], count: number) {
  await eventually(() => (emails.every((e) => remindersTo(e).length >= count) ? true : undefined), 30_000);
  await pause(1_000);
  for (const email of emails) expect(remindersTo(email)).toHaveLength(count);
}

const tokenOf = (message: FakeMessage) => {
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(message.TextBody ?? '')?.[1];
  expect(token).toBeTruthy();
  return token as string;
};

/** Invites a person and registers them through the invitation link. */
async function registered(eventId: string) {
  const person = await invite(eventId);
  const invitation = await eventually(() => emailsTo(person.email, 'invitation')[0]);
  const accepted = await open('POST', `/v1/public/invitations/${tokenOf(invitation)}/accept`, {});
  expect(accepted.status).toBe(200);
  expect(accepted.json.attendee.status).toBe('registered');
  return person;
}

const createRule = (eventId: string, body: Record<string, unknown>) =>
  api('POST', `/v1/events/${eventId}/reminders`, body);

describe('reminder rules', () => {
  it('creates, lists, gets and deletes rules with their due times when the event exists', async () => {
    const eventId = await createEvent(10 * 24 * 60 * MINUTE);
    const event = (await api('GET', `/v1/events/${eventId}`)).json;

    const invited = await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 24 * 60 });
    expect(invited.status).toBe(201);
    expect(invited.json).toMatchObject({
      audience: 'invited_not_registered',
      offsetMinutes: 1440,
      includeLoginLink: false,
      dueAt: iso(Date.parse(event.startsAt) - 24 * 60 * MINUTE),
      sentAt: null,
      runs: [],
    });
    expect(invited.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(invited.json.createdAt)).toBeGreaterThan(Date.now() - MINUTE);

    const reg = await createRule(eventId, { audience: 'registered', offsetMinutes: 60 });
    expect(reg.json).toMatchObject({ audience: 'registered', includeLoginLink: true });
    const noLink = await createRule(eventId, {
      audience: 'registered',
      offsetMinutes: 30,
      includeLoginLink: false,
    });
    expect(noLink.json.includeLoginLink).toBe(false);

    const list = await api('GET', `/v1/events/${eventId}/reminders`);
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ nextCursor: null, total: 3 });
    expect(list.json.items.map((r: { id: string }) => r.id)).toEqual([
      invited.json.id,
      reg.json.id,
      noLink.json.id,
    ]);

    const one = await api('GET', `/v1/events/${eventId}/reminders/${reg.json.id}`);
    expect(one.json).toEqual(reg.json);

    const deleted = await api('DELETE', `/v1/events/${eventId}/reminders/${reg.json.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await api('DELETE', `/v1/events/${eventId}/reminders/${reg.json.id}`)).status).toBe(404);
    expect((await api('GET', `/v1/events/${eventId}/reminders/${reg.json.id}`)).status).toBe(404);
    expect((await api('GET', `/v1/events/${eventId}/reminders`)).json.total).toBe(2);
  });

  it('answers 404 for an unknown event, another organization’s event and an unknown rule', async () => {
    const eventId = await createEvent(10 * 24 * 60 * MINUTE);
    const rule = (await createRule(eventId, { audience: 'registered', offsetMinutes: 60 })).json;
    const unknown = crypto.randomUUID();
    const body = { audience: 'registered', offsetMinutes: 60 };

    for (const res of [
      await createRule(unknown, body),
      await api('GET', `/v1/events/${unknown}/reminders`),
      await other('POST', `/v1/events/${eventId}/reminders`, body),
      await other('GET', `/v1/events/${eventId}/reminders`),
      await other('GET', `/v1/events/${eventId}/reminders/${rule.id}`),
      await other('DELETE', `/v1/events/${eventId}/reminders/${rule.id}`),
      await other('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: rule.id }),
      await api('DELETE', `/v1/events/${eventId}/reminders/${unknown}`),
      await api('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: unknown }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('not_found');
    }
    // Still there for its own organization.
    expect((await api('GET', `/v1/events/${eventId}/reminders`)).json.total).toBe(1);
  });

  it('answers 422 with the field for a bad audience, offset, login-link choice or run body', async () => {
    const eventId = await createEvent(10 * 24 * 60 * MINUTE);
    const cases: [Record<string, unknown>, string][] = [
      [{ audience: 'everyone', offsetMinutes: 60 }, 'audience'],
      [{ audience: 'registered' }, 'offsetMinutes'],
      [{ audience: 'registered', offsetMinutes: 0 }, 'offsetMinutes'],
      [{ audience: 'registered', offsetMinutes: 60 * 24 * 60 + 1 }, 'offsetMinutes'],
      [{ audience: 'registered', offsetMinutes: 1.5 }, 'offsetMinutes'],
      [{ audience: 'registered', offsetMinutes: '60' }, 'offsetMinutes'],
      [{ audience: 'invited_not_registered', offsetMinutes: 60, includeLoginLink: true }, 'includeLoginLink'],
    ];
    for (const [body, path] of cases) {
      const res = await createRule(eventId, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.code).toBe('validation_failed');
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await createRule(eventId, { audience: 'registered', offsetMinutes: 60 * 24 * 60 })).status).toBe(
      201,
    );

    const sso = await createEvent(10 * 24 * 60 * MINUTE, { loginMode: 'sso' });
    const ssoRule = await createRule(sso, {
      audience: 'registered',
      offsetMinutes: 60,
      includeLoginLink: true,
    });
    expect(ssoRule.status).toBe(422);
    expect((await createRule(sso, { audience: 'registered', offsetMinutes: 60 })).json.includeLoginLink).toBe(
      false,
    );

    for (const body of [{}, { ruleId: 'nope' }]) {
      const res = await api('POST', `/v1/events/${eventId}/reminders/run`, body);
      expect(res.status).toBe(422);
      expect(res.json.errors[0].path).toBe('ruleId');
    }
    expect((await api('GET', `/v1/events/${eventId}/reminders/not-a-uuid`)).status).toBe(422);
  });

  it('describes the reminder endpoints in the served OpenAPI document', async () => {
    const doc = (await open('GET', '/openapi.json')).json;
    expect(Object.keys(doc.paths['/v1/events/{eventId}/reminders'])).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(Object.keys(doc.paths['/v1/events/{eventId}/reminders/{ruleId}'])).toEqual(
      expect.arrayContaining(['get', 'delete']),
    );
    expect(doc.paths['/v1/events/{eventId}/reminders/run'].post.responses).toHaveProperty('202');
  });
});

describe('sending reminders', () => {
  it('sends one reminder per invited attendee in their language and none to the registered or removed when a rule comes due', async () => {
    // Due about two seconds from now: the workflow sleeps on its timer, then sends.
    const eventId = await createEvent(60 * MINUTE + 2_000, { name: 'Launch Week' });
    const en = await invite(eventId);
    const de = await invite(eventId, { language: 'de' });
    const quiet = await invite(eventId, { sendEmail: false });
    const gone = await invite(eventId);
    expect((await api('POST', `${gone.path}/actions/remove`)).status).toBe(200);
    const member = await registered(eventId);

    const rule = await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 });
    expect(rule.status).toBe(201);
    await expectReminders([en.email, de.email, quiet.email], 1);
    expect(remindersTo(gone.email)).toHaveLength(0);
    expect(remindersTo(member.email)).toHaveLength(0);

    const [enMessage] = remindersTo(en.email) as [FakeMessage];
    const [deMessage] = remindersTo(de.email) as [FakeMessage];
    expect(enMessage.Subject).toBe('Reminder: register for Launch Week');
    expect(deMessage.Subject).toContain('Erinnerung');
    expect(deMessage.Subject).not.toBe(enMessage.Subject);
    expect(enMessage.Metadata).toMatchObject({
      attendeeId: en.id,
      eventId,
      kind: 'reminder',
      ruleId: rule.json.id,
    });
    expect(enMessage.TextBody).toContain(`${EVENT_SITE_URL}/events/${eventId}/invitation?token=`);

    // The link in the reminder is a working invitation link.
    const accepted = await open('POST', `/v1/public/invitations/${tokenOf(deMessage)}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.json.attendee.status).toBe('registered');

    const after = await eventually(async () => {
      const r = (await api('GET', `/v1/events/${eventId}/reminders/${rule.json.id}`)).json;
      return r.runs[0]?.finishedAt ? r : undefined;
    });
    expect(after.sentAt).not.toBeNull();
    expect(after.runs).toHaveLength(1);
    expect(after.runs[0]).toMatchObject({ trigger: 'scheduled', recipients: 3, sent: 3, failed: 0 });
  });

  it('sends registered attendees a join reminder with a working login link', async () => {
    const eventId = await createEvent(60 * MINUTE + 1_000);
    const member = await registered(eventId);
    const invited = await invite(eventId);

    const rule = await createRule(eventId, { audience: 'registered', offsetMinutes: 60 });
    expect(rule.json.includeLoginLink).toBe(true);
    await expectReminders([member.email], 1);
    expect(remindersTo(invited.email)).toHaveLength(0);

    const [message] = remindersTo(member.email) as [FakeMessage];
    expect(message.Subject).toBe('Launch Week starts soon');
    expect(message.TextBody).toContain(`/events/${eventId}/login?token=`);
    const login = await open('POST', '/v1/public/login', { token: tokenOf(message) });
    expect(login.status).toBe(200);
  });

  it('sends a rule again, counted as another run, when it is run now', async () => {
    const eventId = await createEvent(60 * MINUTE + 1_000);
    const a = await invite(eventId, { sendEmail: false });
    const b = await invite(eventId, { sendEmail: false, language: 'fr' });
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 })).json;
    await expectReminders([a.email, b.email], 1);

    const run = await api('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: rule.id });
    expect(run.status).toBe(202);
    expect(run.json).toMatchObject({ ruleId: rule.id, recipients: 2 });
    await expectReminders([a.email, b.email], 2);
    const runIds = new Set(remindersTo(a.email).map((m) => m.Metadata?.runId));
    expect(runIds.size).toBe(2);

    const again = await api('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: rule.id });
    expect(again.status).toBe(202);
    expect(again.json.runId).not.toBe(run.json.runId);
    await expectReminders([a.email, b.email], 3);

    const runs = await eventually(async () => {
      const r = (await api('GET', `/v1/events/${eventId}/reminders/${rule.id}`)).json;
      return r.runs.every((x: { finishedAt: string | null }) => x.finishedAt) ? r.runs : undefined;
    });
    expect(runs.map((r: { trigger: string }) => r.trigger)).toEqual(['manual', 'manual', 'scheduled']);
    expect(runs.map((r: { sent: number }) => r.sent)).toEqual([2, 2, 2]);
  });

  it('runs a rule now while its scheduled send keeps waiting', async () => {
    const eventId = await createEvent(10 * 24 * 60 * MINUTE);
    const a = await invite(eventId, { sendEmail: false });
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 })).json;
    const run = await api('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: rule.id });
    expect(run.status).toBe(202);
    expect(run.json.recipients).toBe(1);
    await expectReminders([a.email], 1);

    const handle = stack.temporal.workflow.getHandle(`reminders/${eventId}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const state = await handle.query<{
      nextDueAt: string | null;
      rules: { id: string; sentAt: string | null }[];
    }>('state');
    expect(state.nextDueAt).toBe(rule.dueAt);
    expect(state.rules).toEqual([{ id: rule.id, offsetMinutes: 60, sentAt: null }]);
    expect((await api('GET', `/v1/events/${eventId}/reminders/${rule.id}`)).json.sentAt).toBeNull();
  });

  it('sends nothing on schedule when the event has already started, but runs now on request', async () => {
    const eventId = await createEvent(-5 * MINUTE);
    const a = await invite(eventId, { sendEmail: false });
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 })).json;
    await pause(2_000);
    expect(remindersTo(a.email)).toHaveLength(0);
    expect((await api('GET', `/v1/events/${eventId}/reminders/${rule.id}`)).json.sentAt).toBeNull();

    expect((await api('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: rule.id })).status).toBe(202);
    await expectReminders([a.email], 1);
  });

  it('sends nothing for a rule deleted before it came due', async () => {
    const eventId = await createEvent(60 * MINUTE + 3_000);
    const a = await invite(eventId, { sendEmail: false });
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 })).json;
    expect((await api('DELETE', `/v1/events/${eventId}/reminders/${rule.id}`)).status).toBe(204);
    await pause(5_000);
    expect(remindersTo(a.email)).toHaveLength(0);
  });
});

describe('rescheduling', () => {
  it('sends a far-off rule once the event moves so that it is due now', async () => {
    const eventId = await createEvent(30 * 24 * 60 * MINUTE);
    const a = await invite(eventId, { sendEmail: false });
    const b = await invite(eventId, { sendEmail: false, language: 'ja' });
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 })).json;
    await pause(1_500);
    expect(remindersTo(a.email)).toHaveLength(0);

    const startsAt = Date.now() + 60 * MINUTE + 1_000;
    const patched = await api('PATCH', `/v1/events/${eventId}`, {
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 60 * MINUTE),
    });
    expect(patched.status).toBe(200);
    await expectReminders([a.email, b.email], 1);
    const after = (await api('GET', `/v1/events/${eventId}/reminders/${rule.id}`)).json;
    expect(after.dueAt).toBe(iso(startsAt - 60 * MINUTE));
    expect(after.sentAt).not.toBeNull();
  });

  it('moves a pending rule later when the event moves later', async () => {
    const eventId = await createEvent(60 * MINUTE + 4_000);
    const a = await invite(eventId, { sendEmail: false });
    await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 });
    const startsAt = Date.now() + 5 * 24 * 60 * MINUTE;
    const moved = await api('PATCH', `/v1/events/${eventId}`, {
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 60 * MINUTE),
    });
    expect(moved.status).toBe(200);
    await pause(6_000);
    expect(remindersTo(a.email)).toHaveLength(0);
  });

  it('sends a rule left unsent because the event had started once the event moves to a later start', async () => {
    const eventId = await createEvent(-5 * MINUTE);
    const a = await invite(eventId, { sendEmail: false });
    await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 });
    // The workflow finds nothing to wait for and ends; the PATCH starts it again.
    const handle = stack.temporal.workflow.getHandle(`reminders/${eventId}`);
    await eventually(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined));
    const startsAt = Date.now() + 30 * MINUTE;
    expect((await api('PATCH', `/v1/events/${eventId}`, { startsAt: iso(startsAt) })).status).toBe(200);
    await expectReminders([a.email], 1);
  });
});

describe('delivery faults', () => {
  it('sends each recipient exactly one reminder when Postmark fails once and the batch is retried', async () => {
    const eventId = await createEvent(60 * MINUTE + 60_000);
    const people = await Promise.all([1, 2, 3].map(() => invite(eventId, { sendEmail: false })));
    // Let other tests' workflows fall quiet, so the injected failure meets this batch.
    await pause(1_000);
    const before = { ...stack.postmark.requests };
    stack.postmark.failNext(1, { status: 500 });
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 61 })).json;

    await expectReminders(
      people.map((p) => p.email),
      1,
    );
    // One batch call failed, its retry sent the page; no single sends.
    expect(stack.postmark.requests['/email/batch'] - before['/email/batch']).toBe(2);
    expect(stack.postmark.requests['/email'] - before['/email']).toBe(0);
    const run = await eventually(async () => {
      const r = (await api('GET', `/v1/events/${eventId}/reminders/${rule.id}`)).json;
      return r.runs[0]?.finishedAt ? r.runs[0] : undefined;
    });
    expect(run).toMatchObject({ recipients: 3, sent: 3, failed: 0 });
  });

  it('records a final refusal as failed and still reminds the others', async () => {
    const eventId = await createEvent(60 * MINUTE + 60_000);
    const ok = await invite(eventId, { sendEmail: false });
    const bad = await invite(eventId, { sendEmail: false });
    stack.postmark.setRecipientError(bad.email, 406);
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 61 })).json;
    await expectReminders([ok.email], 1);
    const run = await eventually(async () => {
      const r = (await api('GET', `/v1/events/${eventId}/reminders/${rule.id}`)).json;
      return r.runs[0]?.finishedAt ? r.runs[0] : undefined;
    });
    expect(run).toMatchObject({ recipients: 2, sent: 1, failed: 1 });
    expect(remindersTo(bad.email)).toHaveLength(0);
  });
});

describe('sendReminderBatch', () => {
  it('walks the audience in keyset pages and sends nothing twice when a page is sent again', async () => {
    const eventId = await createEvent(10 * 24 * 60 * MINUTE);
    const people = await Promise.all([1, 2, 3, 4, 5].map(() => invite(eventId, { sendEmail: false })));
    const rule = (await createRule(eventId, { audience: 'invited_not_registered', offsetMinutes: 60 })).json;
    const { sendReminderBatch } = createReminderActivities({
      orm: stack.orm,
      email: createPostmarkTransport(stack.postmark.serverToken, stack.postmark.url),
      emailFrom: 'Roster <events@roster.test>',
      eventSiteUrl: EVENT_SITE_URL,
    });
    const pageOf = (afterAttendeeId: string | null, runId = firstRun): Promise<SendReminderBatchResult> =>
      new MockActivityEnvironment().run(sendReminderBatch, {
        eventId,
        ruleId: rule.id,
        runId,
        afterAttendeeId,
        limit: 2,
      });
    const firstRun = crypto.randomUUID();

    const ids = people.map((p) => p.id).sort();
    const first = await pageOf(null);
    expect(first).toEqual({ sent: 2, failed: 0, lastAttendeeId: ids[1], done: false });
    const second = await pageOf(first.lastAttendeeId);
    expect(second).toEqual({ sent: 2, failed: 0, lastAttendeeId: ids[3], done: false });
    const third = await pageOf(second.lastAttendeeId);
    expect(third).toEqual({ sent: 1, failed: 0, lastAttendeeId: ids[4], done: true });
    for (const person of people) expect(remindersTo(person.email)).toHaveLength(1);

    // A retried attempt of a page finds its ledger rows: counted as sent, not sent again.
    const batchCalls = stack.postmark.requests['/email/batch'];
    expect(await pageOf(null)).toEqual(first);
    expect(stack.postmark.requests['/email/batch']).toBe(batchCalls);
    for (const person of people) expect(remindersTo(person.email)).toHaveLength(1);

    // Another run has its own ledger keys.
    expect(await pageOf(null, crypto.randomUUID())).toEqual(first);
    for (const person of people.filter((p) => p.id === ids[0] || p.id === ids[1])) {
      expect(remindersTo(person.email)).toHaveLength(2);
    }
  });
});
