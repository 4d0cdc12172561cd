import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
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
/** Organizer calls against the API under test (its own server, with EVENT_SITE_URL set). */
let organizer: ReturnType<Stack['client']>;

beforeAll(async () => {
  stack = await startStack();
  // The stack's API plus the deps SSO needs from the environment (EVENT_SITE_URL).
  const app = createApp({
    orm: stack.orm,
    temporal: stack.temporal,
    taskQueue: stack.taskQueue,
    logger: pino({ level: 'silent' }),
    temporalReady: async () => true,
    eventSiteUrl: EVENT_SITE,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeApi = () => server.close();

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
  closeApi?.();
  await op?.close();
  await stack?.close();
});

function clientFor(key?: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
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
    op.accounts.set(account, { email: address });
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

  it('matches an Entra ID account by its UPN (preferred_username) and invites it under the directory’s email', async () => {
    const eventId = await closedEvent();
    const upn = email('upn');
    const mail = email('mail');
    const res = await org.scim('POST', '/Users', entraUser(upn, mail));
    const groupId = await grantedGroup(eventId, [res.json.id]);
    expect(groupId).toBeTruthy();
    const account = unique('entra');
    op.accounts.set(account, { preferred_username: upn, given_name: 'Grace', family_name: 'Hopper' });
    const login1 = await login(eventId, account);
    expect(login1.status, JSON.stringify(login1.json)).toBe(200);
    expect(login1.json.attendee).toMatchObject({ email: mail, firstName: 'Grace', lastName: 'Hopper' });
  });

  it('refuses a blocked attendee (409 action_not_allowed)', async () => {
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
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('action_not_allowed');
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
    expect(res.json.code).toBe('sso_failed');
    expect(res.json.detail).toContain('invalid_grant');
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
    expect(res.json.code).toBe('sso_failed');
    expect(res.json.detail).toMatch(/nonce/);
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
    expect(res.json).toMatchObject({
      code: 'sso_failed',
      detail: expect.stringContaining('User not assigned'),
    });
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
      issuer: 'http://idp.example.com',
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
