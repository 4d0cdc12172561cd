import http from 'node:http';
import pg from 'pg';
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

const shared = () => ({ databaseUrl: inject('databaseUrl'), temporalAddress: inject('temporalAddress') });
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The JSON log lines a process wrote so far. */
const jsonLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The exit code, once the process has exited and its output is all read ('close', not 'exit'). */
const exitOf = (child: import('node:child_process').ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null && child.stdout?.readableEnded) resolve(child.exitCode);
    else child.once('close', (code) => resolve(code));
  });

/** An event stream read in the background: its text so far, and how it ended. */
async function openStream(url: string, key: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const stream = { text: '', ended: false };
  const done = (async () => {
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      stream.text += decoder.decode(value, { stream: true });
    }
    stream.ended = true;
  })();
  return { stream, done };
}

/** An API process alone (a validated import needs no worker), with an event and a checked file. */
async function apiWithValidatedImport(extra: Record<string, string>) {
  const postmark = { serverToken: 'unused', url: 'http://127.0.0.1:9' };
  const { env, key, base } = await sharedServersEnv(postmark, 'drain', shared());
  const api = runEntry('api/main.ts', { ...env, LOG_LEVEL: 'info', ...extra });
  cleanups.push(() => stopProcess(api.child, 'SIGKILL'));
  await waitForHttp(`${base}/ready`, api.child, api.output);
  const eventId = (await callApi(base, key, 'POST', '/v1/events', sampleEvent({ name: 'Drain' }))).json.id;
  const report = await callApi(
    base,
    key,
    'POST',
    `/v1/events/${eventId}/imports`,
    'email,first_name,last_name\r\nada@example.org,Ada,Lovelace\r\n',
    'text/csv',
  );
  expect(report.status).toBe(201);
  return { api, key, base, eventId, importId: report.json.id as string };
}

describe('start:worker readiness, metrics and logs', () => {
  it('serves /health and /ready on WORKER_HEALTH_PORT, metrics of both processes and of the SDK, and request ids in the worker log', async () => {
    const postmark = await startPostmarkFake();
    cleanups.push(() => postmark.close());
    const { env, key, base } = await sharedServersEnv(postmark, 'observed', shared());
    const [healthPort, workerMetricsPort, sdkMetricsPort, apiMetricsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const worker = runEntry('worker/main.ts', {
      ...env,
      LOG_LEVEL: 'debug',
      WORKER_HEALTH_PORT: String(healthPort),
      METRICS_PORT: String(workerMetricsPort),
      WORKER_METRICS_ADDRESS: `127.0.0.1:${sdkMetricsPort}`,
    });
    const api = runEntry('api/main.ts', { ...env, LOG_LEVEL: 'info', METRICS_PORT: String(apiMetricsPort) });
    cleanups.push(
      () => stopProcess(worker.child),
      () => stopProcess(api.child),
    );
    const health = `http://127.0.0.1:${healthPort}`;
    await waitForHttp(`${health}/health`, worker.child, worker.output);
    const ready = await eventually(async () => {
      const res = await fetch(`${health}/ready`);
      return res.status === 200 ? await res.json() : undefined;
    }, 30_000);
    expect(ready).toMatchObject({
      status: 'ready',
      checks: { postgres: true, temporal: true, worker: true },
    });
    await waitForHttp(`${base}/ready`, api.child, api.output);

    const eventId = (await callApi(base, key, 'POST', '/v1/events', sampleEvent())).json.id;
    // No TRUSTED_PROXIES: a client's own X-Request-Id is not taken.
    const res = await fetch(`${base}/v1/events/${eventId}/attendees`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-request-id': 'chosen-by-the-client',
      },
      body: JSON.stringify({ email: 'observed@example.org', firstName: 'Ob', lastName: 'Served' }),
    });
    expect(res.status).toBe(201);
    const requestId = res.headers.get('x-request-id') as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(() => postmark.messages.find((m) => m.To === 'observed@example.org'), 60_000);

    // The request's line in the API's log, and the email activity's in the worker's (JSON: no terminal).
    expect(
      jsonLines(api.output()).find((l) => l.requestId === requestId && l.msg === 'request'),
    ).toMatchObject({
      route: '/v1/events/:eventId/attendees',
      status: 201,
    });
    const activityLine = await eventually(() =>
      jsonLines(worker.output()).find(
        (l) => l.activityType === 'sendAttendeeEmail' && l.msg === 'Activity completed',
      ),
    );
    expect(activityLine.requestId).toBe(requestId);

    const workerMetrics = await eventually(async () => {
      const text = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
      return /roster_emails_sent_total\{kind="invitation"\} 1\b/.test(text) ? text : undefined;
    });
    expect(workerMetrics).toContain('roster_process_resident_memory_bytes');
    const apiMetrics = await (await fetch(`http://127.0.0.1:${apiMetricsPort}/metrics`)).text();
    expect(apiMetrics).toMatch(
      /roster_http_request_duration_seconds_count\{method="POST",route="\/v1\/events\/:eventId\/attendees",status="201"\} 1\b/,
    );
    expect(apiMetrics).toMatch(/roster_imports\{status="running"\} \d+/);
    // Metrics are not on the API's own port.
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const sdkMetrics = await (await fetch(`http://127.0.0.1:${sdkMetricsPort}/metrics`)).text();
    expect(sdkMetrics).toMatch(/^temporal_\w+/m);
    expect(sdkMetrics).toContain(env.TEMPORAL_TASK_QUEUE);

    expect(await stopProcess(worker.child, 'SIGTERM')).toBe(0);
    await expect(fetch(`${health}/health`)).rejects.toThrow();
    expect(await stopProcess(api.child, 'SIGTERM')).toBe(0);
  }, 120_000);
});

