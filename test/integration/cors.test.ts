import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let api: Awaited<ReturnType<Stack['createOrganization']>>['client'];
const SITE = 'https://site.example.test';

beforeAll(async () => {
  stack = await startStack({ app: { eventSiteUrl: SITE } });
  api = (await stack.createOrganization()).client;
});
afterAll(() => stack.close());

const preflight = (path: string, origin: string) =>
  fetch(`${stack.baseUrl}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });

describe('CORS for the attendee-facing endpoints, secure headers everywhere', () => {
  it('lets browsers on EVENT_SITE_URL and on listed event sites call the public endpoints, nobody else', async () => {
    const listed = 'https://events.acme.test';
    expect(
      (await preflight('/v1/public/login', listed)).headers.get('access-control-allow-origin'),
    ).toBeNull();
    expect((await preflight('/v1/public/login', SITE)).headers.get('access-control-allow-origin')).toBe(SITE);

    const put = await api('PUT', '/v1/event-sites', { origins: [listed, listed] });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ origins: [listed] });
    expect((await api('GET', '/v1/event-sites')).json).toEqual({ origins: [listed] });

    const ok = await preflight('/v1/public/login', listed);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(listed);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');

    // The real request answers with the origin too (a bad token is still refused, readable by the site).
    const login = await fetch(`${stack.baseUrl}/v1/public/login`, {
      method: 'POST',
      headers: { origin: listed, 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'x'.repeat(43) }),
    });
    expect(login.headers.get('access-control-allow-origin')).toBe(listed);
    expect(
      (await preflight('/v1/public/login', 'https://evil.example.test')).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();

    // Organizer endpoints never answer another origin.
    const organizer = await fetch(`${stack.baseUrl}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: listed },
    });
    expect(organizer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses what is not an origin with 422', async () => {
    for (const origin of [
      'https://a.test/path',
      'ftp://a.test',
      'http://a.test',
      'not a url',
      'https://a.test/',
    ])
      expect((await api('PUT', '/v1/event-sites', { origins: [origin] })).status, origin).toBe(422);
    expect((await api('PUT', '/v1/event-sites', { origins: ['http://localhost:5173'] })).status).toBe(200);
    const many = Array.from({ length: 21 }, (_, i) => `https://s${i}.test`);
    expect((await api('PUT', '/v1/event-sites', { origins: many })).status).toBe(422);
  });

  it('puts secure headers on every answer, keeping the pages’ own policy', async () => {
    const json = await api('GET', '/v1/events');
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    expect(json.headers.get('x-frame-options')).toBe('DENY');
    expect(json.headers.get('referrer-policy')).toBe('no-referrer');
    expect(json.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const problem = await api('GET', '/v1/nothing');
    expect(problem.headers.get('x-content-type-options')).toBe('nosniff');
    const docs = await api('GET', '/docs');
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
    const health = await api('GET', '/health');
    expect(health.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});
