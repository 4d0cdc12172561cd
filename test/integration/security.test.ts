import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app';
import { openOrm } from '../../db/orm';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let apiKey: string;

beforeAll(async () => {
  // The test client is the trusted proxy: each test speaks for clients through X-Forwarded-For.
  stack = await startStack({ publicRateLimitPerMinute: 5, app: { trustedProxies: ['127.0.0.1'] } });
  ({ client: api, key: apiKey } = await stack.createOrganization());
});
afterAll(() => stack.close());

describe('limits and media types', () => {
  it('answers 413 too_large to a JSON body over 1 MiB', async () => {
    const res = await api('POST', '/v1/events', sampleEvent({ name: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('too_large');
  });

  it('answers 415 unsupported_media_type to a JSON route sent as text', async () => {
    const res = await api('POST', '/v1/events', JSON.stringify(sampleEvent()), {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.code).toBe('unsupported_media_type');
  });
});

describe('brute force on public token endpoints', () => {
  it('answers 429 with Retry-After past the limit per minute', async () => {
    const open = stack.client();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await open('POST', '/v1/public/login', { token: `guess-${i}-${'x'.repeat(40)}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });
});

describe('audit log', () => {
  it('records each organizer action on an event with who, what and when, newest first', async () => {
    const { client, organizationId } = await stack.createOrganization();
    const eventId = (await client('POST', '/v1/events', sampleEvent())).json.id;
    const invited = await client('POST', `/v1/events/${eventId}/attendees`, {
      email: 'audited@example.org',
      firstName: 'Au',
      lastName: 'Dit',
      sendEmail: false,
    });
    await client('POST', `/v1/events/${eventId}/attendees/${invited.json.id}/actions/block`);
    await client('POST', `/v1/events/${eventId}/attendees/${invited.json.id}/actions/unblock`);
    const audit = await client('GET', `/v1/events/${eventId}/audit?limit=2`);
    expect(audit.status).toBe(200);
    expect(audit.json.total).toBe(3);
    expect(audit.json.items.map((e: { path: string }) => e.path.split('/').at(-1))).toEqual([
      'unblock',
      'block',
    ]);
    expect(audit.json.items[0]).toMatchObject({ method: 'POST', status: 200 });
    expect(audit.json.items[0].actor).toMatch(/^api_key:/);
    const rest = await client('GET', `/v1/events/${eventId}/audit?limit=2&cursor=${audit.json.nextCursor}`);
    expect(rest.json.items.map((e: { path: string }) => e.path)).toEqual([`/v1/events/${eventId}/attendees`]);
    expect(organizationId).toBeTruthy();
    const other = (await stack.createOrganization()).client;
    expect((await other('GET', `/v1/events/${eventId}/audit`)).status).toBe(404);
  });
});

describe('hostile names', () => {
  it('refuses line breaks in names and escapes HTML in emails', async () => {
    const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
    const header = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'header@example.org',
      firstName: 'Eve',
      lastName: 'Smith\r\nBcc: victim@example.org',
    });
    expect(header.status).toBe(422);
    expect(header.json.errors[0].path).toBe('lastName');

    const html = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'html@example.org',
      firstName: '<img src=x onerror=alert(1)>',
      lastName: 'Smith',
    });
    expect(html.status).toBe(201);
    const message = await eventually(() => stack.postmark.messages.find((m) => m.To === 'html@example.org'));
    expect(message.HtmlBody).not.toContain('<img src=x');
    expect(message.HtmlBody).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(message.To).toBe('html@example.org');
    expect(message.Subject).not.toMatch(/[\r\n]/);
  });
});

/** A request as a client behind the proxy, seen by it as `address`. */
const from = (address: string, key?: string) => {
  const call = stack.client(key);
  return (method: string, path: string, body?: unknown) =>
    call(method, path, body, { 'x-forwarded-for': `203.0.113.250, ${address}` });
};
const guess = (i: number) => ({ token: `guess-${i}-${'x'.repeat(40)}` });

describe('rate limits behind a trusted proxy', () => {
  it('counts each client apart, by the address the proxy saw, not what the client wrote', async () => {
    const a = from('198.51.100.1');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await a('POST', '/v1/public/login', guess(i))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Another client behind the same proxy keeps its own allowance.
    expect((await from('198.51.100.2')('POST', '/v1/public/login', guess(9))).status).toBe(401);
  });

  it('puts IPv6 clients of one /64 in one bucket, so rotating addresses does not escape the limit', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      statuses.push((await from(`2001:db8:aa:1::${i}`)('POST', '/v1/public/login', guess(i))).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await from('2001:db8:aa:2::1')('POST', '/v1/public/login', guess(7))).status).toBe(401);
  });

  it('purges rate-limit windows that have ended when a new window starts', async () => {
    const conn = stack.orm.em.fork().getConnection();
    const key = `${stack.taskQueue}:old:${randomUUID()}`;
    await conn.execute(
      `insert into rate_limits (key, window_start, expires_at, count) values (?, now() - interval '2 hours', now() - interval '1 hour', 3)`,
      [key],
    );
    await from('198.51.100.77')('POST', '/v1/public/login', guess(1));
    await eventually(async () => {
      const rows = await conn.execute('select 1 from rate_limits where key = ?', [key]);
      return rows.length === 0 ? true : undefined;
    });
  });
});

describe('login-link emails', () => {
  it('sends one recipient at most 5 an hour, answering every request 202 alike', async () => {
    const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
    const email = `flood-${randomUUID()}@example.org`;
    expect(
      (await api('POST', `/v1/events/${eventId}/attendees`, { email, firstName: 'F', lastName: 'L' })).status,
    ).toBe(201);
    const answers = [];
    // From rotating addresses, so the per-address limit is not what stops them.
    for (let i = 0; i < 7; i++) {
      answers.push(
        await from(`192.0.2.${i + 1}`)('POST', `/v1/public/events/${eventId}/login-link`, { email }),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const links = () =>
      stack.postmark.messages.filter((m) => m.To === email && m.Metadata?.kind === 'login_link');
    await eventually(() => (links().length >= 5 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    expect(links()).toHaveLength(5);
  });
});

describe('failed API keys', () => {
  it('answers 429 with Retry-After after 20 failures a minute from one client, and never counts valid keys', async () => {
    const valid = from('198.51.100.30', apiKey);
    for (let i = 0; i < 25; i++) expect((await valid('GET', '/v1/events?limit=1')).status).toBe(200);

    const wrong = from('198.51.100.30', `rk_${'x'.repeat(43)}`);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await wrong('GET', '/v1/events')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    const refused = await wrong('GET', '/v1/events');
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Past the limit every key from that client waits, so a lucky guess gains nothing; others are not slowed.
    expect((await valid('GET', '/v1/events?limit=1')).status).toBe(429);
    expect((await from('198.51.100.31', apiKey)('GET', '/v1/events?limit=1')).status).toBe(200);
  });
});

describe('attendee logout', () => {
  it('ends the session: 204, then the session no longer works', async () => {
    const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
    const invited = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: `out-${randomUUID()}@example.org`,
      firstName: 'Lo',
      lastName: 'Gout',
      sendEmail: false,
    });
    const link = await api(
      'POST',
      `/v1/events/${eventId}/attendees/${invited.json.id}/actions/generate_login_link`,
    );
    const token = new URL(link.json.url).searchParams.get('token');
    const login = await from('198.51.100.40')('POST', '/v1/public/login', { token });
    expect(login.status).toBe(200);
    const attendee = stack.client(login.json.session);
    expect((await attendee('GET', '/v1/public/me')).status).toBe(200);
    const out = await attendee('POST', '/v1/public/logout');
    expect(out.status).toBe(204);
    expect((await attendee('GET', '/v1/public/me')).status).toBe(401);
    expect((await attendee('POST', '/v1/public/logout')).status).toBe(401);
    const doc = await stack.client()('GET', '/openapi.json');
    expect(doc.json.paths['/v1/public/logout']?.post?.security).toEqual([{ attendeeSession: [] }]);
  });
});

describe('logs of failures', () => {
  it('logs the route pattern of a 500, never the path with its token', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // A database that is not there: every request fails on our side.
    const missing = new URL(inject('databaseUrl'));
    missing.pathname = `/missing_${randomUUID().replaceAll('-', '')}`;
    const orm = await openOrm({ kind: 'postgres', url: missing.toString() }, { pool: 1 });
    const app = createApp({
      orm,
      temporal: stack.temporal,
      taskQueue: stack.taskQueue,
      logger: pino({ level: 'info' }, sink),
      temporalReady: async () => true,
    });
    const token = `live-${'t'.repeat(40)}`;
    const res = await app.request(`/v1/public/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(500);
    const logged = lines.join('\n');
    expect(logged).toContain('unhandled error');
    expect(logged).toContain('/v1/public/invitations/:token/accept');
    expect(logged).not.toContain(token);
    await orm.close();
  });
});

describe('names in bulk-invite files', () => {
  it('reports invalid_characters for a name with a line break or tab, like the JSON API refuses it', async () => {
    const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
    const file = [
      'email,first_name,last_name',
      'eve@example.org,Eve,"Smith\r\nBcc: victim@example.org"', // 2 (two lines)
      'tab@example.org,Ta\tb,Person', // 4
      'ok@example.org,Ok,Person', // 5 valid
      '',
    ].join('\r\n');
    const res = await fetch(`${stack.baseUrl}/v1/events/${eventId}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
      body: file,
    });
    expect(res.status).toBe(201);
    const report = (await res.json()) as {
      id: string;
      totals: { valid: number; invalid: number };
      errors: { row: number; column: string; code: string }[];
    };
    expect(report.totals).toMatchObject({ valid: 1, invalid: 2 });
    expect(report.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'last_name', 'invalid_characters'],
      [4, 'first_name', 'invalid_characters'],
    ]);
    // errors.csv quotes the tab, so a spreadsheet keeps the cell whole.
    const errors = await api('GET', `/v1/events/${eventId}/imports/${report.id}/errors.csv`);
    expect(errors.text).toContain('"Ta\tb"');
  });
});
