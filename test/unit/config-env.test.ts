import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env';

/** The Error loadEnv throws, so its class and message can both be asserted. */
function failure(source: NodeJS.ProcessEnv): Error {
  try {
    loadEnv(source);
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`loadEnv threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected loadEnv to throw');
}

describe('loadEnv', () => {
  it('applies the contract defaults when the environment is empty', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'roster',
      POSTMARK_API_URL: 'https://api.postmarkapp.com',
      EVENT_SITE_URL: 'http://localhost:3000',
      ROSTER_DATA_DIR: '.data',
    });
    expect(env.EMAIL_FROM).toEqual(expect.any(String));
  });

  it('leaves the variables without a default unset when the environment is empty', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TEMPORAL_ADDRESS).toBeUndefined();
    expect(env.ROSTER_API_KEY).toBeUndefined();
    expect(env.POSTMARK_SERVER_TOKEN).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
  ])('treats the optional variables as unset when they are %s', (_case, value) => {
    const env = loadEnv({
      DATABASE_URL: value,
      TEMPORAL_ADDRESS: value,
      ROSTER_API_KEY: value,
      POSTMARK_SERVER_TOKEN: value,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TEMPORAL_ADDRESS).toBeUndefined();
    expect(env.ROSTER_API_KEY).toBeUndefined();
    expect(env.POSTMARK_SERVER_TOKEN).toBeUndefined();
  });

  it('uses the given values when every variable is set', () => {
    const env = loadEnv({
      PORT: '8080',
      DATABASE_URL: 'postgres://roster:secret@db.internal:5432/roster',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'prod',
      TEMPORAL_TASK_QUEUE: 'roster-eu',
      ROSTER_API_KEY: 'key-123',
      POSTMARK_SERVER_TOKEN: 'pm-token',
      POSTMARK_API_URL: 'http://127.0.0.1:9999',
      EMAIL_FROM: 'Events <events@example.com>',
      EVENT_SITE_URL: 'https://events.example.com',
      ROSTER_DATA_DIR: '/var/lib/roster',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgres://roster:secret@db.internal:5432/roster',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'prod',
      TEMPORAL_TASK_QUEUE: 'roster-eu',
      ROSTER_API_KEY: 'key-123',
      POSTMARK_SERVER_TOKEN: 'pm-token',
      POSTMARK_API_URL: 'http://127.0.0.1:9999',
      EMAIL_FROM: 'Events <events@example.com>',
      EVENT_SITE_URL: 'https://events.example.com',
      ROSTER_DATA_DIR: '/var/lib/roster',
    });
  });

  it('trims the optional values when they are padded', () => {
    const env = loadEnv({ ROSTER_API_KEY: '  key-123 ', TEMPORAL_ADDRESS: ' localhost:7233\n' });
    expect(env.ROSTER_API_KEY).toBe('key-123');
    expect(env.TEMPORAL_ADDRESS).toBe('localhost:7233');
  });

  it('parses PORT as a number when it is numeric', () => {
    expect(loadEnv({ PORT: '4010' }).PORT).toBe(4010);
  });

  it('ignores variables it does not know when the process has others', () => {
    expect(loadEnv({ HOME: '/root', PATH: '/usr/bin' }).PORT).toBe(3000);
  });

  it.each(['abc', '70000', '65536', '-1', '3000.5'])(
    'throws an Error naming PORT when PORT is %j',
    (port) => {
      const error = failure({ PORT: port });
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/\bPORT\b/);
    },
  );

  it.each([
    ['EVENT_SITE_URL', 'not a url'],
    ['POSTMARK_API_URL', 'postmark'],
    ['DATABASE_URL', 'nope'],
  ])('throws an Error naming %s when it is %j', (name, value) => {
    const error = failure({ [name]: value });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(name);
    for (const other of ['EVENT_SITE_URL', 'POSTMARK_API_URL', 'DATABASE_URL'].filter((n) => n !== name)) {
      expect(error.message).not.toContain(other);
    }
  });

  it('names every bad variable when several are wrong', () => {
    const error = failure({ PORT: 'abc', EVENT_SITE_URL: 'not a url', POSTMARK_API_URL: 'postmark' });
    expect(error.message).toMatch(/\bPORT\b/);
    expect(error.message).toContain('EVENT_SITE_URL');
    expect(error.message).toContain('POSTMARK_API_URL');
  });
});

describe('loadEnv with blank values and URL schemes', () => {
  it('takes the default when a variable is set to an empty or blank value', () => {
    const env = loadEnv({ PORT: '', TEMPORAL_TASK_QUEUE: ' ', EVENT_SITE_URL: '', LOG_LEVEL: '' });
    expect(env.PORT).toBe(3000);
    expect(env.TEMPORAL_TASK_QUEUE).toBe('roster');
    expect(env.EVENT_SITE_URL).toBe('http://localhost:3000');
    expect(env.LOG_LEVEL).toBe('info');
  });

  it.each([
    ['EVENT_SITE_URL', 'javascript:alert(1)'],
    ['POSTMARK_API_URL', 'ftp://mail.example.com'],
    ['DATABASE_URL', 'mysql://db/roster'],
  ])('throws naming %s when its URL scheme is not allowed', (name, value) => {
    expect(() => loadEnv({ [name]: value })).toThrow(name);
  });
});
