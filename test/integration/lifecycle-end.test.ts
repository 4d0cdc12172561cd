import protos from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

// Attendee workflows end a retention period after their event (issue 15); a second here.
let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let open: Client;

beforeAll(async () => {
  stack = await startStack({ app: { attendeeRetentionMs: 1000 } });
  api = (await stack.createOrganization()).client;
  open = stack.client();
});
afterAll(() => stack.close());

const EventType = protos.temporal.api.enums.v1.EventType;
const PAST = { startsAt: '2020-03-01T09:00:00Z', endsAt: '2020-03-03T17:00:00Z' };

async function invite(event: Record<string, unknown>) {
  const created = await api('POST', '/v1/events', sampleEvent(event));
  expect(created.status).toBe(201);
  const eventId = created.json.id as string;
  const email = `p-${crypto.randomUUID()}@example.org`;
  const invited = await api('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
  });
  expect(invited.status).toBe(201);
  const attendeeId = invited.json.id as string;
  const [row] = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ workflow_id: string }[]>('select workflow_id from attendees where id = ?', [attendeeId]);
  return {
    eventId,
    email,
    attendeeId,
    workflowId: row?.workflow_id as string,
    path: `/v1/events/${eventId}/attendees/${attendeeId}`,
  };
}

const status = async (workflowId: string) =>
  (await stack.temporal.workflow.getHandle(workflowId).describe()).status.name;

/** Waits until the workflow's latest run has ended, as it does a retention period after the event. */
const ended = (workflowId: string) =>
  eventually(async () => ((await status(workflowId)) === 'COMPLETED' ? true : undefined), 20_000);

const mails = (email: string, kind: string) =>
  stack.postmark.messages.filter((m) => m.To === email && m.Metadata?.kind === kind);

describe('attendee workflows that end', () => {
  it('end after the event and carry on from the stored state for organizer and attendee actions', async () => {
    const a = await invite(PAST);
    await eventually(() => mails(a.email, 'invitation')[0]);
    await ended(a.workflowId);

    // An organizer's block starts a new run from the row, which then ends again.
    expect((await api('POST', `${a.path}/actions/block`)).status).toBe(200);
    await ended(a.workflowId);
    // Unblock returns to the position stored before the block.
    const unblocked = await api('POST', `${a.path}/actions/unblock`);
    expect(unblocked.status).toBe(200);
    expect(unblocked.json).toMatchObject({ status: 'invited', detailedStatus: 'invited_by_team_member' });
    await ended(a.workflowId);

    // A resend after the end uses a new ledger key: the email really goes out.
    expect((await api('POST', `${a.path}/actions/resend_email`)).status).toBe(200);
    await eventually(() => mails(a.email, 'invitation')[1]);
    await ended(a.workflowId);

    // The attendee asks for a login link and logs in with it, each on a new run.
    const asked = await open('POST', `/v1/public/events/${a.eventId}/login-link`, { email: a.email });
    expect(asked.status).toBe(202);
    const link = await eventually(() => mails(a.email, 'login_link')[0]);
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(link.TextBody ?? '')?.[1];
    await ended(a.workflowId);
    const login = await open('POST', '/v1/public/login', { token });
    expect(login.status).toBe(200);
    expect(login.json.attendee).toMatchObject({ status: 'invited' });

    const [ledger] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ keys: string[] }[]>(
        'select array_agg(ledger_key order by ledger_key) as keys from email_messages where attendee_id = ?',
        [a.attendeeId],
      );
    expect(ledger?.keys).toEqual([
      `${a.attendeeId}/invitation/1`,
      `${a.attendeeId}/invitation/2`,
      `${a.attendeeId}/login_link/3`,
    ]);
  });

  it('erases a person whose workflow has ended', async () => {
    const a = await invite(PAST);
    await ended(a.workflowId);
    const erased = await api('DELETE', `/v1/people?email=${encodeURIComponent(a.email)}`);
    expect(erased.status).toBe(200);
    expect(erased.json.erased.attendees).toBe(1);
    expect((await api('GET', a.path)).status).toBe(404);
    // A later command for the erased person finds nobody, and starts no workflow.
    expect((await api('POST', `${a.path}/actions/block`)).status).toBe(404);
  });

  it("closes an untouched imported attendee's workflow at its end with its one workflow task", async () => {
    const created = await api(
      'POST',
      '/v1/events',
      // Late enough that the import starts the workflow before the end, even on a busy machine.
      sampleEvent({ startsAt: '2020-03-01T09:00:00Z', endsAt: new Date(Date.now() + 10_000).toISOString() }),
    );
    const eventId = created.json.id as string;
    const email = `imported-${crypto.randomUUID()}@example.org`;
    const upload = await api(
      'POST',
      `/v1/events/${eventId}/imports`,
      `email,first_name,last_name\n${email},Ada,Lovelace\n`,
      { 'content-type': 'text/csv' },
    );
    expect(upload.status).toBe(201);
    expect((await api('POST', `/v1/events/${eventId}/imports/${upload.json.id}/start`)).status).toBe(202);
    await eventually(() => mails(email, 'invitation')[0]);
    // The workflows start after the emails: `completed` means every one has started.
    await eventually(async () => {
      const res = await api('GET', `/v1/events/${eventId}/imports/${upload.json.id}`);
      return res.json.status === 'completed' ? true : undefined;
    });
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string; workflow_id: string }[]>(
        'select id, workflow_id from attendees where event_id = ?',
        [eventId],
      );
    const workflowId = row?.workflow_id as string;
    await ended(workflowId);
    const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
    const backoff = history.events?.[0]?.workflowExecutionStartedEventAttributes?.firstWorkflowTaskBackoff;
    expect(Number(backoff?.seconds ?? 0) + (backoff?.nanos ?? 0) / 1e9).toBeGreaterThan(0);
    const types = (history.events ?? []).map((e) => EventType[e.eventType ?? 0]);
    // One workflow task in all: it looked the event's end up, kept the final state and closed.
    expect(types).toEqual([
      'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_MARKER_RECORDED',
      'EVENT_TYPE_MARKER_RECORDED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
    ]);
    const person = await api('GET', `/v1/events/${eventId}/attendees/${row?.id}`);
    expect(person.json).toMatchObject({ status: 'invited', detailedStatus: 'invited_by_team_member' });
  });

  it('ends when the event is over, and stays open when the event was moved later', async () => {
    const soon = () => ({
      startsAt: '2020-03-01T09:00:00Z',
      endsAt: new Date(Date.now() + 3000).toISOString(),
    });
    const kept = await invite(soon());
    const ends = await invite(soon());
    // Moved without any command reaching the attendee: the workflow looks the end up itself.
    const moved = await api('PATCH', `/v1/events/${kept.eventId}`, { endsAt: '2030-03-03T17:00:00Z' });
    expect(moved.status).toBe(200);
    await ended(ends.workflowId);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await status(kept.workflowId)).toBe('RUNNING');
  });
});
