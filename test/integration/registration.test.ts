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
  const res = await api(
    'POST',
    '/v1/events',
    sampleEvent({ ...FUTURE, publishedRegistration: true, ...overrides }),
  );
  expect(res.status).toBe(201);
  return res.json.id as string;
}

const person = (email: string, extra: Record<string, unknown> = {}) => ({
  email,
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...extra,
});
const register = (eventId: string, body: unknown) =>
  open('POST', `/v1/public/events/${eventId}/registrations`, body);
const emailsTo = (address: string, kind?: string) =>
  stack.postmark.messages.filter(
    (m) => m.To.toLowerCase() === address.toLowerCase() && (!kind || m.Metadata?.kind === kind),
  );
const tokenOf = (text: string | undefined) => /[?&]token=([A-Za-z0-9_-]+)/.exec(text ?? '')?.[1] as string;

async function attendeeByEmail(eventId: string, email: string) {
  const list = await api('GET', `/v1/events/${eventId}/attendees?q=${encodeURIComponent(email)}`);
  return list.json.items[0];
}

describe('published registration', () => {
  it('registers a new person as registered / registered and emails the confirmation in their language', async () => {
    const eventId = await newEvent();
    const res = await register(
      eventId,
      person('reg@example.org', { language: 'German', company: 'ACME', title: 'CTO' }),
    );
    expect(res.json).toEqual({ status: 'accepted' });
    expect(res.status).toBe(202);

    const attendee = await attendeeByEmail(eventId, 'reg@example.org');
    expect(attendee).toMatchObject({
      status: 'registered',
      detailedStatus: 'registered',
      language: 'de',
      company: 'ACME',
      title: 'CTO',
      roles: ['attendee'],
      actions: ['edit', 'resend_email', 'view_analytics', 'remove', 'block', 'generate_login_link'],
    });
    const filtered = await api('GET', `/v1/events/${eventId}/attendees?detailedStatus=registered`);
    expect(filtered.json.total).toBe(1);
    const detail = await api('GET', `/v1/events/${eventId}/attendees/${attendee.id}`);
    expect(detail.json.history).toEqual([
      expect.objectContaining({ status: 'registered', detailedStatus: 'registered', by: 'attendee' }),
    ]);

    const [message] = await eventually(() => {
      const sent = emailsTo('reg@example.org', 'registration_confirmation');
      return sent.length > 0 ? sent : undefined;
    });
    expect(message?.Metadata).toMatchObject({ attendeeId: attendee.id, eventId });
    // In German, with a login link that works.
    expect(message?.HtmlBody).toContain('lang="de"');
    const login = await open('POST', '/v1/public/login', { token: tokenOf(message?.TextBody) });
    expect(login.status).toBe(200);
    expect(login.json.attendee).toMatchObject({ status: 'attended', detailedStatus: 'pre_event_visit' });
  });

  it('answers alike for a known address and changes nothing for it', async () => {
    const eventId = await newEvent();
    const invited = await api('POST', `/v1/events/${eventId}/attendees`, person('known@example.org'));
    expect(invited.status).toBe(201);
    const fresh = await register(eventId, person('fresh@example.org'));
    const known = await register(eventId, person(' Known@Example.org ', { firstName: 'Mallory' }));
    expect(known.status).toBe(fresh.status);
    expect(known.json).toEqual(fresh.json);
    await eventually(() => emailsTo('fresh@example.org', 'registration_confirmation')[0]);
    const list = await api('GET', `/v1/events/${eventId}/attendees?q=known`);
    expect(list.json.total).toBe(1);
    expect(list.json.items[0]).toMatchObject({ firstName: 'Ada', status: 'invited' });
    expect(emailsTo('known@example.org', 'registration_confirmation')).toHaveLength(0);
  });

  it('sends the confirm link first when the event requires email confirmation, and lands on confirmed_email', async () => {
    const eventId = await newEvent({ requiresEmailConfirmation: true });
    expect((await register(eventId, person('confirm@example.org'))).status).toBe(202);
    const waiting = await attendeeByEmail(eventId, 'confirm@example.org');
    expect(waiting).toMatchObject({ status: 'registered', detailedStatus: 'registered' });
    // No login link for an address that is not confirmed yet: it could not log in.
    expect(waiting.actions).not.toContain('generate_login_link');
    // The confirm-your-address email (the ledger kind of both registration emails) links to /confirm.
    const request = await eventually(() => emailsTo('confirm@example.org', 'registration_confirmation')[0]);
    expect(request.TextBody).toContain(`/events/${eventId}/confirm?token=`);

    const confirmed = await open('POST', '/v1/public/registrations/confirm', {
      token: tokenOf(request.TextBody),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.attendee).toMatchObject({
      status: 'registered',
      detailedStatus: 'confirmed_email',
    });
    const welcome = await eventually(() => emailsTo('confirm@example.org', 'registration_confirmation')[1]);
    expect(welcome.TextBody).toContain(`/events/${eventId}/login?token=`);
    const after = await attendeeByEmail(eventId, 'confirm@example.org');
    expect(after.actions).toContain('generate_login_link');
  });

  it('answers 404 when the event has not published its registration, or is unknown', async () => {
    const closed = await newEvent({ publishedRegistration: false });
    expect((await register(closed, person('x@example.org'))).status).toBe(404);
    expect((await register('00000000-0000-4000-8000-000000000000', person('x@example.org'))).status).toBe(
      404,
    );
    // Opened later by a PATCH.
    expect((await api('PATCH', `/v1/events/${closed}`, { publishedRegistration: true })).status).toBe(200);
    expect((await register(closed, person('x@example.org'))).status).toBe(202);
  });

  it('refuses invalid people with the invite rules (422) and no company-only refusal', async () => {
    const eventId = await newEvent();
    const bad = await register(eventId, {
      email: 'ada@gmial.com',
      firstName: '',
      lastName: 'L',
      language: 'tlh',
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { code: string }) => e.code).sort()).toEqual([
      'email_domain_typo',
      'invalid_language',
      'missing_field',
    ]);
  });

  it('refuses people outside the granted IdP groups on a closed event that admits only them', async () => {
    const eventId = await newEvent({ loginMode: 'sso', closed: true });
    const settings = await api('PUT', `/v1/events/${eventId}/access/settings`, {
      allowOutsideIdpGroups: false,
    });
    expect(settings.status).toBe(200);
    const res = await register(eventId, person('outsider@example.org'));
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('outside_idp_groups');
  });
});
