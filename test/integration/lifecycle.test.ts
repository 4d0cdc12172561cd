import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SITE_URL, eventually, type Stack, sampleEvent, startStack } from '../support/stack';

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
const PAST_START = { startsAt: '2020-03-01T09:00:00Z', endsAt: '2040-03-03T17:00:00Z' };

async function setup(
  eventOverrides: Record<string, unknown> = {},
  email = `p-${crypto.randomUUID()}@example.org`,
) {
  const event = await api('POST', '/v1/events', sampleEvent({ ...FUTURE, ...eventOverrides }));
  expect(event.status).toBe(201);
  const eventId = event.json.id as string;
  const invited = await api('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
  });
  expect(invited.status).toBe(201);
  return {
    eventId,
    attendeeId: invited.json.id as string,
    email,
    path: `/v1/events/${eventId}/attendees/${invited.json.id}`,
  };
}

/** The token of the n-th email of a kind to an address, read from the link in its text part. */
async function tokenFrom(email: string, kind: string, n = 1) {
  const message = await eventually(
    () => stack.postmark.messages.filter((m) => m.To === email && m.Metadata?.kind === kind)[n - 1],
  );
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(message.TextBody ?? '')?.[1];
  expect(token).toBeTruthy();
  return { token: token as string, message };
}

const get = async (path: string) => (await api('GET', path)).json;
const act = (path: string, action: string) => api('POST', `${path}/actions/${action}`);

describe('the attendee journey', () => {
  it('goes invite → accept → login → attended → block → unblock → remove → invite again', async () => {
    const { eventId, path, email } = await setup();
    const { token: invitation } = await tokenFrom(email, 'invitation');

    const accepted = await open('POST', `/v1/public/invitations/${invitation}/accept`, {
      firstName: 'Augusta',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json.attendee).toMatchObject({
      status: 'registered',
      detailedStatus: 'registered_no_confirmation_required',
      firstName: 'Augusta',
    });
    const registered = await get(path);
    expect(registered.actions).toEqual([
      'edit',
      'resend_email',
      'view_analytics',
      'remove',
      'block',
      'generate_login_link',
    ]);

    const { token: loginToken } = await tokenFrom(email, 'registration_confirmation');
    const login = await open('POST', '/v1/public/login', { token: loginToken });
    expect(login.status).toBe(200);
    expect(login.json.attendee).toMatchObject({ status: 'attended', detailedStatus: 'pre_event_visit' });
    const session = login.json.session as string;
    expect((await stack.client(session)('GET', '/v1/public/me')).json.attendee.status).toBe('attended');

    const blocked = await act(path, 'block');
    expect(blocked.json).toMatchObject({
      status: 'blocked',
      detailedStatus: 'blocked',
      actions: ['edit', 'view_analytics', 'unblock'],
    });
    expect((await stack.client(session)('GET', '/v1/public/me')).status).toBe(401);
    const link = await act(path, 'generate_login_link');
    expect(link.status).toBe(409);

    const unblocked = await act(path, 'unblock');
    expect(unblocked.json).toMatchObject({ status: 'attended', detailedStatus: 'pre_event_visit' });

    const removed = await act(path, 'remove');
    expect(removed.status).toBe(200);
    expect((await api('GET', path)).status).toBe(404);
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(0);

    const again = await api('POST', `/v1/events/${eventId}/attendees`, {
      email,
      firstName: 'Ada',
      lastName: 'King',
    });
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(removed.json.id);
    expect(again.json.status).toBe('invited');

    const history = (await get(`/v1/events/${eventId}/attendees/${removed.json.id}`)) as unknown;
    expect(history).toMatchObject({ code: 'not_found' });
  });

  it('records every transition in the history with who made it', async () => {
    const { path, email } = await setup();
    const { token } = await tokenFrom(email, 'invitation');
    await open('POST', `/v1/public/invitations/${token}/accept`, {});
    await act(path, 'block');
    await act(path, 'unblock');
    const { history } = await get(path);
    expect(history.map((h: { detailedStatus: string }) => h.detailedStatus)).toEqual([
      'invited_by_team_member',
      'registered_no_confirmation_required',
      'blocked',
      'registered_no_confirmation_required',
    ]);
    expect(history.map((h: { by: string }) => h.by.split(':')[0])).toEqual([
      'api_key',
      'attendee',
      'api_key',
      'api_key',
    ]);
  });
});

describe('event settings', () => {
  it('invites to register, and refuses a direct login before registering, when the event requires registration', async () => {
    const { path, email } = await setup({ requiresRegistration: true });
    expect((await get(path)).detailedStatus).toBe('invited_by_team_member_to_register');
    const { token } = await tokenFrom(email, 'invitation');
    const login = await open('POST', '/v1/public/login', { token });
    expect(login.status).toBe(409);
    expect(login.json.code).toBe('action_not_allowed');
  });

  it('registers with confirmed_email only after the confirmation link when the event asks for it', async () => {
    const { path, email } = await setup({ requiresEmailConfirmation: true });
    const { token } = await tokenFrom(email, 'invitation');
    const accepted = await open('POST', `/v1/public/invitations/${token}/accept`, {});
    expect(accepted.json.attendee.status).toBe('invited');
    const { token: confirmToken, message } = await tokenFrom(email, 'registration_confirmation');
    expect(message.TextBody).toContain('/confirm?token=');
    const confirmed = await open('POST', '/v1/public/registrations/confirm', { token: confirmToken });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.attendee).toMatchObject({
      status: 'registered',
      detailedStatus: 'confirmed_email',
    });
    expect((await get(path)).detailedStatus).toBe('confirmed_email');
  });

  it('lets invitees in directly with the invitation link, as a during-event visit once the event has started', async () => {
    const { path, email } = await setup(PAST_START);
    const { token } = await tokenFrom(email, 'invitation');
    const login = await open('POST', '/v1/public/login', { token });
    expect(login.status).toBe(200);
    expect((await get(path)).detailedStatus).toBe('during_event_visit');
  });
});

