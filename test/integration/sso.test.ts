import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import {
  type Browser,
  browser,
  type OidcProvider,
  signInAtProvider,
  startOidcProvider,
} from '../support/oidc-provider';
import { entraUser, newGroup, oktaUser, organizationWithScim, patchBody } from '../support/scim';
import { type Stack, sampleEvent, startStack } from '../support/stack';

const EVENT_SITE = 'https://events.example.test';

let stack: Stack;
let op: OidcProvider;
let api: string;
let closeApi: () => void;
let org: Awaited<ReturnType<typeof organizationWithScim>>;
/** What the API under test logged (pino JSON lines). */
const logLines: string[] = [];
const closers: (() => void)[] = [];
/** Organizer calls against the API under test (its own server, with EVENT_SITE_URL set). */
let organizer: ReturnType<Stack['client']>;

beforeAll(async () => {
  stack = await startStack();
  // The stack's API plus the deps SSO needs from the environment (EVENT_SITE_URL), in development
  // mode (the OP fake is on http://127.0.0.1), logging into logLines.
  const served = await serveApi({
    logger: pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }),
  });
  api = served.url;
  closeApi = served.close;

  op = await startOidcProvider({ redirectPrefix: `${api}/v1/sso` });
  org = await organizationWithScim(stack);
  organizer = clientFor(org.key);
  const settings = await organizer('PUT', '/v1/sso-settings', {
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecret: op.clientSecret,
  });
  expect(settings.status, settings.text).toBe(200);
});
afterAll(async () => {
  for (const close of closers) close();
  closeApi?.();
  await op?.close();
  await stack?.close();
});

/** Another API over the stack's database and Temporal, with its own settings. */
async function serveApi(overrides: Partial<AppDeps> = {}) {
  const app = createApp({
    orm: stack.orm,
    temporal: stack.temporal,
    taskQueue: stack.taskQueue,
    logger: pino({ level: 'silent' }),
    temporalReady: async () => true,
    eventSiteUrl: EVENT_SITE,
    allowInsecureIssuers: true,
    publicRateLimitPerMinute: 10_000,
    rateLimitScope: `${crypto.randomUUID()}:`,
    ...overrides,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => server.close();
  closers.push(close);
  return { url, close };
}

function clientFor(key?: string, base?: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base ?? api}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  };
}

const GENERIC_FAILURE = 'The identity provider did not confirm the login. Start again.';
const logged = (msg: string) => logLines.filter((l) => (JSON.parse(l) as { msg: string }).msg === msg);

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const email = (prefix = 'p') => `${unique(prefix)}@example.org`;

async function closedEvent(overrides: Record<string, unknown> = {}) {
  const res = await organizer(
    'POST',
    '/v1/events',
    sampleEvent({ loginMode: 'sso', closed: true, ...overrides }),
  );
  expect(res.status).toBe(201);
  return res.json.id as string;
}

/** A directory user (Okta shape) who is also an account at the OP, signing in with their address. */
async function person(options: { entra?: boolean; claims?: Record<string, unknown> } = {}) {
  const address = email(options.entra ? 'entra' : 'okta');
  const body = options.entra ? entraUser(address) : oktaUser(address);
  const res = await org.scim('POST', '/Users', body);
  expect(res.status, res.text).toBe(201);
  const account = unique('acct');
  op.accounts.set(account, {
    email: address,
    email_verified: true,
    given_name: 'Ada',
    family_name: 'Lovelace',
    ...options.claims,
  });
  return { id: res.json.id as string, address, account };
}

async function grantedGroup(eventId: string, members: string[]) {
  const res = await org.scim('POST', '/Groups', newGroup(unique('Granted'), members));
  expect(res.status).toBe(201);
  const grant = await organizer('PUT', `/v1/events/${eventId}/access/groups/${res.json.id}`);
  expect(grant.status).toBe(200);
  return res.json.id as string;
}

