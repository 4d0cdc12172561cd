import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/attendee.activities';
import { createPostmarkTransport } from '../../activities/email-transport';
import { claimStart, finishImport } from '../../db/queries/imports';
import type { WebhookWakes } from '../../db/writes/webhook-events';
import { wakeDispatchers } from '../../workflows/webhooks/definitions';
import { eventually, type Stack, sampleEvent, startStack, WEBHOOK_TOKEN } from '../support/stack';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  verify,
  type WebhookReceiver,
} from '../support/webhook-receiver';

let stack: Stack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStack(), startWebhookReceiver()]);
});
afterAll(async () => {
  await receiver.close();
  await stack.close();
});

type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];

/** A new organization with one endpoint of the receiver (its own path) subscribed to `events`. */
async function withEndpoint(events: string[]) {
  const org = await stack.createOrganization();
  const path = `/${randomUUID()}`;
  const created = await org.client('POST', '/v1/webhook-endpoints', {
    url: receiver.url(path),
    events,
    description: 'test receiver',
  });
  expect(created.status).toBe(201);
  return {
    api: org.client,
    organizationId: org.organizationId,
    endpoint: created.json,
    secret: created.json.secret as string,
    path,
  };
}

const newEvent = async (api: Client, overrides: Record<string, unknown> = {}) => {
  const res = await api(
    'POST',
    '/v1/events',
    sampleEvent({ startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-03T17:00:00Z', ...overrides }),
  );
  expect(res.status).toBe(201);
  return res.json.id as string;
};

const invite = async (api: Client, eventId: string, body: Record<string, unknown> = {}) => {
  const res = await api('POST', `/v1/events/${eventId}/attendees`, {
    email: `p-${randomUUID()}@example.org`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    sendEmail: false,
    ...body,
  });
  expect(res.status).toBe(201);
  return res.json;
};

/** The requests at `path` once there are at least `n`. */
const receivedAt = (path: string, n = 1, timeoutMs = 15_000) =>
  eventually(() => (receiver.at(path).length >= n ? receiver.at(path) : undefined), timeoutMs);

/** The first event of a type received at `path`. */
const eventOf = (path: string, type: string, match: (r: ReceivedWebhook) => boolean = () => true) =>
  eventually(() => receiver.at(path).find((r) => r.payload?.type === type && match(r)));

/** The endpoint's deliveries once `done` holds for them. */
async function deliveriesWhen(
  api: Client,
  endpointId: string,
  // biome-ignore lint/suspicious/noExplicitAny: the deliveries API's JSON
  done: (items: any[]) => boolean,
  timeoutMs = 15_000,
) {
  return eventually(async () => {
    const res = await api('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`);
    expect(res.status).toBe(200);
    return done(res.json.items) ? res.json.items : undefined;
  }, timeoutMs);
}

describe('webhook endpoints', () => {
  it('answers the secret once, lists and gets endpoints without it, and keeps them to their organization', async () => {
    const { api, endpoint, secret } = await withEndpoint(['attendee.invited', 'import.completed']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
      events: ['attendee.invited', 'import.completed'],
      description: 'test receiver',
      enabled: true,
      disabledReason: null,
    });
    const got = await api('GET', `/v1/webhook-endpoints/${endpoint.id}`);
    expect(got.status).toBe(200);
    expect(got.json.secret).toBeUndefined();
    const listed = await api('GET', '/v1/webhook-endpoints');
    expect(listed.json).toMatchObject({ total: 1, nextCursor: null, items: [{ id: endpoint.id }] });
    expect(JSON.stringify(listed.json)).not.toContain(secret);

    const other = (await stack.createOrganization()).client;
    expect((await other('GET', `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect((await other('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: false })).status).toBe(
      404,
    );
    expect((await other('POST', `/v1/webhook-endpoints/${endpoint.id}/test`)).status).toBe(404);
    expect((await other('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`)).status).toBe(404);
    expect((await other('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).status).toBe(404);
    expect((await other('DELETE', `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect((await other('GET', '/v1/webhook-endpoints')).json).toMatchObject({ items: [], total: 0 });

    const patched = await api('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
      events: ['import.failed'],
      description: null,
    });
    expect(patched.json).toMatchObject({ events: ['import.failed'], description: null });
    expect((await api('DELETE', `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
  });

  it('refuses bad endpoints with 422', async () => {
    const api = (await stack.createOrganization()).client;
    const cases: unknown[] = [
      { url: receiver.url('/x'), events: [] },
      { url: receiver.url('/x'), events: ['attendee.exploded'] },
      { url: receiver.url('/x'), events: ['attendee.invited', 'attendee.invited'] },
      { url: receiver.url('/x') },
      { url: 'ftp://example.com/hook', events: ['attendee.invited'] },
      { url: 'not a url', events: ['attendee.invited'] },
      { url: 'http://user:pass@example.com/hook', events: ['attendee.invited'] },
    ];
    for (const body of cases) {
      const res = await api('POST', '/v1/webhook-endpoints', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.code).toBe('validation_failed');
    }
  });

  it('sends attendee.invited signed so the standardwebhooks verifier accepts it, with the attendee as the API shows it', async () => {
    const { api, endpoint, secret, path } = await withEndpoint(['attendee.invited']);
    const eventId = await newEvent(api);
    const attendee = await invite(api, eventId, { roles: ['speaker'], company: 'Analytical Engines' });
    const [request] = await receivedAt(path);
    const payload = verify(secret, request as ReceivedWebhook);
    const shown = (await api('GET', `/v1/events/${eventId}/attendees/${attendee.id}`)).json;
    const { history: _history, ...asListed } = shown;
    expect(payload).toEqual({
      id: request?.headers['webhook-id'],
      type: 'attendee.invited',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: asListed,
    });
    expect(() =>
      verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, request as ReceivedWebhook),
    ).toThrow();

    const [delivery] = await deliveriesWhen(api, endpoint.id, (items) => items[0]?.status === 'succeeded');
    expect(delivery).toMatchObject({
      eventId: request?.headers['webhook-id'],
      eventType: 'attendee.invited',
      status: 'succeeded',
      attemptCount: 1,
      nextAttemptAt: null,
      attempts: [{ succeeded: true, statusCode: 200, error: null, responseBody: 'ok' }],
    });
  });

  it('signs with the old and the new secret while a rotation overlaps', async () => {
    const { api, endpoint, secret: old, path } = await withEndpoint(['attendee.invited']);
    const rotated = await api('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const fresh = rotated.json.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const overlap = Date.parse(rotated.json.previousSecretExpiresAt) - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);

    const test = await api('POST', `/v1/webhook-endpoints/${endpoint.id}/test`);
    expect(test.status).toBe(202);
    expect(test.json).toMatchObject({ eventType: 'webhook.test', status: 'pending' });
    const [request] = await receivedAt(path);
    expect(request?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verify(old, request as ReceivedWebhook)).toMatchObject({
      type: 'webhook.test',
      data: { endpointId: endpoint.id },
    });
    expect(verify(fresh, request as ReceivedWebhook)).toMatchObject({ id: test.json.eventId });
  });

  it('retries after 500s with the same webhook-id, every attempt in the deliveries', async () => {
    const { api, endpoint, secret, path } = await withEndpoint(['attendee.invited']);
    receiver.respond(path, (n) => (n <= 2 ? { status: 500, body: `down ${n}` } : { status: 204 }));
    const test = await api('POST', `/v1/webhook-endpoints/${endpoint.id}/test`);
    const [delivery] = await deliveriesWhen(api, endpoint.id, (items) => items[0]?.status === 'succeeded');
    expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 204]);
    expect(delivery.attempts.map((a: { error: string | null }) => a.error)).toEqual([
      'HTTP 500',
      'HTTP 500',
      null,
    ]);
    expect(delivery.attempts[0].responseBody).toBe('down 1');
    expect(delivery.attemptCount).toBe(3);
    const requests = receiver.at(path);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([test.json.eventId]));
    for (const r of requests) expect(verify(secret, r)).toMatchObject({ id: test.json.eventId });
    // Each attempt is signed afresh.
    expect(requests[2]?.headers['webhook-timestamp']).toBeDefined();
    // The endpoint recovered: no failure left on it.
    expect((await api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).json.failingSince).toBeNull();
  });

  it('gives an unanswered attempt up after the timeout and tries again', async () => {
    const { api, endpoint, path } = await withEndpoint(['attendee.invited']);
    // The stack's attempt timeout is 2 s: the first answer comes too late, the second at once.
    receiver.respond(path, (n) => (n === 1 ? { delayMs: 3_500 } : {}));
    await api('POST', `/v1/webhook-endpoints/${endpoint.id}/test`);
    const [done] = await deliveriesWhen(api, endpoint.id, (items) => items[0]?.status === 'succeeded');
    expect(done.attempts.map((a: { succeeded: boolean }) => a.succeeded)).toEqual([false, true]);
    expect(done.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/timeout/) });
    expect(done.attempts[0].durationMs).toBeGreaterThanOrEqual(1_900);
    expect(done.attempts[0].durationMs).toBeLessThan(3_400);
    expect(new Set(receiver.at(path).map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('redelivers a delivery on request, with the same event id', async () => {
    const { api, endpoint, path } = await withEndpoint(['attendee.invited']);
    const eventId = await newEvent(api);
    await invite(api, eventId);
    const [first] = await receivedAt(path);
    const [delivery] = await deliveriesWhen(api, endpoint.id, (items) => items[0]?.status === 'succeeded');
    const again = await api(
      'POST',
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/redeliver`,
    );
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ id: delivery.id, status: 'pending' });
    const requests = await receivedAt(path, 2);
    expect(requests[1]?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(requests[1]?.body).toBe(first?.body);
    const [after] = await deliveriesWhen(
      api,
      endpoint.id,
      (items) => items[0]?.status === 'succeeded' && items[0]?.attemptCount === 2,
    );
    expect(after.attempts).toHaveLength(2);
    const unknown = await api(
      'POST',
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${randomUUID()}/redeliver`,
    );
    expect(unknown.status).toBe(404);
  });

  it('does not follow a redirect: the 3xx is a failed attempt', async () => {
    const { api, endpoint, path } = await withEndpoint(['attendee.invited']);
    receiver.respond(path, (n) =>
      n === 1 ? { status: 302, headers: { location: receiver.url('/elsewhere') } } : {},
    );
    await api('POST', `/v1/webhook-endpoints/${endpoint.id}/test`);
    const [done] = await deliveriesWhen(api, endpoint.id, (items) => items[0]?.status === 'succeeded');
    expect(done.attempts[0]).toMatchObject({
      succeeded: false,
      statusCode: 302,
      error: expect.stringMatching(/redirect/),
    });
    expect(receiver.at('/elsewhere')).toEqual([]);
  });

  it('writes no event at all for an organization without endpoints', async () => {
    const org = await stack.createOrganization();
    const eventId = await newEvent(org.client);
    await invite(org.client, eventId);
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>('select count(*)::int as n from webhook_events where organization_id = ?', [
        org.organizationId,
      ]);
    expect(row?.n).toBe(0);
  });
});

describe('one event of each type', () => {
  const hook = (body: unknown) =>
    fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`postmark:${WEBHOOK_TOKEN}`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });

  it('sends attendee.invited, status_changed (from, to, actor), registered and removed along an attendee’s lifecycle', async () => {
    const { api, path } = await withEndpoint([
      'attendee.invited',
      'attendee.registered',
      'attendee.status_changed',
      'attendee.removed',
    ]);
    const eventId = await newEvent(api);
    const email = `life-${randomUUID()}@example.org`;
    const attendee = await invite(api, eventId, { email, sendEmail: true });
    const message = await eventually(() =>
      stack.postmark.messages.find((m) => m.To === email && m.Metadata?.kind === 'invitation'),
    );
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(message.TextBody ?? '')?.[1];
    const accepted = await stack.client()('POST', `/v1/public/invitations/${token}/accept`, {});
    expect(accepted.status).toBe(200);

    const changed = await eventOf(path, 'attendee.status_changed');
    expect(changed.payload.data).toMatchObject({
      id: attendee.id,
      from: 'invited',
      to: 'registered',
      status: 'registered',
      detailedStatus: 'registered_no_confirmation_required',
      previousDetailedStatus: 'invited_by_team_member',
      actor: 'attendee',
    });
    const registered = await eventOf(path, 'attendee.registered');
    expect(registered.payload.data).toMatchObject({ id: attendee.id, status: 'registered', email });

    const blocked = await api('POST', `/v1/events/${eventId}/attendees/${attendee.id}/actions/block`);
    expect(blocked.status).toBe(200);
    const toBlocked = await eventOf(path, 'attendee.status_changed', (r) => r.payload.data.to === 'blocked');
    expect(toBlocked.payload.data).toMatchObject({
      from: 'registered',
      to: 'blocked',
      actor: expect.stringMatching(/^api_key:/),
    });
    await api('POST', `/v1/events/${eventId}/attendees/${attendee.id}/actions/unblock`);
    await eventOf(path, 'attendee.status_changed', (r) => r.payload.data.from === 'blocked');
    const removed = await api('POST', `/v1/events/${eventId}/attendees/${attendee.id}/actions/remove`);
    expect(removed.status).toBe(200);
    const gone = await eventOf(path, 'attendee.removed');
    expect(gone.payload.data).toMatchObject({ id: attendee.id, actions: [], removedAt: expect.any(String) });

    // Exactly once each: invited, accepted (changed + registered), blocked, unblocked, removed.
    await new Promise((r) => setTimeout(r, 500));
    const types = receiver.at(path).map((r) => r.payload.type);
    expect(types.sort()).toEqual(
      [
        'attendee.invited',
        'attendee.registered',
        'attendee.removed',
        'attendee.status_changed',
        'attendee.status_changed',
        'attendee.status_changed',
      ].sort(),
    );
    expect(new Set(receiver.at(path).map((r) => r.headers['webhook-id'])).size).toBe(6);
  });

  it('sends attendee.registered for a registration on the published page', async () => {
    const { api, path } = await withEndpoint(['attendee.registered', 'attendee.invited']);
    const eventId = await newEvent(api, { publishedRegistration: true });
    const email = `reg-${randomUUID()}@example.org`;
    const res = await stack.client()('POST', `/v1/public/events/${eventId}/registrations`, {
      email,
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    expect(res.status).toBe(202);
    const registered = await eventOf(path, 'attendee.registered');
    expect(registered.payload.data).toMatchObject({
      email,
      status: 'registered',
      detailedStatus: 'registered',
      eventId,
    });
    expect(receiver.at(path).map((r) => r.payload.type)).toEqual(['attendee.registered']);
  });

  it('sends attendee.erased with ids only, and redacts what was kept of the person', async () => {
    const { api, path } = await withEndpoint(['attendee.invited', 'attendee.erased']);
    const eventId = await newEvent(api);
    const email = `erase-${randomUUID()}@example.org`;
    const attendee = await invite(api, eventId, { email });
    await eventOf(path, 'attendee.invited');
    expect((await api('DELETE', `/v1/people?email=${encodeURIComponent(email)}`)).status).toBe(200);
    const erased = await eventOf(path, 'attendee.erased');
    expect(erased.payload.data).toEqual({ id: attendee.id, eventId });
    expect(erased.body).not.toContain(email);
    const kept = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ data: unknown }[]>('select data from webhook_events where subject_id = ?', [attendee.id]);
    expect(kept.map((k: { data: unknown }) => k.data)).toEqual([{ id: attendee.id, redacted: true }]);
  });

  it('sends import.completed, import.cancelled and import.failed with the import as the API shows it', async () => {
    const { api, path } = await withEndpoint(['import.completed', 'import.cancelled', 'import.failed']);
    const eventId = await newEvent(api);
    const upload = async () => {
      const csv = `email,first_name,last_name\n${[1, 2, 3].map((i) => `imp${i}-${randomUUID()}@example.org,I,${i}`).join('\n')}\n`;
      const res = await api('POST', `/v1/events/${eventId}/imports`, csv, { 'content-type': 'text/csv' });
      expect(res.status).toBe(201);
      return res.json.id as string;
    };
    const done = await upload();
    await api('POST', `/v1/events/${eventId}/imports/${done}/start`, { sendEmail: false });
    const completed = await eventOf(path, 'import.completed');
    const shown = (await api('GET', `/v1/events/${eventId}/imports/${done}`)).json;
    expect(completed.payload.data).toMatchObject({
      id: done,
      status: 'completed',
      progress: shown.progress,
      totals: shown.totals,
    });

    const cancelledId = await upload();
    expect((await api('POST', `/v1/events/${eventId}/imports/${cancelledId}/cancel`)).status).toBe(200);
    const cancelled = await eventOf(path, 'import.cancelled');
    expect(cancelled.payload.data).toMatchObject({
      id: cancelledId,
      status: 'cancelled',
      finishedAt: expect.any(String),
    });

    // No route makes an import fail: the bulk workflow's own write of a failure, as its activity does it.
    const failedId = await upload();
    const em = stack.orm.em.fork();
    await claimStart(em, failedId, { sendEmail: false, notifyEmail: null });
    const wakes: WebhookWakes = new Set();
    expect(await finishImport(em, failedId, 'failed', wakes)).toBe(true);
    expect(await finishImport(em, failedId, 'failed', wakes)).toBe(false);
    await wakeDispatchers(stack.temporal, stack.taskQueue, wakes);
    const failed = await eventOf(path, 'import.failed');
    expect(failed.payload.data).toMatchObject({ id: failedId, status: 'failed', eventId });
    expect(
      receiver
        .at(path)
        .map((r) => r.payload.type)
        .sort(),
    ).toEqual(['import.cancelled', 'import.completed', 'import.failed']);
  });

  it('sends email.delivered and email.bounced from Postmark’s webhooks once however often they come', async () => {
    const { api, path } = await withEndpoint(['email.delivered', 'email.bounced']);
    const eventId = await newEvent(api);
    const email = `mail-${randomUUID()}@example.org`;
    const attendee = await invite(api, eventId, { email, sendEmail: true });
    const message = await eventually(() => stack.postmark.messages.find((m) => m.To === email));
    for (let i = 0; i < 3; i++) {
      expect(
        (await hook({ RecordType: 'Delivery', MessageID: message.MessageID, Metadata: message.Metadata }))
          .status,
      ).toBe(200);
    }
    const delivered = await eventOf(path, 'email.delivered');
    expect(delivered.payload.data).toMatchObject({
      attendeeId: attendee.id,
      eventId,
      kind: 'invitation',
      to: email,
      status: 'delivered',
      messageId: message.MessageID,
    });
    await hook({ RecordType: 'Bounce', MessageID: message.MessageID, Type: 'HardBounce', Inactive: true });
    const bounced = await eventOf(path, 'email.bounced');
    expect(bounced.payload.data).toMatchObject({ id: delivered.payload.data.id, status: 'bounced' });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.at(path).map((r) => r.payload.type)).toEqual(['email.delivered', 'email.bounced']);
  });

  it('sends email.failed when Postmark refuses a message for good', async () => {
    const { api, path } = await withEndpoint(['email.failed']);
    const eventId = await newEvent(api);
    const email = `inactive-${randomUUID()}@example.org`;
    stack.postmark.setRecipientError(email, 406);
    const attendee = await invite(api, eventId, { email, sendEmail: true });
    const failed = await eventOf(path, 'email.failed');
    expect(failed.payload.data).toMatchObject({
      attendeeId: attendee.id,
      kind: 'invitation',
      status: 'failed',
      error: { code: 406, message: expect.stringMatching(/inactive/) },
    });
  });
});

describe('exactly once at the source', () => {
  it('writes one event when the workflow’s activity runs again for the same change (a retry)', async () => {
    const { api, endpoint, path } = await withEndpoint(['attendee.invited', 'attendee.status_changed']);
    const eventId = await newEvent(api);
    const attendee = await invite(api, eventId);
    await eventOf(path, 'attendee.invited');
    const activities = createActivities({
      orm: stack.orm,
      email: createPostmarkTransport(stack.postmark.serverToken, stack.postmark.url),
      emailFrom: 'Roster <events@roster.test>',
      eventSiteUrl: 'https://events.example.test',
      wakeWebhooks: (ids) => wakeDispatchers(stack.temporal, stack.taskQueue, ids),
    });
    // The input the workflow recorded for its activity: a retry gets the same history row id.
    const input = {
      attendeeId: attendee.id as string,
      historyId: randomUUID(),
      position: { status: 'blocked' as const, detailedStatus: 'blocked' as const },
      statusChanged: true,
      beforeBlock: { status: 'invited' as const, detailedStatus: 'invited_by_team_member' as const },
      flags: { awaitingConfirmation: false, chatTermsAgreed: false, chatBlocked: false },
      by: 'api_key:retry-test',
      at: new Date().toISOString(),
    };
    const env = new MockActivityEnvironment();
    await env.run(activities.recordTransition, input);
    await env.run(activities.recordTransition, input);
    const changed = await eventOf(path, 'attendee.status_changed');
    expect(changed.payload.data).toMatchObject({
      id: attendee.id,
      from: 'invited',
      to: 'blocked',
      actor: 'api_key:retry-test',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.at(path).map((r) => r.payload.type)).toEqual([
      'attendee.invited',
      'attendee.status_changed',
    ]);
    expect((await api('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json.total).toBe(2);
  });
});

describe('an endpoint that keeps failing', () => {
  let short: Stack;
  beforeAll(async () => {
    short = await startStack({
      webhooks: {
        disableAfterMs: 1_500,
        retry: { initialMs: 100, maxIntervalMs: 300, windowMs: 60 * 60 * 1000 },
      },
    });
  });
  afterAll(() => short.close());

  it('is disabled after failing for the set time, with the reason on it, and PATCH re-enables it', async () => {
    const org = await short.createOrganization();
    const path = `/${randomUUID()}`;
    let healthy = false;
    receiver.respond(path, () => (healthy ? {} : { status: 503 }));
    const created = await org.client('POST', '/v1/webhook-endpoints', {
      url: receiver.url(path),
      events: ['attendee.invited'],
    });
    const id = created.json.id as string;
    const test = await org.client('POST', `/v1/webhook-endpoints/${id}/test`);
    const disabled = await eventually(async () => {
      const res = await org.client('GET', `/v1/webhook-endpoints/${id}`);
      return res.json.enabled ? undefined : res.json;
    });
    expect(disabled.disabledReason).toMatch(/failed from .* \(longer than .*\); the last one: HTTP 503/);
    expect(disabled.disabledAt).toEqual(expect.any(String));
    expect(Date.parse(disabled.disabledAt) - Date.parse(disabled.failingSince)).toBeGreaterThanOrEqual(1_500);
    const attempts = receiver.at(path).length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    // Disabled: nothing more is tried, and a test event is refused.
    await new Promise((r) => setTimeout(r, 700));
    expect(receiver.at(path).length).toBe(attempts);
    expect((await org.client('POST', `/v1/webhook-endpoints/${id}/test`)).json.code).toBe(
      'webhook_endpoint_disabled',
    );
    // The delivery waits, pending, with the time of its next attempt.
    const waiting = (await org.client('GET', `/v1/webhook-endpoints/${id}/deliveries`)).json.items[0];
    expect(waiting).toMatchObject({ status: 'pending', attemptCount: attempts });
    expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThan(Date.parse(waiting.lastAttemptAt));

    healthy = true;
    const enabled = await org.client('PATCH', `/v1/webhook-endpoints/${id}`, { enabled: true });
    expect(enabled.json).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const [delivery] = await eventually(async () => {
      const res = await org.client('GET', `/v1/webhook-endpoints/${id}/deliveries`);
      return res.json.items[0]?.status === 'succeeded' ? res.json.items : undefined;
    });
    expect(delivery.eventId).toBe(test.json.eventId);
    expect(delivery.attempts.at(-1)).toMatchObject({ succeeded: true, statusCode: 200 });
  });
});
