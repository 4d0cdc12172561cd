import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDrain } from '../../api/drain';
import { loadEnv } from '../../config/env';
import { createLogger, readableLogs, temporalLogger } from '../../observability/logger';
import { currentRequestId, requestIdFor, withRequestId } from '../../observability/request-context';

function capture(level: 'trace' | 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ LOG_LEVEL: level }, sink) };
}

describe('request ids', () => {
  it('takes a trusted proxy’s X-Request-Id, never a client’s, and never a malformed one', () => {
    expect(requestIdFor('lb-42.a:b', true)).toBe('lb-42.a:b');
    expect(requestIdFor('lb-42', false)).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ['', ' ', 'a b', 'x'.repeat(129), 'line\nbreak', '<script>'])
      expect(requestIdFor(bad, true)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFor(undefined, true)).not.toBe(requestIdFor(undefined, true));
  });

  it('puts the current request id on every log line written while the request runs', async () => {
    const { lines, logger } = capture();
    logger.info('outside');
    await withRequestId('req-1', async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentRequestId()).toBe('req-1');
      logger.info({ x: 1 }, 'inside');
    });
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['outside', undefined],
      ['inside', 'req-1'],
    ]);
  });
});

describe('logs', () => {
  it('are readable in a terminal and JSON elsewhere, unless LOG_FORMAT says', () => {
    expect(readableLogs('auto', true)).toBe(true);
    expect(readableLogs('auto', false)).toBe(false);
    expect(readableLogs(undefined, true)).toBe(true);
    expect(readableLogs('json', true)).toBe(false);
    expect(readableLogs('pretty', false)).toBe(true);
  });

  it('blank out credentials at the top level and one level down', () => {
    const { lines, logger } = capture();
    logger.info(
      { token: 't-secret', session: 's-secret', req: { headers: { authorization: 'Bearer k' } } },
      'a',
    );
    logger.info({ call: { apiKey: 'k-secret', serverToken: 'p-secret' }, keep: 'visible' }, 'b');
    const text = JSON.stringify(lines);
    for (const secret of ['t-secret', 's-secret', 'Bearer k', 'k-secret', 'p-secret'])
      expect(text).not.toContain(secret);
    expect(text).toContain('visible');
  });

  it('take the Temporal SDK’s lines at their level, with errors as `err`', () => {
    const { lines, logger } = capture('debug');
    const sdk = temporalLogger(logger);
    sdk.trace('dropped below the level');
    sdk.debug('Activity started', {
      activityType: 'sendAttendeeEmail',
      requestId: 'r',
      taskToken: 'capability',
    });
    sdk.log('WARN', 'Activity failed', { error: new Error('boom'), attempt: 2 });
    expect(lines).toMatchObject([
      { level: 20, msg: 'Activity started', activityType: 'sendAttendeeEmail', requestId: 'r' },
      { level: 40, msg: 'Activity failed', attempt: 2, err: { message: 'boom', type: 'Error' } },
    ]);
    expect(JSON.stringify(lines)).not.toContain('capability');
  });
});

describe('settings', () => {
  it('parse the observability variables, off by default', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ LOG_FORMAT: 'auto', SHUTDOWN_GRACE_MS: 10_000, OTEL_SERVICE_NAME: 'roster' });
    expect(env.METRICS_PORT).toBeUndefined();
    expect(env.WORKER_HEALTH_PORT).toBeUndefined();
    expect(env.WORKER_METRICS_ADDRESS).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const set = loadEnv({
      METRICS_PORT: '9464',
      WORKER_METRICS_ADDRESS: '0.0.0.0:9465',
      WORKER_HEALTH_PORT: '3001',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
    });
    expect(set).toMatchObject({
      METRICS_PORT: 9464,
      WORKER_METRICS_ADDRESS: '0.0.0.0:9465',
      WORKER_HEALTH_PORT: 3001,
    });
    expect(() => loadEnv({ WORKER_METRICS_ADDRESS: 'localhost:9465' })).toThrow(/WORKER_METRICS_ADDRESS/);
    expect(() => loadEnv({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(() => loadEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://x' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('the graceful stop', () => {
  it('waits for held work until it is released', async () => {
    const drain = createDrain();
    const release = drain.hold();
    let done = false;
    const stopped = drain.drain(10_000).then((result) => {
      done = true;
      return result;
    });
    expect(drain.draining).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    release();
    release(); // idempotent
    expect(await stopped).toEqual({ requests: 1, streams: 0, ended: 0 });
  });

  it('ends streams when the grace runs out, or at once when cut', async () => {
    const drain = createDrain();
    const ended: string[] = [];
    const request = drain.hold();
    const stream = drain.hold(() => {
      ended.push('stream');
      setTimeout(() => {
        stream();
        request();
      }, 10);
    });
    const started = Date.now();
    expect(await drain.drain(100)).toEqual({ requests: 1, streams: 1, ended: 1 });
    expect(ended).toEqual(['stream']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);

    const other = createDrain();
    other.hold(() => {});
    const cutAt = Date.now();
    await other.drain(60_000, Promise.resolve());
    // Cut: the stream is asked to end and given two seconds at most, never the grace.
    expect(Date.now() - cutAt).toBeLessThan(2_500);
  });
});
