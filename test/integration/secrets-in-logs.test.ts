import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

const lines: string[] = [];
let stack: Stack;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  stack = await startStack({ logger: pino({ level: 'trace' }, sink) });
});
afterAll(() => stack.close());

describe('secrets in logs', () => {
  it('never writes API keys, link tokens or sessions to the logs, even on failures', async () => {
    const { client, key } = await stack.createOrganization();
    const eventId = (await client('POST', '/v1/events', sampleEvent())).json.id;
    const email = 'secret@example.org';
    const invited = await client('POST', `/v1/events/${eventId}/attendees`, {
      email,
      firstName: 'S',
      lastName: 'C',
    });
    const message = await eventually(() => stack.postmark.messages.find((m) => m.To === email));
    const token = /token=([\w-]+)/.exec(message.TextBody ?? '')?.[1] as string;
    const link = await client(
      'POST',
      `/v1/events/${eventId}/attendees/${invited.json.id}/actions/generate_login_link`,
    );
    expect(link.json).toHaveProperty('url');
    const open = stack.client();
    const login = await open('POST', '/v1/public/login', { token });
    const session = login.json.session as string;
    // Failures and refusals, which are what gets logged.
    await open('POST', '/v1/public/login', { token });
    await open('POST', `/v1/public/invitations/${token}/accept`, {});
    await stack.client(session)('GET', '/v1/public/me');
    await open('POST', `/v1/public/events/${eventId}/login-link`, { email: 'nobody@example.org' });
    await stack.client(`${key}x`)('GET', '/v1/events');
    await new Promise((r) => setTimeout(r, 300));

    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    const linkToken = new URL(link.json.url).searchParams.get('token') as string;
    for (const secret of [key, token, session, linkToken]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(logged).not.toContain(secret);
    }
  });
});
