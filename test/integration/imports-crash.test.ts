import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../db/orm';
import { startPostmarkFake } from '../support/postmark-fake';
import { callApi, runEntry, sharedServersEnv, stopProcess, waitForHttp } from '../support/processes';
import { eventually, sampleEvent } from '../support/stack';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('a worker killed in the middle of an import', () => {
  it('loses no one: after kill -9 and a new worker, every valid row is invited exactly once', async () => {
    const postmark = await startPostmarkFake({ latencyMs: 40 });
    cleanups.push(() => postmark.close());
    const { env, key, base } = await sharedServersEnv(postmark, 'crash', {
      databaseUrl: inject('databaseUrl'),
      temporalAddress: inject('temporalAddress'),
    });
    const api = runEntry('api/main.ts', env);
    const first = runEntry('worker/main.ts', env);
    cleanups.push(
      () => stopProcess(api.child),
      // Killed by the test; a second kill would wait for an exit that already happened.
      async () =>
        first.child.exitCode === null && first.child.signalCode === null ? stopProcess(first.child) : null,
    );
    await waitForHttp(`${base}/ready`, api.child, api.output);

    const ROWS = 600;
    const eventId = (await callApi(base, key, 'POST', '/v1/events', sampleEvent({ name: 'Crash' }))).json.id;
    const file = `email,first_name,last_name\n${Array.from({ length: ROWS }, (_, i) => `crash${i}@example.org,C,${i}`).join('\n')}\n`;
    const report = await callApi(base, key, 'POST', `/v1/events/${eventId}/imports`, file, 'text/csv');
    expect(report.json.totals.valid).toBe(ROWS);
    const started = await callApi(
      base,
      key,
      'POST',
      `/v1/events/${eventId}/imports/${report.json.id}/start`,
      {
        pageSize: 20,
      },
    );
    expect(started.status).toBe(202);

    // Kill the worker as soon as it is visibly in the middle of the import.
    await eventually(() => (postmark.messages.length >= 60 ? true : undefined), 90_000);
    await stopProcess(first.child, 'SIGKILL');
    const atKill = postmark.messages.length;
    const progressAtKill = (
      await callApi(base, key, 'GET', `/v1/events/${eventId}/imports/${report.json.id}`)
    ).json;
    expect(progressAtKill.status).toBe('running');
    expect(atKill).toBeLessThan(ROWS);

    const second = runEntry('worker/main.ts', env);
    cleanups.push(() => stopProcess(second.child));
    const done = await eventually(async () => {
      const res = await callApi(base, key, 'GET', `/v1/events/${eventId}/imports/${report.json.id}`);
      return res.json.status === 'running' ? undefined : res.json;
    }, 150_000);
    expect(done.status).toBe('completed');
    expect(done.progress).toEqual({ processed: ROWS, invited: ROWS, emailed: ROWS, failed: 0, skipped: 0 });

    // Everyone is there once, with one history row, one sent ledger row and one lifecycle workflow.
    const orm = await openOrm({ kind: 'postgres', url: inject('databaseUrl') }, { pool: 2 });
    cleanups.push(() => orm.close());
    const conn = orm.em.fork().getConnection();
    const [counts] = await conn.execute<{ attendees: number; keys: number; history: number; sent: number }[]>(
      `select count(*)::int as attendees, count(distinct a.email_key)::int as keys,
              (select count(*)::int from attendee_history h join attendees x on x.id = h.attendee_id
                where x.event_id = ?) as history,
              (select count(*)::int from email_messages m where m.event_id = ? and m.status = 'sent') as sent
         from attendees a where a.event_id = ?`,
      [eventId, eventId, eventId],
    );
    expect(counts).toEqual({ attendees: ROWS, keys: ROWS, history: ROWS, sent: ROWS });

    const perAddress = new Map<string, number>();
    for (const m of postmark.messages) perAddress.set(m.To, (perAddress.get(m.To) ?? 0) + 1);
    expect(perAddress.size).toBe(ROWS);
    // Not even the calls in flight when the worker died are sent twice: the retried pages looked
    // them up at Postmark by the attempt stamped on their ledger rows.
    expect([...perAddress.values()].filter((n) => n > 1)).toEqual([]);

    const workflowIds = await conn.execute<{ workflow_id: string }[]>(
      'select workflow_id from attendees where event_id = ?',
      [eventId],
    );
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });
    const statuses = new Map<string, number>();
    for (let i = 0; i < workflowIds.length; i += 50) {
      const described = await Promise.all(
        workflowIds
          .slice(i, i + 50)
          .map((r: { workflow_id: string }) => client.workflow.getHandle(r.workflow_id).describe()),
      );
      for (const d of described) statuses.set(d.status.name, (statuses.get(d.status.name) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ RUNNING: ROWS });
  }, 300_000);
});