describe('tokens', () => {
  it('refuses a token used twice, a made-up token and one of another kind', async () => {
    const { email } = await setup();
    const { token } = await tokenFrom(email, 'invitation');
    expect((await open('POST', `/v1/public/invitations/${token}/accept`, {})).status).toBe(200);
    const reused = await open('POST', `/v1/public/invitations/${token}/accept`, {});
    expect(reused.status).toBe(401);
    expect(reused.json.code).toBe('invalid_token');
    expect((await open('POST', '/v1/public/login', { token: 'x'.repeat(43) })).status).toBe(401);
    const { token: loginToken } = await tokenFrom(email, 'registration_confirmation');
    expect((await open('POST', '/v1/public/registrations/confirm', { token: loginToken })).status).toBe(401);
  });

  it('lets exactly one of two concurrent uses of a token win', async () => {
    const { email } = await setup();
    const { token } = await tokenFrom(email, 'invitation');
    const results = await Promise.all([1, 2, 3].map(() => open('POST', '/v1/public/login', { token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('answers the login-link request alike for known and unknown addresses, and emails the known', async () => {
    const { eventId, email } = await setup();
    const known = await open('POST', `/v1/public/events/${eventId}/login-link`, {
      email: email.toUpperCase(),
    });
    const unknown = await open('POST', `/v1/public/events/${eventId}/login-link`, {
      email: 'nobody@example.org',
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.json).toEqual(known.json);
    const { token, message } = await tokenFrom(email, 'login_link');
    expect(message.TextBody).toContain('15');
    expect((await open('POST', '/v1/public/login', { token })).status).toBe(200);
  });

  it('generates a single-use login link for an invited attendee on a magic-link event', async () => {
    const { path } = await setup();
    const link = await act(path, 'generate_login_link');
    expect(link.status).toBe(200);
    expect(Date.parse(link.json.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const token = new URL(link.json.url).searchParams.get('token');
    expect((await open('POST', '/v1/public/login', { token })).status).toBe(200);
    expect((await open('POST', '/v1/public/login', { token })).status).toBe(401);
  });
});

describe('actions per status', () => {
  it('sends the invitation to the invited and the registration confirmation to the registered on resend_email', async () => {
    const { path, email } = await setup();
    await act(path, 'resend_email');
    await tokenFrom(email, 'invitation', 2);
    const { token } = await tokenFrom(email, 'invitation');
    await open('POST', `/v1/public/invitations/${token}/accept`, {});
    await tokenFrom(email, 'registration_confirmation', 1);
    expect((await act(path, 'resend_email')).status).toBe(200);
    await tokenFrom(email, 'registration_confirmation', 2);
  });

  it('offers block_from_chat only after the chat terms and unblock_from_chat after it', async () => {
    const { path, email } = await setup();
    const { token } = await tokenFrom(email, 'invitation');
    const session = (await open('POST', '/v1/public/login', { token })).json.session;
    expect((await get(path)).actions).not.toContain('block_from_chat');
    expect((await act(path, 'block_from_chat')).status).toBe(409);
    expect((await stack.client(session)('POST', '/v1/public/chat-terms')).status).toBe(200);
    expect((await get(path)).actions).toEqual([
      'edit',
      'view_analytics',
      'remove',
      'block',
      'block_from_chat',
    ]);
    const chatBlocked = await act(path, 'block_from_chat');
    expect(chatBlocked.json).toMatchObject({ chatBlocked: true, status: 'attended' });
    expect(chatBlocked.json.actions).toContain('unblock_from_chat');
    expect((await act(path, 'unblock_from_chat')).json.chatBlocked).toBe(false);
  });

  it('leaves no action to an unregistered attendee and ends the session', async () => {
    const { eventId, path, email } = await setup();
    const { token } = await tokenFrom(email, 'invitation');
    const session = (await open('POST', '/v1/public/login', { token })).json.session;
    const res = await stack.client(session)('POST', `/v1/public/events/${eventId}/unregister`);
    expect(res.status).toBe(200);
    expect(res.json.attendee.status).toBe('unregistered');
    const after = await get(path);
    expect(after).toMatchObject({ status: 'unregistered', detailedStatus: 'unregistered', actions: [] });
    for (const action of ['remove', 'block', 'resend_email'])
      expect((await act(path, action)).status).toBe(409);
    expect((await api('PATCH', path, { firstName: 'X' })).status).toBe(409);
    expect((await stack.client(session)('GET', '/v1/public/me')).status).toBe(401);
  });

  it('refuses view_analytics for an invited attendee and answers 409 for sso-only actions on magic-link events', async () => {
    const { path } = await setup();
    expect((await api('GET', `${path}/analytics`)).status).toBe(409);
  });
});

describe('edit', () => {
  it('changes names, language and roles with the profile, and keeps search in step', async () => {
    const { eventId, path } = await setup();
    const res = await api('PATCH', path, {
      firstName: 'Émilie',
      lastName: 'du Châtelet',
      language: 'fr',
      roles: ['moderator'],
      title: 'Marquise',
      bio: 'Translated Newton.',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      firstName: 'Émilie',
      lastName: 'du Châtelet',
      language: 'fr',
      roles: ['attendee', 'moderator'],
      title: 'Marquise',
      bio: 'Translated Newton.',
    });
    const found = await api('GET', `/v1/events/${eventId}/attendees?q=chatelet`);
    expect(found.json.items.map((a: { id: string }) => a.id)).toEqual([res.json.id]);
    expect((await api('GET', `/v1/events/${eventId}/moderators`)).json.total).toBe(1);
  });

  it('answers 422 for a bio without a speaker or moderator role and for a bio over 2,500 characters', async () => {
    const { path } = await setup();
    expect((await api('PATCH', path, { bio: 'hello' })).status).toBe(422);
    expect((await api('PATCH', path, { roles: ['speaker'], bio: 'x'.repeat(2501) })).status).toBe(422);
  });
});

describe('analytics', () => {
  it('counts logins, page visits and distinct session joins, with first and last visit and the emails', async () => {
    const event = await api(
      'POST',
      '/v1/events',
      sampleEvent({
        ...FUTURE,
        sessions: [
          { name: 'Keynote', startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-01T10:00:00Z' },
          { name: 'Panel', startsAt: '2030-03-01T11:00:00Z', endsAt: '2030-03-01T12:00:00Z' },
        ],
      }),
    );
    const eventId = event.json.id;
    const [keynote, panel] = event.json.sessions.map((s: { id: string }) => s.id);
    const email = `an-${crypto.randomUUID()}@example.org`;
    const invited = await api('POST', `/v1/events/${eventId}/attendees`, {
      email,
      firstName: 'A',
      lastName: 'N',
    });
    const { token } = await tokenFrom(email, 'invitation');
    const session = stack.client((await open('POST', '/v1/public/login', { token })).json.session);
    expect((await session('POST', '/v1/public/visits', { kind: 'page' })).status).toBe(202);
    await session('POST', '/v1/public/visits', { kind: 'session', sessionId: keynote });
    await session('POST', '/v1/public/visits', { kind: 'session', sessionId: keynote });
    await session('POST', '/v1/public/visits', { kind: 'session', sessionId: panel });
    expect(
      (await session('POST', '/v1/public/visits', { kind: 'session', sessionId: crypto.randomUUID() }))
        .status,
    ).toBe(422);

    const path = `/v1/events/${eventId}/attendees/${invited.json.id}/analytics`;
    const analytics = await eventually(async () => {
      const res = await api('GET', path);
      return res.json.visits?.length === 5 ? res.json : undefined;
    });
    expect(analytics.visits.map((v: { kind: string }) => v.kind)).toEqual([
      'login',
      'page',
      'session',
      'session',
      'session',
    ]);
    expect(analytics.sessionsAttended).toBe(2);
    expect(analytics.firstVisitAt).toBe(analytics.visits[0].at);
    expect(analytics.lastVisitAt).toBe(analytics.visits[4].at);
    expect(analytics.emails).toEqual([expect.objectContaining({ kind: 'invitation', status: 'sent' })]);
  });
});

describe('erasing a person', () => {
  it('removes the person from every event of the organization and keeps only counts', async () => {
    const email = `erase-${crypto.randomUUID()}@example.org`;
    const a = await setup({}, email);
    const b = await setup({}, email);
    // The same address in another organization is not theirs to erase.
    const other = (await stack.createOrganization()).client;
    const otherEvent = (await other('POST', '/v1/events', sampleEvent(FUTURE))).json.id;
    expect(
      (await other('POST', `/v1/events/${otherEvent}/attendees`, { email, firstName: 'Kept', lastName: 'Y' }))
        .status,
    ).toBe(201);
    await act(a.path, 'remove');
    await api('POST', `/v1/events/${a.eventId}/attendees`, { email, firstName: 'Again', lastName: 'X' });
    const csv = `email,first_name,last_name\n${email},Ada,FromFile\n`;
    expect(
      (await api('POST', `/v1/events/${b.eventId}/imports`, csv, { 'content-type': 'text/csv' })).status,
    ).toBe(201);
    const res = await api('DELETE', `/v1/people?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(res.status).toBe(200);
    expect(res.json.erased).toEqual({ attendees: 3, events: 2, importRows: 1 });
    const cells = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(
        `select count(*) as n from import_rows where email = ? or last_name = 'FromFile'`,
        [email],
      );
    expect(Number(cells[0]?.n)).toBe(0);
    for (const { eventId } of [a, b]) {
      expect(
        (await api('GET', `/v1/events/${eventId}/attendees?q=${encodeURIComponent(email)}`)).json.total,
      ).toBe(0);
    }
    const left = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>('select count(*) as n from attendees where email_key = ?', [email]);
    expect(Number(left[0]?.n)).toBe(1);
    expect(
      (await other('GET', `/v1/events/${otherEvent}/attendees?q=${encodeURIComponent(email)}`)).json.total,
    ).toBe(1);
    // The address can be invited afresh.
    expect(
      (await api('POST', `/v1/events/${b.eventId}/attendees`, { email, firstName: 'New', lastName: 'Start' }))
        .status,
    ).toBe(201);
  });
});

describe('links and tokens under abuse', () => {
  it('changes nothing when a mail scanner opens a link: links go to the event site, and a GET spends no token', async () => {
    const { email, path } = await setup();
    const { token, message } = await tokenFrom(email, 'invitation');
    const link = /https?:\/\/\S+\?token=\S+/.exec(message.TextBody ?? '')?.[0] as string;
    expect(new URL(link).origin).toBe(new URL(EVENT_SITE_URL).origin);

    // Even fetched against the API itself, a GET or HEAD reaches no state-changing handler.
    for (const method of ['GET', 'HEAD']) {
      for (const route of [`/v1/public/invitations/${token}/accept`, `/v1/public/login?token=${token}`]) {
        const res = await fetch(`${stack.baseUrl}${route}`, { method });
        expect([404, 405], `${method} ${route}`).toContain(res.status);
      }
    }
    expect((await get(path)).status).toBe('invited');
    expect((await open('POST', `/v1/public/invitations/${token}/accept`, {})).status).toBe(200);
  });

  it('answers the login-link request alike for blocked, removed, unknown and known addresses, and emails only the known', async () => {
    const { eventId, email } = await setup();
    const blocked = `blocked-${crypto.randomUUID()}@example.org`;
    const removed = `removed-${crypto.randomUUID()}@example.org`;
    for (const [address, action] of [
      [blocked, 'block'],
      [removed, 'remove'],
    ] as const) {
      const res = await api('POST', `/v1/events/${eventId}/attendees`, {
        email: address,
        firstName: 'R',
        lastName: 'Efused',
        sendEmail: false,
      });
      expect((await act(`/v1/events/${eventId}/attendees/${res.json.id}`, action)).status).toBe(200);
    }
    const ask = (address: string) =>
      open('POST', `/v1/public/events/${eventId}/login-link`, { email: address });
    const answers = await Promise.all([email, blocked, removed, 'nobody@example.org'].map(ask));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    for (const a of answers) expect(a.json).toEqual(answers[0]?.json);
    await tokenFrom(email, 'login_link');
    // Give the refused ones the same time to (not) get an email.
    await new Promise((r) => setTimeout(r, 1500));
    expect(stack.postmark.messages.filter((m) => m.To === blocked || m.To === removed)).toEqual([]);
  });

  it('refuses a session of one event on another event, and a token from one kind of link on another', async () => {
    const first = await setup();
    const second = await setup();
    const { token } = await tokenFrom(first.email, 'invitation');
    const session = (await open('POST', '/v1/public/login', { token })).json.session as string;
    const other = await stack.client(session)('POST', `/v1/public/events/${second.eventId}/unregister`);
    expect(other.status).toBe(404);
    expect((await get(first.path)).status).not.toBe('unregistered');

    // A login token is not a confirmation token, and an invitation token is spent by the login above.
    const link = (await act(second.path, 'generate_login_link')).json.url as string;
    const loginToken = new URL(link).searchParams.get('token');
    expect((await open('POST', '/v1/public/registrations/confirm', { token: loginToken })).status).toBe(401);
    expect((await open('POST', `/v1/public/invitations/${loginToken}/accept`, {})).status).toBe(401);
    expect((await open('POST', '/v1/public/login', { token })).status).toBe(401);
    // Tampered: one character changed.
    const tampered = `${loginToken?.slice(0, -1)}${loginToken?.endsWith('A') ? 'B' : 'A'}`;
    expect((await open('POST', '/v1/public/login', { token: tampered })).status).toBe(401);
    expect((await open('POST', '/v1/public/login', { token: loginToken })).status).toBe(200);
  });
});
