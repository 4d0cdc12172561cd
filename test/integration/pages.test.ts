import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

/** The attendee pages over plain HTTP (no browser): safety properties. pages.browser.test.ts drives Chromium. */
let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let open: Client;
let apiKey: string;

beforeAll(async () => {
  stack = await startStack();
  const organization = await stack.createOrganization();
  api = organization.client;
  apiKey = organization.key;
  open = stack.client();
});
afterAll(() => stack.close());

const FUTURE = { startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-03T17:00:00Z' };

async function invited(eventOverrides: Record<string, unknown> = {}, language = 'de') {
  const event = await api('POST', '/v1/events', sampleEvent({ ...FUTURE, ...eventOverrides }));
  expect(event.status).toBe(201);
  const email = `p-${crypto.randomUUID()}@example.org`;
  const res = await api('POST', `/v1/events/${event.json.id}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    language,
  });
  expect(res.status).toBe(201);
  return { eventId: event.json.id as string, email };
}

async function linkOf(email: string, kind: string) {
  const message = await eventually(() =>
    stack.postmark.messages.find((m) => m.To === email && m.Metadata?.kind === kind),
  );
  const url = new URL(/https?:\/\/\S+\?token=[A-Za-z0-9_-]+/.exec(message.TextBody ?? '')?.[0] as string);
  return { path: `${url.pathname}${url.search}`, token: url.searchParams.get('token') as string };
}

/** A tiny browser: keeps cookies, never follows redirects. */
function browser() {
  const jar = new Map<string, string>();
  return {
    jar,
    async request(method: string, path: string, form?: Record<string, string>) {
      const res = await fetch(`${stack.baseUrl}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const [name, value] = (pair as string).split('=') as [string, string];
        if (value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
    csrf: () => jar.get('roster_csrf') as string,
  };
}

describe('attendee pages', () => {
  it('shows the invitation on GET without spending its token, in the attendee’s language, under a strict CSP', async () => {
    const { eventId, email } = await invited();
    const { path, token } = await linkOf(email, 'invitation');
    expect(path).toBe(`/events/${eventId}/invitation?token=${token}`);

    const b = browser();
    for (let i = 0; i < 2; i++) {
      const page = await b.request('GET', path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html lang="de" dir="ltr">');
      expect(page.text).toContain('Einladung annehmen');
      expect(page.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    }
    // The token still works: the API accepts with it.
    const accepted = await open('POST', `/v1/public/invitations/${token}/accept`, {});
    expect(accepted.status).toBe(200);
  });

  it('asks for the family name first where people write it first (Japanese), the given name first elsewhere', async () => {
    const position = async (language: string) => {
      const { email } = await invited({}, language);
      const { path } = await linkOf(email, 'invitation');
      const page = await browser().request('GET', path);
      return { family: page.text.indexOf('id="lastName"'), given: page.text.indexOf('id="firstName"') };
    };
    const ja = await position('ja');
    expect(ja.family).toBeGreaterThan(0);
    expect(ja.family).toBeLessThan(ja.given);
    const de = await position('de');
    expect(de.given).toBeLessThan(de.family);
  });

  it('refuses a POST without the CSRF token and leaves the link token unspent', async () => {
    const { eventId, email } = await invited();
    const { path, token } = await linkOf(email, 'invitation');
    const b = browser();
    await b.request('GET', path);
    const forged = await b.request('POST', `/events/${eventId}/invitation`, { token, csrf: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    // Another site's form cannot carry the cookie's value either: no cookie, no match.
    const noCookie = await browser().request('POST', `/events/${eventId}/invitation`, {
      token,
      csrf: b.csrf(),
    });
    expect(noCookie.status).toBe(403);

    const accepted = await b.request('POST', `/events/${eventId}/invitation`, {
      token,
      csrf: b.csrf(),
      firstName: 'Augusta',
      lastName: 'King',
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(`/events/${eventId}/registered?lang=de`);
    // Spent now: the same link shows the expired page with a way to a new one.
    const again = await b.request('GET', path);
    expect(again.status).toBe(410);
    expect(again.text).toContain(`action="/events/${eventId}/login-link"`);
  });

  it('logs in with a magic link into an HttpOnly SameSite cookie, shows the attendee page and the calendar', async () => {
    const { eventId, email } = await invited({}, 'ja');
    const { token } = await linkOf(email, 'invitation');
    expect((await open('POST', `/v1/public/invitations/${token}/accept`, {})).status).toBe(200);

    const b = browser();
    await b.request('GET', `/events/${eventId}/login`);
    const asked = await b.request('POST', `/events/${eventId}/login-link`, {
      email,
      csrf: b.csrf(),
      lang: 'ja',
    });
    expect(asked.status).toBe(303);
    const login = await eventually(() =>
      stack.postmark.messages.find((m) => m.To === email && m.Metadata?.kind === 'login_link'),
    );
    const loginToken = /[?&]token=([A-Za-z0-9_-]+)/.exec(login.TextBody ?? '')?.[1] as string;
    expect((await b.request('GET', `/events/${eventId}/login?token=${loginToken}`)).status).toBe(200);

    const res = await fetch(`${stack.baseUrl}/events/${eventId}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: `roster_csrf=${b.csrf()}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: loginToken, csrf: b.csrf() }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/events/${eventId}/me`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('roster_session=')) as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toContain(`Path=/events/${eventId}`);
    b.jar.set('roster_session', (cookie.split(';')[0] as string).split('=')[1] as string);

    const me = await b.request('GET', `/events/${eventId}/me`);
    expect(me.status).toBe(200);
    expect(me.text).toContain('<html lang="ja" dir="ltr">');
    // Logging in counts as attending (the lifecycle's rule).
    expect(me.text).toContain('参加済み');
    const ics = await b.request('GET', `/events/${eventId}/calendar.ics`);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    // In the event's zone, with its VTIMEZONE, linking to the attendee's page.
    expect(ics.text).toContain('DTSTART;TZID=Europe/Berlin:20300301T100000');
    expect(ics.text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin');
    expect(ics.text.replace(/\r\n /g, '')).toContain(`URL;VALUE=URI:${stack.baseUrl}/events/${eventId}/me`);
    // Without the session, the attendee page sends to the login page.
    expect((await browser().request('GET', `/events/${eventId}/me`)).status).toBe(303);
  });

  it('answers an unknown link with the expired page in the event’s language', async () => {
    const { eventId } = await invited({ defaultLanguage: 'ar' });
    const page = await browser().request('GET', `/events/${eventId}/confirm?token=${'a'.repeat(43)}`);
    expect(page.status).toBe(410);
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
  });

  it('registers on the published registration page through the public API’s rules', async () => {
    const event = await api('POST', '/v1/events', sampleEvent({ ...FUTURE, publishedRegistration: true }));
    const eventId = event.json.id as string;
    const b = browser();
    const page = await b.request('GET', `/events/${eventId}/register?lang=sv`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="sv" dir="ltr">');
    const email = `r-${crypto.randomUUID()}@example.org`;
    const sent = await b.request('POST', `/events/${eventId}/register`, {
      csrf: b.csrf(),
      email,
      firstName: 'Grace',
      lastName: 'Hopper',
      language: 'sv',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/events/${eventId}/check-email?lang=sv`);
    const list = await api('GET', `/v1/events/${eventId}/attendees?q=${encodeURIComponent(email)}`);
    expect(list.json.items[0]).toMatchObject({ detailedStatus: 'registered', language: 'sv' });
    // Not published: no page.
    const closed = await api('POST', '/v1/events', sampleEvent(FUTURE));
    expect((await b.request('GET', `/events/${closed.json.id}/register`)).status).toBe(404);
  });

  it('lands an SSO login with its own script only, and refuses a session that is not one', async () => {
    const { eventId } = await invited();
    const b = browser();
    const landing = await b.request('GET', `/events/${eventId}/sso`);
    expect(landing.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(landing.text).toContain('src="/assets/sso-landing.js"');
    const forged = await b.request('POST', `/events/${eventId}/sso`, {
      csrf: b.csrf(),
      session: 'x'.repeat(43),
    });
    expect(forged.status).toBe(410);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('roster_session='))).toBe(false);
    const refused = await b.request('POST', `/events/${eventId}/sso`, {
      csrf: b.csrf(),
      error: 'outside_idp_groups',
    });
    expect(refused.status).toBe(403);
    // No attendee yet: the event's language (English here).
    expect(refused.text).toContain('This event is closed');
  });

  it('serves the event’s accent colour and logo, validated', async () => {
    const bad = await api('POST', '/v1/events', sampleEvent({ ...FUTURE, accentColor: 'red' }));
    expect(bad.status).toBe(422);
    const event = await api('POST', '/v1/events', sampleEvent({ ...FUTURE, accentColor: '#0B6E4F' }));
    expect(event.json.accentColor).toBe('#0b6e4f');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const put = await fetch(`${stack.baseUrl}/v1/events/${event.json.id}/logo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'image/png' },
      body: png,
    });
    expect(put.status).toBe(204);
    const theme = await open('GET', `/events/${event.json.id}/theme.css`);
    expect(theme.text).toContain('--accent: #0b6e4f');
    const logo = await fetch(`${stack.baseUrl}/events/${event.json.id}/logo`);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await logo.arrayBuffer()).equals(png)).toBe(true);
  });
});
