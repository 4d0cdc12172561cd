import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;

beforeAll(async () => {
  stack = await startStack({ publicRateLimitPerMinute: 5 });
  api = (await stack.createOrganization()).client;
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
