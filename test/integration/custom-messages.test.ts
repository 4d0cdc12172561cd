import { MockActivityEnvironment } from '@temporalio/testing';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCustomMessages } from '../../activities/custom-messages';
import { createPostmarkTransport } from '../../activities/email-transport';
import type { CustomMessage } from '../../domain/custom-message';
import { MESSAGES } from '../../emails/messages';
import type { FakeMessage } from '../support/postmark-fake';
import {
  EVENT_SITE_URL,
  eventually,
  type Stack,
  sampleEvent,
  startStack,
  WEBHOOK_TOKEN,
} from '../support/stack';

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

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An event starting `startsInMs` from now, two hours long, with two sessions in it. */
async function createEvent(startsInMs: number, overrides: Record<string, unknown> = {}) {
  const start = Math.floor((Date.now() + startsInMs) / MINUTE) * MINUTE;
  const res = await api(
    'POST',
    '/v1/events',
    sampleEvent({
      startsAt: iso(start),
      endsAt: iso(start + 120 * MINUTE),
      sessions: [
        { name: 'Keynote', startsAt: iso(start), endsAt: iso(start + 45 * MINUTE) },
        {
          name: 'Workshop; hands-on, "advanced"',
          startsAt: iso(start + 60 * MINUTE),
          endsAt: iso(start + 120 * MINUTE),
        },
      ],
      ...overrides,
    }),
  );
  expect(res.status).toBe(201);
  return res.json as { id: string; startsAt: string; endsAt: string; timezone: string; sessions: Session[] };
}
type Session = { id: string; name: string; startsAt: string; endsAt: string };

async function invite(eventId: string, fields: { language?: string; sendEmail?: boolean } = {}) {
  const email = `p-${crypto.randomUUID()}@example.org`;
  const res = await api('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    ...fields,
  });
  expect(res.status).toBe(201);
  return { email, id: res.json.id as string, path: `/v1/events/${eventId}/attendees/${res.json.id}` };
}

const emailsTo = (email: string, kind: string): FakeMessage[] =>
  stack.postmark.messages.filter((m) => m.To === email && m.Metadata?.kind === kind);

const tokenIn = (message: FakeMessage, page: string) =>
  new RegExp(`/${page}\\?token=([A-Za-z0-9_-]+)`).exec(message.TextBody ?? '')?.[1];

/** Invites a person and registers them through the invitation link. */
async function registered(eventId: string, fields: { language?: string } = {}) {
  const person = await invite(eventId, fields);
  const invitation = await eventually(() => emailsTo(person.email, 'invitation')[0]);
  const accepted = await open(
    'POST',
    `/v1/public/invitations/${tokenIn(invitation, 'invitation')}/accept`,
    {},
  );
  expect(accepted.status).toBe(200);
  expect(accepted.json.attendee.status).toBe('registered');
  return person;
}

const hrefs = (html: string) =>
  [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));

/** The message's .ics, parsed with ical.js as a calendar client would (its own VTIMEZONEs registered). */
function calendarOf(message: FakeMessage) {
  const files = message.Attachments.filter((a) => a.Name.endsWith('.ics'));
  expect(files).toHaveLength(1);
  const file = files[0] as FakeMessage['Attachments'][number];
  expect(file.ContentType).toBe('text/calendar; charset=utf-8; method=PUBLISH');
  return parseCalendar(Buffer.from(file.Content, 'base64').toString('utf8'));
}

function parseCalendar(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return {
    method: root.getFirstPropertyValue('method'),
    zones: root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
    events: root.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return {
        uid: e.uid,
        summary: e.summary,
        tzid: e.startDate.zone?.tzid,
        start: e.startDate.toJSDate().toISOString(),
        end: e.endDate.toJSDate().toISOString(),
        url: v.getFirstPropertyValue('url'),
      };
    }),
  };
}

/** What the event's calendar must say: the event and each session, in its zone, at its instants. */
function expectEventCalendar(
  calendar: ReturnType<typeof parseCalendar>,
  event: Awaited<ReturnType<typeof createEvent>>,
) {
  const url = `${EVENT_SITE_URL}/events/${event.id}/me`;
  expect(calendar.method).toBe('PUBLISH');
  expect(calendar.zones).toEqual([event.timezone]);
  expect(calendar.events).toEqual([
    {
      uid: `${event.id}@roster`,
      summary: 'Launch Week',
      tzid: event.timezone,
      start: event.startsAt,
      end: event.endsAt,
      url,
    },
    ...event.sessions.map((s) => ({
      uid: `${s.id}@roster`,
      summary: `Launch Week: ${s.name}`,
      tzid: event.timezone,
      start: new Date(s.startsAt).toISOString(),
      end: new Date(s.endsAt).toISOString(),
      url,
    })),
  ]);
}