describe('start:api stops gracefully', () => {
  it('finishes a request in flight and waits for an open event stream before it closes the database', async () => {
    const { api, key, base, eventId, importId } = await apiWithValidatedImport({
      SHUTDOWN_GRACE_MS: '30000',
    });
    // A validated import is not final: its event stream stays open.
    const events = await openStream(`${base}/v1/events/${eventId}/imports/${importId}/events`, key);
    await eventually(() => (events.stream.text.includes('event: import') ? true : undefined));
    // An upload whose body is still coming when the stop begins.
    const upload = http.request(`${base}/v1/events/${eventId}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      upload.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      upload.on('error', reject);
    });
    upload.write('email,first_name,last_name\r\n');
    await new Promise((r) => setTimeout(r, 500));

    const stopAsked = Date.now();
    api.child.kill('SIGTERM');
    const exited = exitOf(api.child);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(api.child.exitCode).toBeNull();
    upload.end('grace@example.org,Grace,Hopper\r\n');
    const uploaded = await answer;
    expect(uploaded.status).toBe(201);
    expect(JSON.parse(uploaded.body)).toMatchObject({ status: 'validated', totals: { rows: 1, valid: 1 } });

    // The stream is still served; the import ends (cancelled elsewhere), the stream says so and ends.
    expect(api.child.exitCode).toBeNull();
    expect(events.stream.ended).toBe(false);
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    await db.query(`update imports set status = 'cancelled', finished_at = now() where id = $1`, [importId]);
    await db.end();
    await events.done;
    expect(events.stream.text).toContain('event: finished');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(20_000);
    const lines = jsonLines(api.output());
    expect(lines.find((l) => l.msg === 'requests drained')).toMatchObject({
      requests: 2,
      streams: 1,
      ended: 0,
    });
    expect(lines.some((l) => l.level === 50)).toBe(false);
    expect(lines.at(-1)?.msg).toBe('stopped');
  }, 90_000);

  it('ends event streams still open when SHUTDOWN_GRACE_MS runs out, cleanly, then stops', async () => {
    const { api, key, base, eventId, importId } = await apiWithValidatedImport({ SHUTDOWN_GRACE_MS: '1500' });
    const events = await openStream(`${base}/v1/events/${eventId}/imports/${importId}/events`, key);
    await eventually(() => (events.stream.text.includes('event: import') ? true : undefined));
    const stopAsked = Date.now();
    api.child.kill('SIGTERM');
    // The stream ends as a stream does (not a reset), telling an EventSource to reconnect soon.
    await events.done;
    expect(Date.now() - stopAsked).toBeGreaterThanOrEqual(1_400);
    expect(events.stream.text).toContain('retry: 1000');
    expect(events.stream.text).not.toContain('event: finished');
    expect(await exitOf(api.child)).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(10_000);
    const lines = jsonLines(api.output());
    expect(lines.find((l) => l.msg === 'requests drained')).toMatchObject({
      requests: 1,
      streams: 1,
      ended: 1,
    });
    expect(lines.some((l) => l.level === 50)).toBe(false);
  }, 60_000);
});
