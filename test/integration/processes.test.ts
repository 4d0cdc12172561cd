import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

describe('npm start on embedded defaults', () => {
  it('serves the API with PGlite, its own Temporal dev server and the outbox, stops cleanly, and resumes its state', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'roster-embedded-'));
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

    const first = runEntry('scripts/start.ts', env);
    cleanups.push(() => stopProcess(first.child));
    await waitForHttp(`${base}/ready`, first.child, first.output);
    // The generated Temporal payload key, readable by its owner only; the second start reuses it.
    expect(statSync(path.join(dataDir, 'payload-keys')).mode & 0o777).toBe(0o600);
    expect(first.output()).toContain(`http://127.0.0.1:${uiPort}`);
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

    expect(await stopProcess(first.child)).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${uiPort}/`)).rejects.toThrow();

    const second = runEntry('scripts/start.ts', env);
    cleanups.push(() => stopProcess(second.child));
    await waitForHttp(`${base}/ready`, second.child, second.output);
    const attendees = await callApi(
      base,
      'embedded-test-key',
      'GET',
      `/v1/events/${event.json.id}/attendees`,
    );
    expect(attendees.json.items.map((a: { email: string }) => a.email)).toEqual(['outbox@example.org']);
    const again = await callApi(base, 'embedded-test-key', 'POST', `/v1/events/${event.json.id}/attendees`, {
      email: 'OUTBOX@example.org',
      firstName: 'Out',
      lastName: 'Box',
    });
    expect(again.json.code).toBe('duplicate_email');
    expect(await stopProcess(second.child)).toBe(0);
  }, 180_000);
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
