import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../domain/languages';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('operations', () => {
  it('answers /health and reports Postgres and Temporal reachable on /ready', async () => {
    const open = stack.client();
    expect((await open('GET', '/health')).json).toEqual({ status: 'ok' });
    const ready = await open('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', checks: { postgres: true, temporal: true } });
  });

  it('lists the 19 languages with the maintained flag', async () => {
    const res = await stack.client()('GET', '/v1/languages');
    expect(res.json.items).toHaveLength(19);
    expect(
      res.json.items
        .filter((l: { maintained: boolean }) => l.maintained)
        .map((l: { code: string }) => l.code),
    ).toEqual(LANGUAGES.filter((l) => l.maintained).map((l) => l.code));
    expect(res.json.items.find((l: { code: string }) => l.code === 'ko')).toMatchObject({
      maintained: false,
    });
  });

  it('serves an OpenAPI 3.1 document that describes every built route of the contract', async () => {
    const res = await stack.client()('GET', '/openapi.json');
    expect(res.json.openapi).toBe('3.1.0');
    const paths = res.json.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string][] = [
      ['/health', 'get'],
      ['/ready', 'get'],
      ['/v1/languages', 'get'],
      ['/v1/events', 'post'],
      ['/v1/events', 'get'],
      ['/v1/events/{eventId}', 'get'],
      ['/v1/events/{eventId}', 'patch'],
      ['/v1/events/{eventId}/attendees', 'post'],
      ['/v1/events/{eventId}/attendees', 'get'],
      ['/v1/events/{eventId}/speakers', 'get'],
      ['/v1/events/{eventId}/moderators', 'get'],
      ['/v1/events/{eventId}/attendees/{attendeeId}', 'get'],
      ['/v1/events/{eventId}/attendees/{attendeeId}/actions/{action}', 'post'],
      ['/v1/events/{eventId}/attendees/{attendeeId}', 'patch'],
      ['/v1/events/{eventId}/attendees/{attendeeId}/analytics', 'get'],
      ['/v1/events/{eventId}/attendees/{attendeeId}/image', 'put'],
      ['/v1/people', 'delete'],
      ['/v1/public/invitations/{token}/accept', 'post'],
      ['/v1/public/registrations/confirm', 'post'],
      ['/v1/public/events/{eventId}/login-link', 'post'],
      ['/v1/public/login', 'post'],
      ['/v1/public/events/{eventId}/unregister', 'post'],
      ['/v1/public/chat-terms', 'post'],
      ['/v1/public/visits', 'post'],
      ['/v1/webhooks/postmark', 'post'],
      ['/v1/webhook-endpoints', 'post'],
      ['/v1/webhook-endpoints', 'get'],
      ['/v1/webhook-endpoints/{endpointId}', 'get'],
      ['/v1/webhook-endpoints/{endpointId}', 'patch'],
      ['/v1/webhook-endpoints/{endpointId}', 'delete'],
      ['/v1/webhook-endpoints/{endpointId}/rotate-secret', 'post'],
      ['/v1/webhook-endpoints/{endpointId}/test', 'post'],
      ['/v1/webhook-endpoints/{endpointId}/deliveries', 'get'],
      ['/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver', 'post'],
    ];
    for (const [path, method] of expected) expect(paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(res.json.components.schemas.Problem).toBeDefined();
  });

  it('renders the API reference at /docs', async () => {
    const res = await stack.client()('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('/openapi.json');
    // Offline: the reference's script comes from Roster itself, and nothing from another origin.
    expect(res.text).toContain('<script src="/docs/standalone.js"');
    expect(res.text).not.toMatch(/(src|href)="https?:/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+'/);
    const script = await stack.client()('GET', '/docs/standalone.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(script.text.length).toBeGreaterThan(100_000);
    const again = await stack.client()('GET', '/docs/standalone.js', undefined, {
      'if-none-match': script.headers.get('etag') ?? '',
    });
    expect(again.status).toBe(304);
  });

  it('answers unknown routes with a problem document', async () => {
    const res = await stack.client()('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, code: 'not_found' });
  });
});