const invite = (eventId: string, address: string) =>
  organizer('POST', `/v1/events/${eventId}/attendees`, {
    email: address,
    firstName: 'Invited',
    lastName: 'Person',
    sendEmail: false,
  });

/** The whole login as a JSON client: start, the OP, the callback. */
async function login(eventId: string, account: string, accept = 'application/json') {
  const b = browser();
  const callbackUrl = await signInAtProvider(b, `${api}/v1/sso/${eventId}/start`, account);
  return callbackAs(b, callbackUrl, accept);
}

async function callbackAs(b: Browser, callbackUrl: string, accept = 'application/json') {
  const res = await b.get(callbackUrl, { accept });
  const text = await res.res.text();
  return {
    status: res.status,
    location: res.location,
    json: text ? JSON.parse(text) : undefined,
    callbackUrl,
  };
}

describe('SSO login of a closed event', () => {
  it('admits a member of a granted group who was never invited: sso_login, a session, no email', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);

    const res = await login(eventId, ada.account);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      session: expect.any(String),
      expiresAt: expect.any(String),
      attendee: { email: ada.address, status: 'sso_login', detailedStatus: 'sso_login', firstName: 'Ada' },
    });
    const me = await stack.client(res.json.session)('GET', '/v1/public/me');
    expect(me.status).toBe(200);
    expect(me.json.attendee).toMatchObject({ id: res.json.attendee.id, status: 'sso_login' });

    const detail = await organizer('GET', `/v1/events/${eventId}/attendees/${res.json.attendee.id}`);
    expect(detail.json.history.map((h: { status: string; by: string }) => [h.status, h.by])).toEqual([
      ['invited', 'sso'],
      ['sso_login', 'sso'],
    ]);
    expect(stack.postmark.messages.some((m) => m.To === ada.address)).toBe(false);

    // A second login keeps the attendee and gives a new session.
    const again = await login(eventId, ada.account);
    expect(again.status).toBe(200);
    expect(again.json.attendee.id).toBe(res.json.attendee.id);
    expect(again.json.session).not.toBe(res.json.session);
  });

  it('admits an invited outsider while outsiders are allowed, and refuses them once they are not', async () => {
    const eventId = await closedEvent();
    const outsider = await person();
    expect((await invite(eventId, outsider.address)).status).toBe(201);
    const allowed = await login(eventId, outsider.account);
    expect(allowed.status).toBe(200);
    expect(allowed.json.attendee.status).toBe('sso_login');

    await organizer('PUT', `/v1/events/${eventId}/access/settings`, { allowOutsideIdpGroups: false });
    const refused = await login(eventId, outsider.account);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'outside_idp_groups', status: 403, title: 'Forbidden' });
  });

  it('admits an invited person who is not in the directory at all while outsiders are allowed', async () => {
    const eventId = await closedEvent();
    const address = email('guest');
    const account = unique('guest');
    op.accounts.set(account, { email: address, email_verified: true });
    expect((await invite(eventId, address)).status).toBe(201);
    expect((await login(eventId, account)).status).toBe(200);
  });

  it('refuses an outsider nobody invited: not_invited, or outside_idp_groups without outsiders', async () => {
    const eventId = await closedEvent();
    const member = await person();
    await grantedGroup(eventId, [member.id]);
    const stranger = await person();
    const refused = await login(eventId, stranger.account);
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('not_invited');
    await organizer('PUT', `/v1/events/${eventId}/access/settings`, { allowOutsideIdpGroups: false });
    expect((await login(eventId, stranger.account)).json.code).toBe('outside_idp_groups');
    const list = await organizer('GET', `/v1/events/${eventId}/attendees`);
    expect(list.json.total).toBe(0);
  });

  it('refuses a deactivated directory user, even an invited one (idp_user_inactive)', async () => {
    const eventId = await closedEvent();
    const grace = await person({ entra: true });
    await grantedGroup(eventId, [grace.id]);
    expect((await invite(eventId, grace.address)).status).toBe(201);
    await org.scim(
      'PATCH',
      `/Users/${grace.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'False' }),
    );
    const res = await login(eventId, grace.account);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('idp_user_inactive');
  });

  it('authorizes from the synced membership, never from a groups claim of the ID token', async () => {
    const eventId = await closedEvent();
    const other = await person();
    const groupId = await grantedGroup(eventId, [other.id]);
    const claimer = await person({ claims: { groups: [groupId, 'Granted'] } });
    const res = await login(eventId, claimer.account);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('not_invited');
  });

  it('takes a removed grant, a removed membership and a re-added one into account at the next login', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    const groupId = await grantedGroup(eventId, [ada.id]);
    expect((await login(eventId, ada.account)).status).toBe(200);

    await organizer('DELETE', `/v1/events/${eventId}/access/groups/${groupId}`);
    const afterRemoval = await login(eventId, ada.account);
    expect(afterRemoval.status).toBe(403);
    expect(afterRemoval.json.code).toBe('not_invited');

    await organizer('PUT', `/v1/events/${eventId}/access/groups/${groupId}`);
    expect((await login(eventId, ada.account)).status).toBe(200);

    // Entra's old-style removal of the member.
    await org.scim(
      'PATCH',
      `/Groups/${groupId}`,
      patchBody({ op: 'Remove', path: 'members', value: [{ value: ada.id }] }),
    );
    expect((await login(eventId, ada.account)).status).toBe(403);
    await org.scim(
      'PATCH',
      `/Groups/${groupId}`,
      patchBody({ op: 'Add', path: 'members', value: [{ value: ada.id }] }),
    );
    const back = await login(eventId, ada.account);
    expect(back.status).toBe(200);
    // History stays: the attendee is the same one throughout.
    const detail = await organizer('GET', `/v1/events/${eventId}/attendees/${back.json.attendee.id}`);
    expect(detail.json.history[0]).toMatchObject({ status: 'invited', by: 'sso' });
  });

  it('refuses a blocked attendee (403 attendee_blocked)', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    const invited = await invite(eventId, ada.address);
    expect(invited.status).toBe(201);
    const blocked = await organizer(
      'POST',
      `/v1/events/${eventId}/attendees/${invited.json.id}/actions/block`,
    );
    expect(blocked.status).toBe(200);
    const res = await login(eventId, ada.account);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('attendee_blocked');
  });

  it('keeps a blocked member of a granted group out after they signed in, and lets them back on unblock', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);
    const first = await login(eventId, ada.account);
    expect(first.status).toBe(200);
    const path = `/v1/events/${eventId}/attendees/${first.json.attendee.id}`;
    // The SSO sign-in counts as a visit in analytics.
    const analytics = await organizer('GET', `${path}/analytics`);
    expect(analytics.json.visits).toEqual([expect.objectContaining({ kind: 'login' })]);
    expect(analytics.json.firstVisitAt).toEqual(expect.any(String));

    expect((await organizer('GET', path)).json.actions).toContain('block');
    expect((await organizer('POST', `${path}/actions/block`)).status).toBe(200);
    const session = await stack.client(first.json.session)('GET', '/v1/public/me');
    expect(session.status).toBe(401);
    const again = await login(eventId, ada.account);
    expect(again.status).toBe(403);
    expect(again.json.code).toBe('attendee_blocked');

    const unblocked = await organizer('POST', `${path}/actions/unblock`);
    expect(unblocked.json).toMatchObject({ status: 'sso_login', detailedStatus: 'sso_login' });
    expect((await login(eventId, ada.account)).status).toBe(200);
  });

  it('also serves SSO events that are not closed: invited people only', async () => {
    const eventId = await closedEvent({ closed: false });
    const ada = await person();
    expect((await login(eventId, ada.account)).json.code).toBe('not_invited');
    await invite(eventId, ada.address);
    expect((await login(eventId, ada.account)).json.attendee.status).toBe('sso_login');
  });
});

describe('the OIDC protocol checks', () => {
  it('starts an authorization code flow with PKCE S256, state and nonce, and binds it to the browser', async () => {
    const eventId = await closedEvent();
    const b = browser();
    const start = await b.get(`${api}/v1/sso/${eventId}/start?loginHint=ada@example.org`);
    expect(start.status).toBe(302);
    const url = new URL(start.location as string);
    expect(url.origin).toBe(op.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: op.clientId,
      redirect_uri: `${api}/v1/sso/${eventId}/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
      login_hint: 'ada@example.org',
    });
    const cookie = start.res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toContain(`Path=/v1/sso/${eventId}/callback`);
  });

  it('refuses a callback with a wrong state, or from another browser (400 invalid_sso_state)', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);
    const b = browser();
    const callbackUrl = await signInAtProvider(b, `${api}/v1/sso/${eventId}/start`, ada.account);
    const wrong = new URL(callbackUrl);
    wrong.searchParams.set('state', 'not-the-state');
    const wrongState = await callbackAs(b, wrong.href);
    expect(wrongState.status).toBe(400);
    expect(wrongState.json.code).toBe('invalid_sso_state');
    const elsewhere = await callbackAs(browser(), callbackUrl);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.code).toBe('invalid_sso_state');
    // The rightful browser still gets in.
    expect((await callbackAs(b, callbackUrl)).status).toBe(200);
  });

  it('refuses a replayed callback (400) and a reused authorization code with a fresh state (401)', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);
    const b = browser();
    const callbackUrl = await signInAtProvider(b, `${api}/v1/sso/${eventId}/start`, ada.account);
    expect((await callbackAs(b, callbackUrl)).status).toBe(200);

    const replay = await callbackAs(b, callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.json.code).toBe('invalid_sso_state');

    // A new attempt of the same browser, answered with the code that was already spent.
    const start = await b.get(`${api}/v1/sso/${eventId}/start`);
    const freshState = new URL(start.location as string).searchParams.get('state') as string;
    const reused = new URL(callbackUrl);
    reused.searchParams.set('state', freshState);
    const res = await callbackAs(b, reused.href);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'sso_failed', detail: GENERIC_FAILURE });
    expect(JSON.stringify(res.json)).not.toContain('invalid_grant');
    // The reason is for the administrator, in the log.
    expect(logged('OIDC login could not be verified').some((l) => l.includes('invalid_grant'))).toBe(true);
  });

  it('refuses an ID token whose nonce is not the one this login sent (401)', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);
    const b = browser();
    // An attacker's authorization request: same state and PKCE challenge, another nonce.
    const callbackUrl = await signInAtProvider(b, `${api}/v1/sso/${eventId}/start`, ada.account, (url) => {
      url.searchParams.set('nonce', 'attacker-nonce');
      return url;
    });
    const res = await callbackAs(b, callbackUrl);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'sso_failed', detail: GENERIC_FAILURE });
    const lines = logged('OIDC login could not be verified').filter((l) => l.includes(eventId));
    expect(
      lines.some((l) => l.includes('nonce')),
      lines.join('\n'),
    ).toBe(true);
    // Neither the ID token's claims nor tokens reach the log.
    expect(lines.join('\n')).not.toContain(ada.address);
    expect(lines.join('\n')).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('reports the identity provider’s refusal (error=access_denied) as 401 sso_failed', async () => {
    const eventId = await closedEvent();
    const b = browser();
    const start = await b.get(`${api}/v1/sso/${eventId}/start`);
    const state = new URL(start.location as string).searchParams.get('state') as string;
    const res = await callbackAs(
      b,
      `${api}/v1/sso/${eventId}/callback?error=access_denied&error_description=User+not+assigned&state=${state}`,
    );
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'sso_failed', detail: GENERIC_FAILURE });
    expect(JSON.stringify(res.json)).not.toContain('User not assigned');
    expect(
      logged('OIDC login refused by the identity provider').some((l) => l.includes('User not assigned')),
    ).toBe(true);
  });

  it('answers 404 for an unknown event, 409 for a magic-link event and for an organization without SSO', async () => {
    expect((await fetch(`${api}/v1/sso/${crypto.randomUUID()}/start`, { redirect: 'manual' })).status).toBe(
      404,
    );
    const magic = await organizer('POST', '/v1/events', sampleEvent());
    const notSso = await fetch(`${api}/v1/sso/${magic.json.id}/start`, { redirect: 'manual' });
    expect(notSso.status).toBe(409);
    expect(((await notSso.json()) as { code: string }).code).toBe('sso_not_enabled');

    const other = await stack.createOrganization();
    const theirs = await clientFor(other.key)(
      'POST',
      '/v1/events',
      sampleEvent({ loginMode: 'sso', closed: true }),
    );
    const unconfigured = await fetch(`${api}/v1/sso/${theirs.json.id}/start`, { redirect: 'manual' });
    expect(unconfigured.status).toBe(409);
    expect(((await unconfigured.json()) as { code: string }).code).toBe('sso_not_configured');
  });
});

