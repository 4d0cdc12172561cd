/**
 * The chaos run: a bulk invite with email while the service is killed, PostgreSQL and Temporal
 * restart, and Postmark fails at random, stays down, and takes calls it never answers. Then every
 * valid row must be invited once, every deliverable recipient emailed, and nobody emailed twice.
 *
 * `npm test` runs a small one; `npm run test:chaos` the full one (CHAOS_ROWS=10000, a 30 s
 * outage). CHAOS_SEED replays a run's moments and Postmark faults.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newKeyEntry } from '../../config/payload-codec';
import { mulberry32, startPostmarkFake } from '../support/postmark-fake';
import { callApi, freePort, runEntry, stopProcess, waitForHttp } from '../support/processes';
import { sampleEvent } from '../support/stack';
import { startPrivatePostgres, temporalDevServer } from './servers';

const ROWS = Number(process.env.CHAOS_ROWS ?? 1500);
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_SECONDS ?? 10) * 1000;
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const PAGE_SIZE = Math.max(25, Math.min(200, Math.round(ROWS / 40)));

/** The file: mostly deliverable people, some invalid rows, in-file duplicates and inactive recipients. */
function chaosFile(n: number) {
  const lines: string[] = [];
  const expected = {
    valid: 0,
    invalid: 0,
    duplicates: 0,
    deliverable: new Set<string>(),
    inactive: new Set<string>(),
  };
  for (let i = 0; i < n; i++) {
    if (i % 50 === 7) {
      lines.push(`not-an-address-${i},Bad,Row`);
      expected.invalid++;
    } else if (i % 100 === 13) {
      lines.push(`chaos${i - 1}@example.org,Dup,Row`);
      expected.duplicates++;
    } else {
      const email = `chaos${i}@example.org`;
      lines.push(`${email},Person,${i}`);
      expected.valid++;
      (i % 97 === 5 ? expected.inactive : expected.deliverable).add(email);
    }
  }
  return { csv: `email,first_name,last_name\n${lines.join('\n')}\n`, expected };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe(`chaos: a ${ROWS}-row bulk invite through kills, restarts and Postmark faults (seed ${SEED})`, () => {
  it('completes, invites every valid row once and emails every deliverable recipient once', async () => {
    const started = performance.now();
    const random = mulberry32(SEED);
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-chaos-'));
    // Traversable, so a cluster owned by the postgres user (when run as root) can live inside.
    chmodSync(dir, 0o755);
    // Runs last (cleanups run in reverse): the servers have stopped by then.
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const postgres = await startPrivatePostgres(path.join(dir, 'postgres'));
    cleanups.push(() => postgres.stop());
    const temporal = await temporalDevServer(path.join(dir, 'temporal'));
    await temporal.start();
    cleanups.push(() => temporal.stop());
    const postmark = await startPostmarkFake({ latencyMs: 20 });
    cleanups.push(() => postmark.close());

    const { csv, expected } = chaosFile(ROWS);
    for (const email of expected.inactive) postmark.setRecipientError(email, 406);

    const port = await freePort();
    const key = 'rk_chaos';
    const base = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'roster-chaos',
      POSTMARK_SERVER_TOKEN: postmark.serverToken,
      POSTMARK_API_URL: postmark.url,
      POSTMARK_TIMEOUT_SECONDS: '5',
      ROSTER_API_KEY: key,
      ROSTER_PAYLOAD_KEYS: newKeyEntry('chaos'),
    };

    // The service: API and worker processes. A process that dies on its own is a failure of the run.
    let service: ReturnType<typeof runEntry>[] = [];
    const unexpectedExits: string[] = [];
    const startService = async () => {
      service = [runEntry('api/main.ts', env), runEntry('worker/main.ts', env)];
      for (const p of service) {
        p.child.once('exit', (code, signal) => {
          if (signal !== 'SIGKILL' && signal !== 'SIGINT')
            unexpectedExits.push(`exit ${code ?? signal}:\n${p.output().slice(-3000)}`);
        });
      }
      const [api] = service;
      if (api) await waitForHttp(`${base}/ready`, api.child, api.output, 120_000);
    };
    const restartService = async () => {
      await Promise.all(service.map((p) => stopProcess(p.child, 'SIGKILL')));
      await startService();
    };
    const restartTemporal = async () => {
      await temporal.stop();
      await sleep(5000);
      await temporal.start();
    };
    cleanups.push(() => Promise.all(service.map((p) => stopProcess(p.child))));
    await startService();

    const eventId = (await callApi(base, key, 'POST', '/v1/events', sampleEvent({ name: 'Chaos' }))).json.id;
    const report = await callApi(base, key, 'POST', `/v1/events/${eventId}/imports`, csv, 'text/csv');
    expect(report.status).toBe(201);
    expect(report.json.totals).toMatchObject({
      rows: ROWS,
      valid: expected.valid,
      invalid: expected.invalid + expected.duplicates,
      duplicateInFile: expected.duplicates,
    });

    // Postmark misbehaves from the start to the end: 10 % 500s and 5 % 429s, drawn from the seed.
    postmark.setFaultRates({ 500: 0.1, 429: 0.05 }, SEED);
    const start = await callApi(base, key, 'POST', `/v1/events/${eventId}/imports/${report.json.id}/start`, {
      sendEmail: true,
      pageSize: PAGE_SIZE,
    });
    expect(start.status).toBe(202);

    // The faults, in a seeded order, each at a seeded moment of the progress (recipients emailed).
    const faults: [string, () => Promise<void>][] = [
      ['kill the service', restartService],
      ['kill the service', restartService],
      ['kill the service', restartService],
      ['restart PostgreSQL', () => postgres.restart()],
      ['stop Temporal, restart it 5 s later', restartTemporal],
      [`Postmark down for ${OUTAGE_MS / 1000} s`, async () => postmark.setOutage(OUTAGE_MS)],
      [
        'Postmark takes a call and never answers',
        async () => postmark.failNext(1, { status: 'timeout_after_accept' }),
      ],
      [
        'Postmark takes a call and never answers',
        async () => postmark.failNext(1, { status: 'timeout_after_accept' }),
      ],
    ];
    for (let i = faults.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [faults[i], faults[j]] = [faults[j] as (typeof faults)[number], faults[i] as (typeof faults)[number]];
    }
    const moments = faults.map(() => 0.05 + random() * 0.8).sort((a, b) => a - b);
    const emailed = () => new Set(postmark.messages.map((m) => m.To)).size;
    const log: string[] = [];
    let previous = -1;
    for (const [index, [name, inject]] of faults.entries()) {
      // At its moment, and only after the previous fault let some work through; when every
      // recipient is emailed already (the faults came late), at once: the import's last steps
      // still run through it.
      const at = Math.min(
        Math.max(Math.ceil((moments[index] as number) * expected.deliverable.size), previous + 1),
        expected.deliverable.size,
      );
      await waitUntil(() => emailed() >= at, 600_000, `${at} recipients emailed before "${name}"`);
      previous = emailed();
      log.push(`${name} at ${previous}/${expected.deliverable.size} emailed`);
      await inject();
    }

    const done = await waitUntil(
      async () => {
        const res = await callApi(base, key, 'GET', `/v1/events/${eventId}/imports/${report.json.id}`).catch(
          () => undefined,
        );
        return res?.json?.status && res.json.status !== 'running' ? res.json : undefined;
      },
      900_000,
      'the import to finish',
    );
    const seconds = Math.round((performance.now() - started) / 1000);

    // What Postmark got: every deliverable recipient, and how many of them twice.
    const perAddress = new Map<string, number>();
    for (const m of postmark.messages) perAddress.set(m.To, (perAddress.get(m.To) ?? 0) + 1);
    const duplicates = [...perAddress.values()].reduce((sum, n) => sum + n - 1, 0);
    const summary = {
      seed: SEED,
      rows: ROWS,
      seconds,
      faults: log,
      postmarkFaults: { ...postmark.faults },
      postmarkCalls: { ...postmark.requests },
      duplicates,
      unexpectedExits: unexpectedExits.length,
    };
    console.log(`chaos run: ${JSON.stringify(summary, null, 2)}`);

    expect(unexpectedExits).toEqual([]);
    expect(log).toHaveLength(faults.length);
    expect(done.status).toBe('completed');
    expect(done.progress).toEqual({
      processed: expected.valid,
      invited: expected.valid,
      emailed: expected.deliverable.size,
      failed: expected.inactive.size,
      skipped: 0,
    });
    expect([...expected.deliverable].filter((email) => !perAddress.has(email))).toEqual([]);
    expect([...perAddress.keys()].filter((email) => !expected.deliverable.has(email))).toEqual([]);
    // Every call in flight at a kill or left unanswered was looked up at Postmark before a resend.
    expect(duplicates).toBe(0);

    // The database: each valid row once, with one history row, its ledger row settled.
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    cleanups.push(() => db.end());
    const { rows } = await db.query(
      `select count(*)::int as attendees, count(distinct a.email_key)::int as keys,
              (select count(*)::int from attendee_history h join attendees x on x.id = h.attendee_id
                where x.event_id = $1) as history,
              (select count(*)::int from email_messages m where m.event_id = $1 and m.status = 'sent') as sent,
              (select count(*)::int from email_messages m where m.event_id = $1 and m.status = 'failed') as failed,
              (select count(*)::int from email_messages m where m.event_id = $1 and m.status = 'pending') as pending
         from attendees a where a.event_id = $1`,
      [eventId],
    );
    expect(rows[0]).toEqual({
      attendees: expected.valid,
      keys: expected.valid,
      history: expected.valid,
      sent: expected.deliverable.size,
      failed: expected.inactive.size,
      pending: 0,
    });

    // Temporal: one lifecycle workflow per attendee, all running.
    const ids = (await db.query('select workflow_id from attendees where event_id = $1', [eventId])).rows;
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });
    const statuses = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 100) {
      const described = await Promise.all(
        ids.slice(i, i + 100).map((r) => client.workflow.getHandle(r.workflow_id).describe()),
      );
      for (const d of described) statuses.set(d.status.name, (statuses.get(d.status.name) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ RUNNING: expected.valid });
  }, 1_800_000);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
