import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let open: Client;

beforeAll(async () => {
  stack = await startStack();
  api = (await stack.createOrganization()).client;
  open = stack.client();
});
afterAll(() => stack.close());

const FUTURE = { startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-03T17:00:00Z' };

async function newEvent(overrides: Record<string, unknown> = {}) {
  const res = await api('POST', '/v1/events', sampleEvent({ ...FUTURE, ...overrides }));
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function invite(eventId: string, email: string) {
  const res = await api('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'L',
  });
  expect(res.status).toBe(201);
  return res.json;
}

async function tokenFrom(email: string, kind: string) {
  const message = await eventually(
    () => stack.postmark.messages.filter((m) => m.To === email && m.Metadata?.kind === kind)[0],
  );
  return /[?&]token=([A-Za-z0-9_-]+)/.exec(message.TextBody ?? '')?.[1] as string;
}

describe('block from chat that a chat service can enforce', () => {
  it('shows the chat state to the attendee and answers the chat service, and ends nothing else', async () => {
    const eventId = await newEvent();
    const attendee = await invite(eventId, 'chat@example.org');
    const login = await open('POST', '/v1/public/login', {
      token: await tokenFrom('chat@example.org', 'invitation'),
    });
    expect(login.status).toBe(200);
    const session = stack.client(login.json.session);
    const permission = async () =>
      (await api('GET', `/v1/events/${eventId}/attendees/${attendee.id}/chat-permission`)).json;

    expect((await session('GET', '/v1/public/me')).json.attendee.chat).toEqual({
      termsAgreed: false,
      blocked: false,
    });
    expect(await permission()).toEqual({
      attendeeId: attendee.id,
      mayPost: false,
      reason: 'chat_terms_not_agreed',
    });

    expect((await session('POST', '/v1/public/chat-terms')).status).toBe(200);
    expect(await permission()).toEqual({ attendeeId: attendee.id, mayPost: true });

    const blocked = await api(
      'POST',
      `/v1/events/${eventId}/attendees/${attendee.id}/actions/block_from_chat`,
    );
    expect(blocked.status).toBe(200);
    expect(await permission()).toEqual({
      attendeeId: attendee.id,
      mayPost: false,
      reason: 'blocked_from_chat',
    });
    const me = await session('GET', '/v1/public/me');
    expect(me.status).toBe(200);
    expect(me.json.attendee).toMatchObject({
      status: 'attended',
      chat: { termsAgreed: true, blocked: true },
    });
  });

  it('answers not_in_event for an invitee, and 404 for another organization', async () => {
    const eventId = await newEvent();
    const attendee = await invite(eventId, 'not-in@example.org');
    const path = `/v1/events/${eventId}/attendees/${attendee.id}/chat-permission`;
    expect((await api('GET', path)).json).toMatchObject({ mayPost: false, reason: 'not_in_event' });
    const other = (await stack.createOrganization()).client;
    expect((await other('GET', path)).status).toBe(404);
  });
});

describe('login links that work', () => {
  it('offers no login link to an invitee who must still register, and refuses the action', async () => {
    const eventId = await newEvent({ requiresRegistration: true });
    const attendee = await invite(eventId, 'must-register@example.org');
    expect(attendee.actions).toEqual(['edit', 'resend_email', 'remove', 'block']);
    const res = await api(
      'POST',
      `/v1/events/${eventId}/attendees/${attendee.id}/actions/generate_login_link`,
    );
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('action_not_allowed');
  });

  it('hands out a link that logs in once the invitee registered', async () => {
    const eventId = await newEvent({ requiresRegistration: true });
    const attendee = await invite(eventId, 'registers@example.org');
    const token = await tokenFrom('registers@example.org', 'invitation');
    expect((await open('POST', `/v1/public/invitations/${token}/accept`, {})).status).toBe(200);
    const path = `/v1/events/${eventId}/attendees/${attendee.id}`;
    expect((await api('GET', path)).json.actions).toContain('generate_login_link');
    const link = await api('POST', `${path}/actions/generate_login_link`);
    expect(link.status).toBe(200);
    const loginToken = new URL(link.json.url).searchParams.get('token');
    expect((await open('POST', '/v1/public/login', { token: loginToken })).status).toBe(200);
  });
});