describe('browsers', () => {
  it('land on the event site with the session in the fragment, or the refusal code', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);
    const ok = await login(eventId, ada.account, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(ok.status).toBe(303);
    const landed = new URL(ok.location as string);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${EVENT_SITE}/events/${eventId}/sso`);
    const fragment = new URLSearchParams(landed.hash.slice(1));
    const session = fragment.get('session') as string;
    expect((await stack.client(session)('GET', '/v1/public/me')).json.attendee.status).toBe('sso_login');

    // Clients that do not ask for HTML (curl, fetch: Accept */*) get JSON.
    const plain = await login(eventId, ada.account, '*/*');
    expect(plain.status).toBe(200);
    expect(plain.json.attendee.status).toBe('sso_login');

    const stranger = await person();
    const refused = await login(eventId, stranger.account, 'text/html');
    expect(refused.status).toBe(303);
    expect(new URLSearchParams(new URL(refused.location as string).hash.slice(1)).get('error')).toBe(
      'not_invited',
    );
  });
});

describe('the organization’s OIDC settings', () => {
  it('are set with a secret that is never answered, kept when omitted, and validated', async () => {
    const o = await stack.createOrganization();
    const client = clientFor(o.key);
    expect((await client('GET', '/v1/sso-settings')).status).toBe(404);
    const noSecret = await client('PUT', '/v1/sso-settings', { issuer: op.issuer, clientId: 'x' });
    expect(noSecret.status).toBe(422);
    const insecure = await client('PUT', '/v1/sso-settings', {
      issuer: 'https://idp.example.com/?tenant=1',
      clientId: 'x',
      clientSecret: 'y',
    });
    expect(insecure.status).toBe(422);
    expect(insecure.json.errors[0]).toMatchObject({ path: 'issuer', code: 'insecure_issuer' });

    const set = await client('PUT', '/v1/sso-settings', {
      issuer: 'https://example.okta.com/',
      clientId: 'roster-app',
      clientSecret: 'top-secret-value',
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({
      issuer: 'https://example.okta.com',
      clientId: 'roster-app',
      clientSecretSet: true,
      scopes: 'openid email profile',
      redirectUriTemplate: `${api}/v1/sso/{eventId}/callback`,
    });
    const read = await client('GET', '/v1/sso-settings');
    expect(read.text).not.toContain('top-secret-value');
    const kept = await client('PUT', '/v1/sso-settings', {
      issuer: 'https://example.okta.com',
      clientId: 'renamed',
    });
    expect(kept.status).toBe(200);
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ client_secret: string }[]>(
        'select client_secret from oidc_settings where organization_id = ?',
        [o.organizationId],
      );
    expect(row?.client_secret).toBe('top-secret-value');
    expect((await client('DELETE', '/v1/sso-settings')).status).toBe(204);
    expect((await clientFor()('GET', '/v1/sso-settings')).status).toBe(401);
  });
});

/** The directory user's bound IdP account, straight from the table. */
async function binding(directoryUserId: string) {
  const [row] = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ oidc_issuer: string | null; oidc_subject: string | null }[]>(
      'select oidc_issuer, oidc_subject from directory_users where id = ?',
      [directoryUserId],
    );
  return row;
}

describe('matching the IdP account to a directory user', () => {
  it('refuses an account that claims a member’s email without email_verified', async () => {
    const eventId = await closedEvent();
    const victim = await person();
    await grantedGroup(eventId, [victim.id]);
    const attacker = unique('attacker');
    op.accounts.set(attacker, { email: victim.address, email_verified: false, given_name: 'Mallory' });
    const res = await login(eventId, attacker);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('sso_email_unverified');
    expect(JSON.stringify(res.json)).not.toContain(victim.address);
    // No claim of email_verified at all is no better.
    op.accounts.set(attacker, { email: victim.address });
    expect((await login(eventId, attacker)).json.code).toBe('sso_email_unverified');
    // Nothing was bound or created; the real owner still gets in.
    expect(await binding(victim.id)).toEqual({ oidc_issuer: null, oidc_subject: null });
    expect((await organizer('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(0);
    expect((await login(eventId, victim.account)).status).toBe(200);
  });

  it('refuses an invited outsider’s address claimed without email_verified', async () => {
    const eventId = await closedEvent();
    const address = email('guest');
    expect((await invite(eventId, address)).status).toBe(201);
    const attacker = unique('attacker');
    op.accounts.set(attacker, { email: address, email_verified: false });
    const res = await login(eventId, attacker);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('sso_email_unverified');
  });

  it('binds the subject at the first login and refuses another subject with the same verified email', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    await grantedGroup(eventId, [ada.id]);
    expect((await login(eventId, ada.account)).status).toBe(200);
    expect(await binding(ada.id)).toEqual({ oidc_issuer: op.issuer, oidc_subject: ada.account });

    // A second IdP account with the same (even verified) address.
    const twin = unique('twin');
    op.accounts.set(twin, { email: ada.address, email_verified: true });
    const res = await login(eventId, twin);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('sso_account_mismatch');
    expect(await binding(ada.id)).toEqual({ oidc_issuer: op.issuer, oidc_subject: ada.account });
    expect((await login(eventId, ada.account)).status).toBe(200);
  });

  it('matches a bound account by its subject even when its email claim later names someone else', async () => {
    const eventId = await closedEvent();
    const ada = await person();
    const bob = await person();
    await grantedGroup(eventId, [ada.id, bob.id]);
    const first = await login(eventId, ada.account);
    expect(first.json.attendee.email).toBe(ada.address);
    // Ada's IdP account now carries Bob's address (verified, even): she is still Ada.
    op.accounts.set(ada.account, { email: bob.address, email_verified: true });
    const again = await login(eventId, ada.account);
    expect(again.status).toBe(200);
    expect(again.json.attendee).toMatchObject({ id: first.json.attendee.id, email: ada.address });
    expect(await binding(bob.id)).toEqual({ oidc_issuer: null, oidc_subject: null });
  });

  it('matches a first login by SCIM externalId = subject (as Okta pushes its user id), without an email claim', async () => {
    const eventId = await closedEvent();
    const address = email('okta');
    const account = unique('00u');
    const res = await org.scim('POST', '/Users', { ...oktaUser(address), externalId: account });
    expect(res.status).toBe(201);
    await grantedGroup(eventId, [res.json.id]);
    op.accounts.set(account, { given_name: 'Ada' });
    const ok = await login(eventId, account);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.attendee.email).toBe(address);
    expect(await binding(res.json.id)).toEqual({ oidc_issuer: op.issuer, oidc_subject: account });
  });
});

describe('the per-IdP claim setting (matchClaim)', () => {
  it('trusts Entra ID’s preferred_username (UPN) only when set to preferred_username', async () => {
    const entraOrg = await organizationWithScim(stack);
    const client = clientFor(entraOrg.key);
    const settings = { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret };
    expect((await client('PUT', '/v1/sso-settings', settings)).json.matchClaim).toBe('email');
    const event = await client('POST', '/v1/events', sampleEvent({ loginMode: 'sso', closed: true }));
    const eventId = event.json.id as string;
    const upn = email('upn');
    const mail = email('mail');
    const user = await entraOrg.scim('POST', '/Users', entraUser(upn, mail));
    const group = await entraOrg.scim('POST', '/Groups', newGroup(unique('Granted'), [user.json.id]));
    await client('PUT', `/v1/events/${eventId}/access/groups/${group.json.id}`);
    // Entra sends no email_verified; its optional email claim is not trusted either way.
    const account = unique('entra');
    op.accounts.set(account, {
      preferred_username: upn,
      email: mail,
      given_name: 'Grace',
      family_name: 'Hopper',
    });

    const byDefault = await login(eventId, account);
    expect(byDefault.status).toBe(403);
    expect(byDefault.json.code).toBe('sso_email_unverified');

    const set = await client('PUT', '/v1/sso-settings', { ...settings, matchClaim: 'preferred_username' });
    expect(set.status).toBe(200);
    expect(set.json.matchClaim).toBe('preferred_username');
    const ok = await login(eventId, account);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    // Invited under the directory's email, not a claim.
    expect(ok.json.attendee).toMatchObject({ email: mail, firstName: 'Grace', lastName: 'Hopper' });
    expect(await binding(user.json.id)).toEqual({ oidc_issuer: op.issuer, oidc_subject: account });

    expect((await client('PUT', '/v1/sso-settings', { ...settings, matchClaim: 'upn' })).status).toBe(422);
  });
});

describe('issuers outside development', () => {
  it('refuses http and loopback issuers at the settings write (422) and at login (409)', async () => {
    const production = await serveApi({ allowInsecureIssuers: false });
    const o = await stack.createOrganization();
    const strict = clientFor(o.key, production.url);
    for (const issuer of [
      op.issuer,
      'http://idp.example.com',
      'https://localhost/oauth2',
      'https://127.0.0.1:8443',
      'https://[::1]/',
      'https://0x7f.1/',
      'https://login.localhost',
    ]) {
      const res = await strict('PUT', '/v1/sso-settings', { issuer, clientId: 'x', clientSecret: 'y' });
      expect(res.status, issuer).toBe(422);
      expect(res.json.errors[0]).toMatchObject({ path: 'issuer', code: 'insecure_issuer' });
    }
    const ok = await strict('PUT', '/v1/sso-settings', {
      issuer: 'https://example.okta.com',
      clientId: 'x',
      clientSecret: 'y',
    });
    expect(ok.status).toBe(200);

    // Settings stored where insecure issuers were allowed (or before the rule) stop at login.
    const eventId = await closedEvent();
    const start = await fetch(`${production.url}/v1/sso/${eventId}/start`, { redirect: 'manual' });
    expect(start.status).toBe(409);
    expect(((await start.json()) as { code: string }).code).toBe('sso_not_configured');
  });
});

describe('the start of a login', () => {
  it('is rate limited per client address (429)', async () => {
    const limited = await serveApi({ publicRateLimitPerMinute: 3 });
    const eventId = await closedEvent();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await fetch(`${limited.url}/v1/sso/${eventId}/start`, { redirect: 'manual' })).status);
    }
    expect(statuses).toEqual([302, 302, 302, 429, 429]);
  });
});