const MESSAGE = {
  subject: 'Parking <b>&</b> arrival',
  body:
    'Hello all,\n\n<script>alert(1)</script> The map: https://example.com/parking?level=2&zone=b.\n' +
    'Not a link: javascript:alert(document.cookie)',
  perLanguage: { de: { subject: 'Parken', body: 'Hallo <i>zusammen</i>,\n\nEinlass ab 8:30 Uhr.' } },
};

describe('reminders with a message of the organizer’s own', () => {
  it('sends the message, escaped and in each reader’s language, with a login link that works when asked', async () => {
    const event = await createEvent(10 * DAY, { timezone: 'America/New_York' });
    const german = await registered(event.id, { language: 'de' });
    const french = await registered(event.id, { language: 'fr' });

    const rule = await api('POST', `/v1/events/${event.id}/reminders`, {
      audience: 'registered',
      offsetMinutes: 60,
      message: { ...MESSAGE, includeLoginLink: true },
    });
    expect(rule.status).toBe(201);
    expect(rule.json).toMatchObject({
      includeLoginLink: true,
      message: { ...MESSAGE, includeLoginLink: true },
    });
    expect((await api('GET', `/v1/events/${event.id}/reminders/${rule.json.id}`)).json.message).toEqual(
      rule.json.message,
    );

    const run = await api('POST', `/v1/events/${event.id}/reminders/run`, { ruleId: rule.json.id });
    expect(run.status).toBe(202);
    const [de, fr] = await Promise.all(
      [german, french].map((p) => eventually(() => emailsTo(p.email, 'reminder')[0], 30_000)),
    );
    if (!de || !fr) throw new Error('no reminders');

    // The reader's own translation where there is one, else the top-level text.
    expect(de.Subject).toBe('Parken');
    expect(de.HtmlBody).toContain('Hallo &lt;i&gt;zusammen&lt;/i&gt;,');
    expect(de.HtmlBody).not.toContain('<i>');
    expect(de.TextBody).toContain('Einlass ab 8:30 Uhr.');
    expect(fr.Subject).toBe('Parking <b>&</b> arrival');
    expect(fr.HtmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(fr.HtmlBody).not.toContain('<script>');
    expect(fr.HtmlBody).not.toContain('<b>');
    expect(hrefs(fr.HtmlBody ?? '')).toContain('https://example.com/parking?level=2&zone=b');
    expect(hrefs(fr.HtmlBody ?? '').some((h) => /javascript:/i.test(h))).toBe(false);
    // The frame speaks the reader's language.
    expect(fr.TextBody).toContain(MESSAGES.fr.message.footer.replace('{event}', 'Launch Week'));
    expect(de.TextBody).toContain(MESSAGES.de.message.loginButton);
    expect(de.Tag).toBe('reminder');
    expect(de.Metadata).toMatchObject({ kind: 'reminder', ruleId: rule.json.id, runId: run.json.runId });

    // Each reader's own single-use login link, which lets them in.
    const tokens = [de, fr].map((m) => tokenIn(m, 'login'));
    expect(new Set(tokens).size).toBe(2);
    const login = await open('POST', '/v1/public/login', { token: tokens[0] });
    expect(login.status).toBe(200);
    expect(login.json.attendee.email).toBe(german.email);
    expect((await open('POST', '/v1/public/login', { token: tokens[0] })).status).toBe(401);

    // Reminders carry the event's calendar.
    expectEventCalendar(calendarOf(de), event);

    // The run counts them; nobody got the standard reminder text.
    await eventually(async () => {
      const runs = (await api('GET', `/v1/events/${event.id}/reminders/${rule.json.id}`)).json.runs;
      return runs[0]?.finishedAt ? runs : undefined;
    });
    const runs = (await api('GET', `/v1/events/${event.id}/reminders/${rule.json.id}`)).json.runs;
    expect(runs[0]).toMatchObject({ trigger: 'manual', sent: 2, failed: 0 });
    expect(stack.postmark.messages.filter((m) => m.Subject === 'Launch Week starts soon')).toHaveLength(0);
  });

  it('sends the message on schedule, with the invitation link for invitees when asked and none otherwise', async () => {
    // Starts in 2 hours: rules due 3 hours before go out at once.
    const event = await createEvent(2 * 60 * MINUTE);
    const invitee = await invite(event.id);
    await eventually(() => emailsTo(invitee.email, 'invitation')[0]);
    const withLink = await api('POST', `/v1/events/${event.id}/reminders`, {
      audience: 'invited_not_registered',
      offsetMinutes: 180,
      message: { subject: 'Please register', body: 'Seats are going fast.', includeLoginLink: true },
    });
    expect(withLink.status).toBe(201);
    const without = await api('POST', `/v1/events/${event.id}/reminders`, {
      audience: 'invited_not_registered',
      offsetMinutes: 170,
      message: { subject: 'Last call', body: 'Still time to sign up.' },
    });
    expect(without.json.includeLoginLink).toBe(false);

    const [first, second] = await eventually(() => {
      const sent = emailsTo(invitee.email, 'reminder');
      return sent.length >= 2 ? sent : undefined;
    }, 30_000);
    const linked = [first, second].find((m) => m?.Subject === 'Please register') as FakeMessage;
    const plain = [first, second].find((m) => m?.Subject === 'Last call') as FakeMessage;
    const token = tokenIn(linked, 'invitation');
    expect(token).toBeTruthy();
    expect(linked.TextBody).toContain(MESSAGES.en.message.invitationButton);
    expect((await open('POST', `/v1/public/invitations/${token}/accept`, {})).json.attendee.status).toBe(
      'registered',
    );
    expect(plain.TextBody).toContain('Still time to sign up.');
    expect(plain.TextBody).not.toContain('token=');
    expect(hrefs(plain.HtmlBody ?? '')).toEqual([]);
    expect(plain.Attachments.map((a) => a.Name)).toEqual(['event.ics']);
    const rule = (await api('GET', `/v1/events/${event.id}/reminders/${without.json.id}`)).json;
    expect(rule.sentAt).not.toBeNull();
  });

  it('answers 422 with the field’s path for an empty, too long or unknown-language message, and creates nothing', async () => {
    const event = await createEvent(10 * DAY);
    const sso = await createEvent(10 * DAY, { loginMode: 'sso' });
    const create = (eventId: string, message: unknown, extra: Record<string, unknown> = {}) =>
      api('POST', `/v1/events/${eventId}/reminders`, {
        audience: 'registered',
        offsetMinutes: 60,
        message,
        ...extra,
      });
    const cases: [unknown, string, RegExp][] = [
      [{ subject: '', body: 'x' }, 'message.subject', /must not be empty/],
      [{ subject: '   ', body: 'x' }, 'message.subject', /must not be empty/],
      [{ subject: 'x', body: '' }, 'message.body', /must not be empty/],
      [{ subject: 'x' }, 'message.body', /./],
      [{ subject: 's'.repeat(201), body: 'x' }, 'message.subject', /at most 200/],
      [{ subject: 'x', body: 'b'.repeat(10_001) }, 'message.body', /at most 10,000/],
      [{ subject: 'Hi\nBcc: x@example.com', body: 'x' }, 'message.subject', /one line/],
      [
        { subject: 'x', body: 'y', perLanguage: { xx: { subject: 'a', body: 'b' } } },
        'message.perLanguage.xx',
        /"xx" is not one of Roster's languages/,
      ],
      [
        { subject: 'x', body: 'y', perLanguage: { de: { subject: 'a', body: ' ' } } },
        'message.perLanguage.de.body',
        /must not be empty/,
      ],
    ];
    for (const [message, path, text] of cases) {
      const res = await create(event.id, message);
      expect(res.status, path).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json.code).toBe('validation_failed');
      expect(res.json.errors).toEqual([
        expect.objectContaining({ path, message: expect.stringMatching(text) }),
      ]);
    }
    const conflict = await create(
      event.id,
      { subject: 'x', body: 'y', includeLoginLink: true },
      { includeLoginLink: false },
    );
    expect(conflict.status).toBe(422);
    expect(conflict.json.errors[0]).toMatchObject({
      path: 'message.includeLoginLink',
      code: 'conflicting_include_login_link',
    });
    const onSso = await create(sso.id, { subject: 'x', body: 'y', includeLoginLink: true });
    expect(onSso.status).toBe(422);
    expect(onSso.json.errors[0]).toMatchObject({ code: 'login_link_needs_magic_link' });
    expect((await api('GET', `/v1/events/${event.id}/reminders`)).json.total).toBe(0);
    expect((await create(sso.id, { subject: 'x', body: 'y' })).status).toBe(201);
  });
});

