/**
 * Deliverability: the organization's suppression list (Postmark's spam complaints, unsubscribes and
 * hard bounces; organizers), every send path skipping suppressed addresses, bulk sends on the
 * broadcast stream with List-Unsubscribe, and the unsubscribe link itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../support/postmark-fake';
import { eventually, type Stack, sampleEvent, startStack, WEBHOOK_TOKEN } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let other: Client;
let open: Client;

beforeAll(async () => {
  stack = await startStack({ broadcastStream: 'broadcast' });
  api = (await stack.createOrganization()).client;
  other = (await stack.createOrganization()).client;
  open = stack.client();
});
afterAll(() => stack.close());

const FUTURE = { startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-03T17:00:00Z' };
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;

async function newEvent(client: Client, overrides: Record<string, unknown> = {}) {
  const res = await client('POST', '/v1/events', sampleEvent({ ...FUTURE, ...overrides }));
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function invite(client: Client, eventId: string, email: string) {
  const res = await client('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
  });
  expect(res.status).toBe(201);
  return res.json as { id: string };
}

async function register(eventId: string, email: string, organizer: Client = api) {
  const res = await open('POST', `/v1/public/events/${eventId}/registrations`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
  });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const list = await organizer('GET', `/v1/events/${eventId}/attendees?q=${encodeURIComponent(email)}`);
    return list.json.items[0] as { id: string } | undefined;
  });
}

const hook = async (body: Record<string, unknown>) => {
  const res = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`postmark:${WEBHOOK_TOKEN}`).toString('base64')}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
};

const messagesTo = (email: string) => stack.postmark.messages.filter((m) => m.To === email);
const header = (m: FakeMessage, name: string) => m.Headers.find((h) => h.Name === name)?.Value;

/** The email statuses of an attendee as its analytics show them, once `ready` holds. */
async function analyticsEmails(
  eventId: string,
  attendeeId: string,
  ready: (emails: { kind: string; status: string }[]) => boolean,
) {
  return eventually(async () => {
    const res = await api('GET', `/v1/events/${eventId}/attendees/${attendeeId}/analytics`);
    const emails = res.json?.emails as { kind: string; status: string }[] | undefined;
    // A ledger row is pending before its send (or its suppression) settles it: wait for that.
    return emails && ready(emails) && emails.every((e) => e.status !== 'pending') ? emails : undefined;
  });
}

/** The ledger of an address (for attendees whose status shows no analytics yet). */
type LedgerRow = { kind: string; status: string; error_message: string | null; event_id: string };
const ledgerOf = async (email: string): Promise<LedgerRow[]> =>
  stack.orm.em
    .fork()
    .getConnection()
    .execute<LedgerRow[]>(
      'select kind, status, error_message, event_id from email_messages where to_address = ? order by created_at',
      [email],
    );

async function suppressionOf(client: Client, email: string) {
  const res = await client('GET', `/v1/suppressions?email=${encodeURIComponent(email)}`);
  expect(res.status).toBe(200);
  return res.json.items[0];
}

