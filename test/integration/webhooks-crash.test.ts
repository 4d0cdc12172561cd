import { afterAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../db/orm';
import { startPostmarkFake } from '../support/postmark-fake';
import { callApi, runEntry, sharedServersEnv, stopProcess, waitForHttp } from '../support/processes';
import { eventually, sampleEvent } from '../support/stack';
import { startWebhookReceiver, verify } from '../support/webhook-receiver';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('a worker killed in the middle of webhook deliveries', () => {
  it('loses no event and doubles none: every imported attendee’s attendee.invited arrives, under one webhook-id', async () => {
    const [postmark, receiver] = await Promise.all([startPostmarkFake(), startWebhookReceiver()]);
    cleanups.push(
      () => postmark.close(),
      () => receiver.close(),
    );
    const shared = await sharedServersEnv(postmark, 'webhook-crash', {
      databaseUrl: inject('databaseUrl'),
      temporalAddress: inject('temporalAddress'),
    });
    const env = {
      ...shared.env,
      WEBHOOK_ATTEMPT_TIMEOUT_MS: '1000',
      WEBHOOK_RETRY_INITIAL_MS: '200',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '2000',
    };
    const { key, base } = shared;
    const api = runEntry('api/main.ts', env);
    const first = runEntry('worker/main.ts', env);
    cleanups.push(
      () => stopProcess(api.child),
      async () =>
        first.child.exitCode === null && first.child.signalCode === null ? stopProcess(first.child) : null,
    );
    await waitForHttp(`${base}/ready`, api.child, api.output);

    // Every answer takes a moment, so deliveries are in flight when the worker dies.
    receiver.respond('/crash', () => ({ delayMs: 20 }));
    const endpoint = await callApi(base, key, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url('/crash'),
      events: ['attendee.invited'],
    });
    expect(endpoint.status).toBe(201);
    const secret = endpoint.json.secret as string;

    const ROWS = 2000;
    const eventId = (await callApi(base, key, 'POST', '/v1/events', sampleEvent({ name: 'Hooks' }))).json.id;
    const file = `email,first_name,last_name\n${Array.from({ length: ROWS }, (_, i) => `hook${i}@example.org,H,${i}`).join('\n')}\n`;
    const report = await callApi(base, key, 'POST', `/v1/events/${eventId}/imports`, file, 'text/csv');
    expect(report.json.totals.valid).toBe(ROWS);
    const started = await callApi(
      base,
      key,
      'POST',
      `/v1/events/${eventId}/imports/${report.json.id}/start`,
      {
        sendEmail: false,
        pageSize: 250,
      },
    );
    expect(started.status).toBe(202);

    await eventually(() => (receiver.received.length >= 300 ? true : undefined), 90_000);
    await stopProcess(first.child, 'SIGKILL');
    const atKill = new Set(receiver.received.map((r) => r.headers['webhook-id'])).size;
    expect(atKill).toBeLessThan(ROWS);

    const second = runEntry('worker/main.ts', env);
    cleanups.push(() => stopProcess(second.child));
    await eventually(
      () => (new Set(receiver.received.map((r) => r.headers['webhook-id'])).size >= ROWS ? true : undefined),
      150_000,
    );
    // Whatever was still in flight has landed.
    await new Promise((r) => setTimeout(r, 1_000));

    const idsByAttendee = new Map<string, Set<string>>();
    for (const r of receiver.received) {
      expect(r.payload.type).toBe('attendee.invited');
      const ids = idsByAttendee.get(r.payload.data.id) ?? new Set<string>();
      ids.add(r.headers['webhook-id'] as string);
      idsByAttendee.set(r.payload.data.id, ids);
    }
    expect(idsByAttendee.size).toBe(ROWS);
    expect([...idsByAttendee.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    // The same attendees the import invited.
    const orm = await openOrm({ kind: 'postgres', url: inject('databaseUrl') }, { pool: 2 });
    cleanups.push(() => orm.close());
    const attendees = await orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>('select id from attendees where event_id = ?', [eventId]);
    expect(new Set(attendees.map((a: { id: string }) => a.id))).toEqual(new Set(idsByAttendee.keys()));
    // Redelivered ones (in flight at the kill) carry the same id and a valid signature.
    for (const r of receiver.received.slice(0, 50))
      expect(verify(secret, r)).toMatchObject({ type: 'attendee.invited' });
    const deliveries = await callApi(
      base,
      key,
      'GET',
      `/v1/webhook-endpoints/${endpoint.json.id}/deliveries?status=pending&limit=1`,
    );
    expect(deliveries.json.total).toBe(0);
  }, 300_000);
});