describe('calendar files', () => {
  it('go with the invitation, the registration confirmation and the reminder, in the event’s zone with its sessions', async () => {
    const event = await createEvent(10 * DAY, { timezone: 'Asia/Kolkata' });
    const person = await invite(event.id);
    const invitation = await eventually(() => emailsTo(person.email, 'invitation')[0]);
    expectEventCalendar(calendarOf(invitation), event);

    await open('POST', `/v1/public/invitations/${tokenIn(invitation, 'invitation')}/accept`, {});
    const confirmation = await eventually(() => emailsTo(person.email, 'registration_confirmation')[0]);
    expectEventCalendar(calendarOf(confirmation), event);

    const rule = await api('POST', `/v1/events/${event.id}/reminders`, {
      audience: 'registered',
      offsetMinutes: 60,
    });
    await api('POST', `/v1/events/${event.id}/reminders/run`, { ruleId: rule.json.id });
    const reminder = await eventually(() => emailsTo(person.email, 'reminder')[0], 30_000);
    expect(reminder.Subject).toBe('Launch Week starts soon');
    expectEventCalendar(calendarOf(reminder), event);

    // A login link is not an appointment: no calendar.
    await open('POST', `/v1/public/events/${event.id}/login-link`, { email: person.email });
    const loginLink = await eventually(() => emailsTo(person.email, 'login_link')[0]);
    expect(loginLink.Attachments).toEqual([]);
  });

  it('go with every invitation of a bulk import, the same file for the whole page', async () => {
    const event = await createEvent(10 * DAY, { timezone: 'Australia/Sydney' });
    const prefix = `bulk-${crypto.randomUUID().slice(0, 8)}-`;
    const rows = Array.from({ length: 3 }, (_, i) => `${prefix}${i}@example.org,P${i},Person,,,,`);
    const report = await api(
      'POST',
      `/v1/events/${event.id}/imports`,
      `email,first_name,last_name,company,title,language,role\n${rows.join('\n')}\n`,
      { 'content-type': 'text/csv' },
    );
    expect(report.status).toBe(201);
    expect((await api('POST', `/v1/events/${event.id}/imports/${report.json.id}/start`, {})).status).toBe(
      202,
    );
    const sent = await eventually(() => {
      const found = stack.postmark.messages.filter((m) => m.To.startsWith(prefix));
      return found.length === 3 ? found : undefined;
    }, 45_000);
    for (const message of sent) expectEventCalendar(calendarOf(message), event);
    expect(new Set(sent.map((m) => m.Attachments[0]?.Content)).size).toBe(1);
  });

  it('can be fetched by the attendee through the public API with their session, their own event only', async () => {
    const event = await createEvent(10 * DAY, { timezone: 'Europe/Berlin' });
    const other = await createEvent(10 * DAY);
    const person = await invite(event.id);
    const invitation = await eventually(() => emailsTo(person.email, 'invitation')[0]);
    const login = await open('POST', '/v1/public/login', { token: tokenIn(invitation, 'invitation') });
    expect(login.status).toBe(200);
    const attendee = stack.client(login.json.session);

    const res = await attendee('GET', `/v1/public/events/${event.id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('event.ics');
    const calendar = parseCalendar(res.text);
    expect(calendar.zones).toEqual(['Europe/Berlin']);
    expect(calendar.events.map((e) => e.uid)).toEqual([
      `${event.id}@roster`,
      ...event.sessions.map((s) => `${s.id}@roster`),
    ]);
    expect(calendar.events[0]).toMatchObject({
      start: event.startsAt,
      end: event.endsAt,
      tzid: 'Europe/Berlin',
    });

    expect((await attendee('GET', `/v1/public/events/${other.id}/calendar.ics`)).status).toBe(404);
    expect((await open('GET', `/v1/public/events/${event.id}/calendar.ics`)).status).toBe(401);
    expect((await stack.client('nope')('GET', `/v1/public/events/${event.id}/calendar.ics`)).status).toBe(
      401,
    );

    const openapi = (await open('GET', '/openapi.json')).json;
    expect(
      openapi.paths['/v1/public/events/{eventId}/calendar.ics']?.get?.responses?.['200']?.content,
    ).toHaveProperty('text/calendar');
  });
});

describe('sendCustomMessages', () => {
  const hook = (body: unknown) =>
    fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`postmark:${WEBHOOK_TOKEN}`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
  const act = (path: string, action: string) => api('POST', `${path}/actions/${action}`);

  it('skips who may not receive it, sends the rest once per ledger scope, each with their own way in', async () => {
    const event = await createEvent(10 * DAY);
    const elsewhere = await createEvent(10 * DAY);
    const invitee = await invite(event.id, { sendEmail: false });
    const member = await registered(event.id, { language: 'de' });
    // Logging in with the invitation link: attended.
    const visitor = await invite(event.id);
    const visitorInvite = await eventually(() => emailsTo(visitor.email, 'invitation')[0]);
    const visit = await open('POST', '/v1/public/login', { token: tokenIn(visitorInvite, 'invitation') });
    expect(visit.json.attendee.status).toBe('attended');
    const blocked = await invite(event.id, { sendEmail: false });
    expect((await act(blocked.path, 'block')).json.status).toBe('blocked');
    const removed = await invite(event.id, { sendEmail: false });
    expect((await act(removed.path, 'remove')).status).toBe(200);
    const leaver = await invite(event.id);
    const leaverInvite = await eventually(() => emailsTo(leaver.email, 'invitation')[0]);
    const leaverSession = (
      await open('POST', '/v1/public/login', { token: tokenIn(leaverInvite, 'invitation') })
    ).json.session;
    expect(
      (await stack.client(leaverSession)('POST', `/v1/public/events/${event.id}/unregister`)).status,
    ).toBe(200);
    const bounced = await invite(event.id);
    const bouncedInvite = await eventually(() => emailsTo(bounced.email, 'invitation')[0]);
    const bounce = async () => {
      const res = await hook({
        RecordType: 'Bounce',
        MessageID: bouncedInvite.MessageID,
        Type: 'HardBounce',
        Inactive: true,
      });
      return ((await res.json()) as { updated: number }).updated === 1 ? true : undefined;
    };
    // The webhook finds the message once its send is recorded.
    await eventually(bounce);
    await eventually(async () => {
      const [row] = await stack.orm.em
        .fork()
        .getConnection()
        .execute<{ email_undeliverable: boolean }[]>(
          'select email_undeliverable from attendees where id = ?',
          [bounced.id],
        );
      return row?.email_undeliverable ? true : undefined;
    });
    const stranger = await invite(elsewhere.id, { sendEmail: false });

    const deps = {
      orm: stack.orm,
      email: createPostmarkTransport(stack.postmark.serverToken, stack.postmark.url, 5),
      emailFrom: 'Roster <events@roster.test>',
      eventSiteUrl: EVENT_SITE_URL,
    };
    const message: CustomMessage = {
      subject: 'Schedule update',
      body: 'The keynote moves to room 2.\n\n<b>Thanks</b>',
      perLanguage: { de: { subject: 'Neuer Zeitplan', body: 'Die Keynote ist in Raum 2.' } },
      includeLoginLink: true,
    };
    const ledgerScope = `bulk/${crypto.randomUUID()}/send_message`;
    const ids = [
      invitee.id,
      member.id,
      visitor.id,
      blocked.id,
      removed.id,
      leaver.id,
      bounced.id,
      stranger.id,
      crypto.randomUUID(),
      'not-a-uuid',
      member.id,
    ];
    const send = (scope: string, kind: 'message' | 'reminder' = 'message', attendeeIds = ids) =>
      new MockActivityEnvironment().run(() =>
        sendCustomMessages(deps, { eventId: event.id, kind, message, attendeeIds, ledgerScope: scope }),
      );
    const before = stack.postmark.messages.length;

    const first = await send(ledgerScope);
    expect(first).toEqual([
      { attendeeId: invitee.id, outcome: 'sent' },
      { attendeeId: member.id, outcome: 'sent' },
      { attendeeId: visitor.id, outcome: 'sent' },
      { attendeeId: blocked.id, outcome: 'skipped', reason: 'status_blocked' },
      { attendeeId: removed.id, outcome: 'skipped', reason: 'removed' },
      { attendeeId: leaver.id, outcome: 'skipped', reason: 'status_unregistered' },
      { attendeeId: bounced.id, outcome: 'skipped', reason: 'bounced' },
      { attendeeId: stranger.id, outcome: 'skipped', reason: 'not_found' },
      { attendeeId: ids[8], outcome: 'skipped', reason: 'not_found' },
      { attendeeId: 'not-a-uuid', outcome: 'skipped', reason: 'not_found' },
    ]);
    const sent = stack.postmark.messages.slice(before);
    expect(sent.map((m) => m.To).sort()).toEqual([invitee.email, member.email, visitor.email].sort());
    // One Postmark batch call for the lot.
    for (const m of sent) {
      expect(m.Tag).toBe('message');
      expect(m.Metadata).toMatchObject({ kind: 'message', eventId: event.id });
      expect(m.Attachments).toEqual([]);
      expect(m.HtmlBody).not.toContain('<b>');
    }
    const to = (email: string) => sent.find((m) => m.To === email) as FakeMessage;
    expect(to(member.email).Subject).toBe('Neuer Zeitplan');
    expect(to(invitee.email).Subject).toBe('Schedule update');
    // Invitees get their invitation link, registered and attended people a login link.
    const invitationToken = tokenIn(to(invitee.email), 'invitation');
    expect(invitationToken).toBeTruthy();
    expect(tokenIn(to(visitor.email), 'login')).toBeTruthy();
    const memberLogin = await open('POST', '/v1/public/login', { token: tokenIn(to(member.email), 'login') });
    expect(memberLogin.status).toBe(200);
    expect(memberLogin.json.attendee.id).toBe(member.id);
    expect((await open('POST', `/v1/public/invitations/${invitationToken}/accept`, {})).status).toBe(200);

    // The same scope again (a retried activity): the same answer, nothing sent twice.
    const again = await send(ledgerScope);
    expect(again).toEqual(first);
    await pause(300);
    // (Accepting the invitation above sent a registration confirmation: count the messages only.)
    expect(stack.postmark.messages.slice(before).filter((m) => m.Tag === 'message')).toHaveLength(3);

    // Another scope is another message; as a reminder it carries the event's calendar.
    const reminder = await send(`${ledgerScope}/2`, 'reminder', [member.id]);
    expect(reminder).toEqual([{ attendeeId: member.id, outcome: 'sent' }]);
    const reminded = stack.postmark.messages.at(-1) as FakeMessage;
    expect(reminded).toMatchObject({
      To: member.email,
      Tag: 'reminder',
      Metadata: expect.objectContaining({ kind: 'reminder' }),
    });
    expect(reminded.Attachments.map((a) => a.Name)).toEqual(['event.ics']);
    const ledger = (await stack.orm.em
      .fork()
      .getConnection()
      .execute(
        'select ledger_key, kind, status from email_messages where ledger_key like ? order by ledger_key',
        [`${ledgerScope}/%`],
      )) as { ledger_key: string; kind: string; status: string }[];
    expect(ledger).toHaveLength(4);
    expect(
      ledger
        .filter((r) => r.kind === 'message')
        .map((r) => r.ledger_key)
        .sort(),
    ).toEqual([invitee.id, member.id, visitor.id].map((id) => `${ledgerScope}/${id}`).sort());
  });

  it('reports a final refusal as failed with its code and is not sent again', async () => {
    const event = await createEvent(10 * DAY);
    const person = await invite(event.id, { sendEmail: false });
    stack.postmark.setRecipientError(person.email, 406);
    const deps = {
      orm: stack.orm,
      email: createPostmarkTransport(stack.postmark.serverToken, stack.postmark.url, 5),
      emailFrom: 'Roster <events@roster.test>',
      eventSiteUrl: EVENT_SITE_URL,
    };
    const input = {
      eventId: event.id,
      kind: 'message' as const,
      message: { subject: 'Hi', body: 'Hello.' },
      attendeeIds: [person.id],
      ledgerScope: `test/${crypto.randomUUID()}`,
    };
    const run = () => new MockActivityEnvironment().run(() => sendCustomMessages(deps, input));
    expect(await run()).toEqual([{ attendeeId: person.id, outcome: 'failed', reason: 'email_rejected_406' }]);
    const calls = stack.postmark.requests['/email/batch'];
    expect(await run()).toEqual([{ attendeeId: person.id, outcome: 'failed', reason: 'email_rejected_406' }]);
    expect(stack.postmark.requests['/email/batch']).toBe(calls);
  });
});