describe('suppressions from Postmark webhooks', () => {
  it('suppresses a spam complainer in every event of the organization, and in no other organization', async () => {
    const first = await newEvent(api);
    const second = await newEvent(api, { publishedRegistration: true });
    const elsewhere = await newEvent(other, { publishedRegistration: true });
    const ada = unique('ada');
    await invite(api, first, ada);
    const invitation = await eventually(() => messagesTo(ada)[0]);
    // A single invitation is transactional: no List-Unsubscribe, on `outbound`.
    expect(invitation.MessageStream).toBe('outbound');
    expect(header(invitation, 'List-Unsubscribe')).toBeUndefined();

    const complaint = await hook({
      RecordType: 'SpamComplaint',
      MessageStream: 'outbound',
      ID: 42,
      Type: 'SpamComplaint',
      TypeCode: 512,
      MessageID: invitation.MessageID,
      Email: ada,
      Inactive: true,
      Metadata: invitation.Metadata,
    });
    expect(complaint).toEqual({ status: 200, json: { updated: 1 } });
    expect(await suppressionOf(api, ada)).toMatchObject({
      email: ada,
      reason: 'spam_complaint',
      source: 'postmark',
      eventId: first,
      detail: `SpamComplaint ${invitation.MessageID}`,
    });
    expect(await suppressionOf(other, ada)).toBeUndefined();

    // Another event of the organization: the registration confirmation is skipped and recorded.
    const registered = await register(second, ada);
    const emails = await analyticsEmails(second, registered.id, (list) => list.length > 0);
    expect(emails).toEqual([
      expect.objectContaining({ kind: 'registration_confirmation', status: 'suppressed' }),
    ]);

    // A reminder run of that event skips the address and sends to the others, on the broadcast stream.
    const bob = unique('bob');
    const bobAttendee = await register(second, bob);
    await eventually(() => messagesTo(bob)[0]);
    const rule = await api('POST', `/v1/events/${second}/reminders`, {
      audience: 'registered',
      offsetMinutes: 60,
    });
    expect(rule.status).toBe(201);
    expect(
      (await api('POST', `/v1/events/${second}/reminders/run`, { ruleId: rule.json.id })).json.recipients,
    ).toBe(2);
    const runs = await eventually(async () => {
      const r = (await api('GET', `/v1/events/${second}/reminders/${rule.json.id}`)).json;
      return r.runs[0]?.finishedAt ? r.runs : undefined;
    });
    expect(runs[0]).toMatchObject({ sent: 1, failed: 0 });
    const reminder = messagesTo(bob).find((m) => m.Metadata?.kind === 'reminder') as FakeMessage;
    expect(reminder.MessageStream).toBe('broadcast');
    expect(header(reminder, 'List-Unsubscribe')).toMatch(
      new RegExp(`^<${stack.baseUrl}/events/${second}/unsubscribe\\?token=[\\w.-]+>$`),
    );
    expect(header(reminder, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    await analyticsEmails(second, bobAttendee.id, (list) => list.some((e) => e.kind === 'reminder'));
    expect(
      await analyticsEmails(second, registered.id, (list) => list.some((e) => e.kind === 'reminder')),
    ).toContainEqual(expect.objectContaining({ kind: 'reminder', status: 'suppressed' }));
    // Nothing of this organization's reached the address after the complaint...
    expect(messagesTo(ada)).toEqual([invitation]);

    // ...while another organization's event still emails it.
    await register(elsewhere, ada, other);
    const theirs = await eventually(() => messagesTo(ada).find((m) => m.Metadata?.eventId === elsewhere));
    expect(theirs.Metadata?.kind).toBe('registration_confirmation');
  });

  it('suppresses on a SubscriptionChange and lifts Postmark’s suppression on its reactivation', async () => {
    const eventId = await newEvent(api);
    const carol = unique('carol');
    await invite(api, eventId, carol);
    const invitation = await eventually(() => messagesTo(carol)[0]);
    const change = {
      RecordType: 'SubscriptionChange',
      ServerID: 23,
      MessageStream: 'outbound',
      ChangedAt: new Date().toISOString(),
      Recipient: carol,
      Tag: 'invitation',
    };
    const suppressed = await hook({
      ...change,
      MessageID: invitation.MessageID,
      Origin: 'Recipient',
      SuppressSending: true,
      SuppressionReason: 'ManualSuppression',
      Metadata: invitation.Metadata,
    });
    expect(suppressed.json).toEqual({ updated: 1 });
    expect(await suppressionOf(api, carol)).toMatchObject({ reason: 'unsubscribe', source: 'postmark' });

    // A login link, transactional as it is, is not sent either: recorded on the ledger.
    expect((await open('POST', `/v1/public/events/${eventId}/login-link`, { email: carol })).status).toBe(
      202,
    );
    const skipped = await eventually(async () =>
      (await ledgerOf(carol)).find((r) => r.kind === 'login_link' && r.status !== 'pending'),
    );
    expect(skipped).toMatchObject({ status: 'suppressed', error_message: 'suppressed: unsubscribe' });

    // An organizer's own suppression is not Postmark's to lift.
    const hal = unique('hal');
    expect((await api('POST', '/v1/suppressions', { email: hal })).status).toBe(201);

    // A reactivation names no message (MessageID null) and no metadata.
    const reactivated = await hook({
      ...change,
      MessageID: null,
      Origin: 'Customer',
      SuppressSending: false,
      SuppressionReason: 'ManualSuppression',
      Recipient: carol.toUpperCase(),
      Metadata: {},
    });
    expect(reactivated.json).toEqual({ updated: 1 });
    expect(await suppressionOf(api, carol)).toBeUndefined();
    expect((await hook({ ...change, MessageID: null, SuppressSending: false, Recipient: hal })).json).toEqual(
      {
        updated: 0,
      },
    );
    expect(await suppressionOf(api, hal)).toMatchObject({ reason: 'manual', source: 'api' });

    // Mail flows again.
    expect((await open('POST', `/v1/public/events/${eventId}/login-link`, { email: carol })).status).toBe(
      202,
    );
    const link = await eventually(() => messagesTo(carol).find((m) => m.Metadata?.kind === 'login_link'));
    expect(link.MessageStream).toBe('outbound');
  });

  it('suppresses a hard bounce for the organization beside the attendee’s own mark, and lifting clears both', async () => {
    const eventId = await newEvent(api);
    const dan = unique('dan');
    const attendee = await invite(api, eventId, dan);
    const invitation = await eventually(() => messagesTo(dan)[0]);
    const bounce = await hook({
      RecordType: 'Bounce',
      Type: 'HardBounce',
      TypeCode: 1,
      MessageID: invitation.MessageID,
      Email: dan,
      Inactive: true,
      Metadata: invitation.Metadata,
    });
    expect(bounce.status).toBe(200);
    expect(await suppressionOf(api, dan)).toMatchObject({
      reason: 'hard_bounce',
      source: 'postmark',
      eventId,
    });
    // A soft bounce suppresses nothing.
    const eve = unique('eve');
    await invite(api, eventId, eve);
    const eveMail = await eventually(() => messagesTo(eve)[0]);
    await hook({ RecordType: 'Bounce', Type: 'SoftBounce', MessageID: eveMail.MessageID, Email: eve });
    expect(await suppressionOf(api, eve)).toBeUndefined();

    // The attendee's workflow records its own mark (as before): wait for it, then lift.
    await eventually(async () => {
      const [row] = await stack.orm.em
        .fork()
        .getConnection()
        .execute<{ email_undeliverable: boolean }[]>(
          'select email_undeliverable from attendees where id = ?',
          [attendee.id],
        );
      return row?.email_undeliverable ? true : undefined;
    });
    expect((await api('DELETE', `/v1/suppressions/${encodeURIComponent(dan)}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/suppressions/${encodeURIComponent(dan)}`)).status).toBe(404);
    const resent = await api('POST', `/v1/events/${eventId}/attendees/${attendee.id}/actions/resend_email`);
    expect(resent.status).toBe(200);
    await eventually(() => (messagesTo(dan).length === 2 ? true : undefined));
  });
});

describe('the suppressions API', () => {
  it('adds, lists with filters and cursors, gets and lifts, scoped to the organization and audited', async () => {
    const mine = (await stack.createOrganization()).client;
    const added = await mine('POST', '/v1/suppressions', { email: '  Ivy@Example.org ' });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      email: 'ivy@example.org',
      reason: 'manual',
      source: 'api',
      eventId: null,
    });
    expect(added.json.detail).toMatch(/^api_key:/);
    const again = await mine('POST', '/v1/suppressions', { email: 'ivy@example.org' });
    expect(again.status).toBe(200);
    expect(again.json.createdAt).toBe(added.json.createdAt);
    const invalid = await mine('POST', '/v1/suppressions', { email: 'not an address' });
    expect(invalid.status).toBe(422);
    expect(invalid.json.errors[0]).toMatchObject({ path: 'email', code: 'invalid_email' });
    for (const email of ['jay@example.org', 'kim@example.org'])
      expect((await mine('POST', '/v1/suppressions', { email })).status).toBe(201);

    const page1 = await mine('GET', '/v1/suppressions?limit=2');
    expect(page1.json.total).toBe(3);
    expect(page1.json.items.map((s: { email: string }) => s.email)).toEqual([
      'kim@example.org',
      'jay@example.org',
    ]);
    const page2 = await mine('GET', `/v1/suppressions?limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json).toMatchObject({ items: [{ email: 'ivy@example.org' }], nextCursor: null, total: 3 });
    expect((await mine('GET', '/v1/suppressions?reason=manual')).json.total).toBe(3);
    expect((await mine('GET', '/v1/suppressions?reason=spam_complaint')).json).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
    expect((await mine('GET', '/v1/suppressions?email=IVY@example.org')).json.total).toBe(1);
    expect((await mine('GET', '/v1/suppressions?cursor=garbage')).status).toBe(400);
    expect((await mine('GET', '/v1/suppressions?reason=bored')).status).toBe(422);

    expect((await mine('GET', '/v1/suppressions/ivy%40example.org')).json.reason).toBe('manual');
    // Another organization neither sees nor lifts it.
    expect((await other('GET', '/v1/suppressions/ivy%40example.org')).status).toBe(404);
    expect((await other('DELETE', '/v1/suppressions/ivy%40example.org')).status).toBe(404);
    expect((await open('GET', '/v1/suppressions')).status).toBe(401);

    expect((await mine('DELETE', '/v1/suppressions/IVY%40example.org')).status).toBe(204);
    expect((await mine('GET', '/v1/suppressions/ivy%40example.org')).status).toBe(404);
    expect((await mine('GET', '/v1/suppressions')).json.total).toBe(2);

    const audit = (await mine('GET', '/v1/audit')).json.items.map(
      (e: { method: string; path: string; status: number }) => [e.method, e.path, e.status],
    );
    expect(audit).toContainEqual(['POST', '/v1/suppressions', 201]);
    expect(audit).toContainEqual(['DELETE', '/v1/suppressions/IVY%40example.org', 204]);
  });

  it('is described in the served OpenAPI document', async () => {
    const doc = (await open('GET', '/openapi.json')).json;
    expect(Object.keys(doc.paths['/v1/suppressions']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/suppressions/{email}']).sort()).toEqual(['delete', 'get']);
    expect(doc.paths['/v1/public/unsubscribe'].post.requestBody.content).toHaveProperty(
      'application/x-www-form-urlencoded',
    );
    expect(doc.components.schemas.Suppression.properties.reason.$ref).toBe(
      '#/components/schemas/SuppressionReason',
    );
  });
});

describe('bulk emails on the broadcast stream, with List-Unsubscribe', () => {
  const upload = async (eventId: string, emails: string[]) => {
    const csv = `email,first_name,last_name,company,title,language,role\n${emails.map((e) => `${e},Eve,Doe,,,,`).join('\n')}\n`;
    const report = await api('POST', `/v1/events/${eventId}/imports`, csv, { 'content-type': 'text/csv' });
    expect(report.status).toBe(201);
    expect((await api('POST', `/v1/events/${eventId}/imports/${report.json.id}/start`, {})).status).toBe(202);
    return eventually(async () => {
      const res = await api('GET', `/v1/events/${eventId}/imports/${report.json.id}`);
      return res.json.status === 'completed' ? res.json : undefined;
    }, 45_000);
  };
  const unsubscribeUrl = (m: FakeMessage) =>
    /^<(.+)>$/.exec(header(m, 'List-Unsubscribe') ?? '')?.[1] as string;

  it('sends a bulk import on the broadcast stream with one-click unsubscribe, skipping suppressed rows; login links stay on outbound', async () => {
    const eventId = await newEvent(api, { defaultLanguage: 'de' });
    const [fay, gus, hugo] = [unique('fay'), unique('gus'), unique('hugo')];
    expect((await api('POST', '/v1/suppressions', { email: hugo })).status).toBe(201);
    const done = await upload(eventId, [fay, gus, hugo]);
    // The suppressed row is invited, not emailed, and not retried.
    expect(done.progress).toMatchObject({ invited: 3, emailed: 2, failed: 0 });
    expect(messagesTo(hugo)).toEqual([]);
    expect((await ledgerOf(hugo)).map((r) => [r.kind, r.status])).toEqual([['invitation', 'suppressed']]);

    for (const email of [fay, gus]) {
      const [m] = messagesTo(email) as [FakeMessage];
      expect(m.MessageStream).toBe('broadcast');
      expect(unsubscribeUrl(m)).toMatch(
        new RegExp(`^${stack.baseUrl}/events/${eventId}/unsubscribe\\?token=`),
      );
      expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    // Each address has its own link.
    expect(unsubscribeUrl(messagesTo(fay)[0] as FakeMessage)).not.toBe(
      unsubscribeUrl(messagesTo(gus)[0] as FakeMessage),
    );

    expect((await open('POST', `/v1/public/events/${eventId}/login-link`, { email: fay })).status).toBe(202);
    const login = await eventually(() => messagesTo(fay).find((m) => m.Metadata?.kind === 'login_link'));
    expect(login.MessageStream).toBe('outbound');
    expect(login.Headers).toEqual([]);
  });

  it('sends an organizer’s bulk message on the broadcast stream once, after a lost answer, skipping the suppressed', async () => {
    const eventId = await newEvent(api);
    const [lea, max, ned] = [unique('lea'), unique('max'), unique('ned')];
    const ids = [];
    for (const email of [lea, max, ned]) ids.push((await invite(api, eventId, email)).id);
    await eventually(() => ([lea, max, ned].every((e) => messagesTo(e).length === 1) ? true : undefined));
    expect((await api('POST', '/v1/suppressions', { email: ned })).status).toBe(201);
    // Postmark takes the batch but its answer never comes: the retry looks it up on the broadcast stream.
    stack.postmark.failNext(1, { status: 'timeout_after_accept' });
    const started = await api('POST', `/v1/events/${eventId}/bulk-actions`, {
      action: 'send_message',
      attendeeIds: ids,
      message: { subject: 'Parking and arrival', body: 'Doors open at 8:30.' },
    });
    expect(started.status).toBe(202);
    const done = await eventually(async () => {
      const res = await api('GET', `/v1/events/${eventId}/bulk-actions/${started.json.id}`);
      return res.json.status === 'running' ? undefined : res.json;
    }, 45_000);
    expect(done.progress).toMatchObject({ processed: 3, done: 2, skipped: 1, failed: 0 });
    const csv = (await api('GET', `/v1/events/${eventId}/bulk-actions/${started.json.id}/results.csv`)).text;
    expect(csv).toContain(`${ids[2]},${ned},skipped,suppressed`);
    for (const email of [lea, max]) {
      const sent = messagesTo(email).filter((m) => m.Metadata?.kind === 'message');
      expect(sent).toHaveLength(1);
      expect(sent[0]?.MessageStream).toBe('broadcast');
      expect(header(sent[0] as FakeMessage, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    expect(messagesTo(ned).filter((m) => m.Metadata?.kind === 'message')).toEqual([]);
    expect(stack.postmark.faults.timeout_after_accept).toBeGreaterThan(0);
  });

  it('unsubscribes with a mailbox provider’s one-click POST, the page’s button or the public API', async () => {
    const eventId = await newEvent(api, { defaultLanguage: 'de' });
    const later = await newEvent(api);
    const [ivo, jo, kai] = [unique('ivo'), unique('jo'), unique('kai')];
    await upload(eventId, [ivo, jo, kai]);
    const [ivoUrl, joUrl, kaiUrl] = [ivo, jo, kai].map((e) =>
      unsubscribeUrl(messagesTo(e)[0] as FakeMessage),
    ) as [string, string, string];

    // The page at the link only shows, in the reader's language; GET never unsubscribes.
    const page = await fetch(ivoUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de"');
    expect(html).toContain(ivo);
    expect(html).toContain('Von diesen E-Mails abmelden?');
    expect(await suppressionOf(api, ivo)).toBeUndefined();

    // RFC 8058: a POST to the URL with List-Unsubscribe=One-Click, no cookie, no redirect.
    const oneClick = await fetch(ivoUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(oneClick.status).toBe(200);
    expect(await suppressionOf(api, ivo)).toMatchObject({
      reason: 'unsubscribe',
      source: 'list_unsubscribe',
      eventId,
    });
    const repeat = await fetch(ivoUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(repeat.status).toBe(200);
    expect((await api('GET', `/v1/suppressions?email=${encodeURIComponent(ivo)}`)).json.total).toBe(1);

    // The page's button posts the token in the form.
    const joToken = new URL(joUrl).searchParams.get('token') as string;
    const button = await fetch(`${stack.baseUrl}/events/${eventId}/unsubscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: joToken }).toString(),
    });
    expect(button.status).toBe(200);
    expect(await button.text()).toContain('Sie sind abgemeldet');
    expect(await suppressionOf(api, jo)).toMatchObject({ reason: 'unsubscribe' });

    // The public API, for an event site of the organization's own.
    const kaiToken = new URL(kaiUrl).searchParams.get('token') as string;
    const forged = `${kaiToken.slice(0, -2)}${kaiToken.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await open('POST', '/v1/public/unsubscribe', { token: forged })).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/events/${eventId}/unsubscribe?token=${forged}`)).status).toBe(404);
    // A token is good only on its own event's page.
    expect((await fetch(`${stack.baseUrl}/events/${later}/unsubscribe?token=${kaiToken}`)).status).toBe(404);
    expect(await suppressionOf(api, kai)).toBeUndefined();
    const viaApi = await open('POST', '/v1/public/unsubscribe', { token: kaiToken });
    expect(viaApi).toMatchObject({ status: 200, json: { unsubscribed: true } });
    expect(await suppressionOf(api, kai)).toMatchObject({
      reason: 'unsubscribe',
      source: 'list_unsubscribe',
    });

    // From now on the organization's other events skip the address too.
    await invite(api, later, ivo);
    const skipped = await eventually(async () =>
      (await ledgerOf(ivo)).find((r) => r.event_id === later && r.status !== 'pending'),
    );
    expect(skipped).toMatchObject({ kind: 'invitation', status: 'suppressed' });
    expect(messagesTo(ivo)).toHaveLength(1);
  });
});
