import { createHash, randomBytes } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  consumeLoginAttempt,
  deleteOidcSettings,
  findOidcSettings,
  insertLoginAttempt,
  type OidcSettingsRow,
  upsertOidcSettings,
} from '../../db/queries/directory';
import { type EventRow, findEventById } from '../../db/queries/events';
import type { AppEnv } from '../context';
import { notFound, ProblemError, problemBody } from '../problem';
import { toPublic } from '../public/public.handlers';
import { publicBase } from '../scim/scim.http';
import { admit, type SsoIdentity } from './sso.admit';
import { issuerProblem, oidc, relyingParty } from './sso.oidc';
import type * as routes from './sso.routes';

const ATTEMPT_TTL_MS = 10 * 60_000;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** One cookie per login attempt (named after its state), so two tabs do not overwrite each other. */
const cookieName = (state: string) => `roster_sso_${sha256(state).slice(0, 16)}`;
const callbackPath = (eventId: string) => `/v1/sso/${eventId}/callback`;

// ---------------------------------------------------------------- organizer settings

function toSettingsDto(c: Context<AppEnv>, row: OidcSettingsRow) {
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretSet: true as const,
    scopes: row.scopes,
    redirectUriTemplate: `${publicBase(c)}/v1/sso/{eventId}/callback`,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export const getSettings: RouteHandler<typeof routes.getOidcSettings, AppEnv> = async (c) => {
  const row = await findOidcSettings(c.var.deps.orm.em.fork(), c.var.organizationId);
  if (!row) throw notFound('The SSO settings');
  return c.json(toSettingsDto(c, row), 200);
};

export const putSettings: RouteHandler<typeof routes.putOidcSettings, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const problem = issuerProblem(body.issuer);
  if (problem) {
    throw new ProblemError(422, 'validation_failed', problem, [
      { path: 'issuer', code: 'insecure_issuer', message: problem },
    ]);
  }
  const em = c.var.deps.orm.em.fork();
  if (body.clientSecret === undefined && !(await findOidcSettings(em, c.var.organizationId))) {
    throw new ProblemError(422, 'validation_failed', 'clientSecret is required the first time.', [
      { path: 'clientSecret', code: 'required', message: 'clientSecret is required the first time.' },
    ]);
  }
  const row = await upsertOidcSettings(em, c.var.organizationId, {
    issuer: body.issuer.replace(/\/+$/, ''),
    clientId: body.clientId,
    clientSecret: body.clientSecret,
    scopes: body.scopes,
  });
  return c.json(toSettingsDto(c, row), 200);
};

export const deleteSettings: RouteHandler<typeof routes.deleteOidcSettings, AppEnv> = async (c) => {
  if (!(await deleteOidcSettings(c.var.deps.orm.em.fork(), c.var.organizationId))) {
    throw notFound('The SSO settings');
  }
  return c.body(null, 204);
};

// ---------------------------------------------------------------- login

/** The SSO event and its organization's OIDC settings, or why there is no SSO login for it. */
async function ssoEvent(c: Context<AppEnv>, eventId: string) {
  const em = c.var.deps.orm.em.fork();
  const event = await findEventById(em, eventId);
  if (!event) throw notFound('The event');
  if (event.loginMode !== 'sso') {
    throw new ProblemError(409, 'sso_not_enabled', 'This event does not use single sign-on.');
  }
  const settings = await findOidcSettings(em, event.organization.id);
  if (!settings) {
    throw new ProblemError(409, 'sso_not_configured', 'Single sign-on is not set up for this organization.');
  }
  return { event, settings };
}

async function configFor(c: Context<AppEnv>, settings: OidcSettingsRow) {
  try {
    return await relyingParty(c.var.deps, settings);
  } catch (error) {
    c.var.deps.logger.warn({ err: error, issuer: settings.issuer }, 'OIDC discovery failed');
    throw new ProblemError(502, 'idp_unavailable', 'The identity provider could not be reached. Try again.');
  }
}

export const start: RouteHandler<typeof routes.ssoStart, AppEnv> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { loginHint } = c.req.valid('query');
  const { event, settings } = await ssoEvent(c, eventId);
  const config = await configFor(c, settings);

  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const binding = randomBytes(32).toString('base64url');
  const redirectUri = `${publicBase(c)}${callbackPath(event.id)}`;
  await insertLoginAttempt(c.var.deps.orm.em.fork(), {
    eventId: event.id,
    stateHash: sha256(state),
    bindingHash: sha256(binding),
    codeVerifier,
    nonce,
    redirectUri,
    expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS),
  });
  const url = oidc.buildAuthorizationUrl(config, {
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: settings.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  // Binds the attempt to this browser: a callback from another browser (login CSRF) finds no cookie.
  setCookie(c, cookieName(state), binding, {
    path: callbackPath(event.id),
    httpOnly: true,
    secure: redirectUri.startsWith('https:'),
    sameSite: 'Lax',
    maxAge: ATTEMPT_TTL_MS / 1000,
  });
  c.header('cache-control', 'no-store');
  return c.redirect(url.href, 302);
};

const INVALID_STATE =
  'The login attempt is unknown, has expired, was used already, or was started in another browser. Start again.';

/** What the OP said about the person: ID token claims, completed from userinfo when the email is missing. */
async function identify(
  config: Awaited<ReturnType<typeof relyingParty>>,
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>,
): Promise<SsoIdentity> {
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  let info: Record<string, unknown> = claims;
  if (typeof claims.email !== 'string' && tokens.access_token) {
    try {
      info = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
    } catch {
      // No userinfo endpoint or no email there: the admission refuses without an address.
    }
  }
  const text = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : null);
  return {
    subject: claims.sub,
    email: text('email'),
    usernames: [text('preferred_username'), text('upn')].filter((v): v is string => v !== null),
    givenName: text('given_name'),
    familyName: text('family_name'),
    name: text('name'),
  };
}

async function finishLogin(c: Context<AppEnv>, eventId: string) {
  const params = new URL(c.req.url).searchParams;
  const state = params.get('state');
  const binding = state ? getCookie(c, cookieName(state)) : undefined;
  if (!state || !binding) throw new ProblemError(400, 'invalid_sso_state', INVALID_STATE);
  deleteCookie(c, cookieName(state), { path: callbackPath(eventId) });
  const em = c.var.deps.orm.em.fork();
  const attempt = await consumeLoginAttempt(em, eventId, sha256(state), sha256(binding));
  if (!attempt) throw new ProblemError(400, 'invalid_sso_state', INVALID_STATE);

  const { event, settings } = await ssoEvent(c, eventId);
  if (params.get('error')) {
    const detail = params.get('error_description') ?? params.get('error');
    throw new ProblemError(401, 'sso_failed', `The identity provider refused the login: ${detail}`);
  }
  const config = await configFor(c, settings);
  // The URL the OP redirected to, as registered (the redirect_uri of the token request), with its answer.
  const current = new URL(attempt.redirect_uri);
  current.search = params.toString();
  let identity: SsoIdentity;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: attempt.code_verifier,
      expectedState: state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    identity = await identify(config, tokens);
  } catch (error) {
    c.var.deps.logger.info({ err: error, eventId }, 'OIDC login refused');
    // The OP's refusal (e.g. invalid_grant for a reused code), or the check that failed here
    // (openid-client's cause names it: 'unexpected ID Token "nonce" claim value').
    const cause = (error as { cause?: unknown }).cause;
    const reason =
      error instanceof oidc.ResponseBodyError
        ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`
        : `${(error as Error).message}${cause instanceof Error ? `: ${cause.message}` : ''}`;
    throw new ProblemError(401, 'sso_failed', `The login could not be verified (${reason}).`);
  }
  return admit(c.var.deps, event as EventRow, identity);
}

/** A browser navigation (Accept names text/html) lands on the event site; anything else gets JSON. */
const wantsJson = (c: Context) => !/text\/html/i.test(c.req.header('accept') ?? '');

function problemJson(c: Context, error: ProblemError) {
  const body = problemBody(error.status, error.code, error.message, error.errors);
  if (error.status === 403) body.title = 'Forbidden';
  return c.body(JSON.stringify(body), error.status, { 'content-type': 'application/problem+json' });
}

export const callback: RouteHandler<typeof routes.ssoCallback, AppEnv> = async (c) => {
  const { eventId } = c.req.valid('param');
  const site = `${(c.var.deps.eventSiteUrl ?? 'http://localhost:3000').replace(/\/+$/, '')}/events/${eventId}/sso`;
  c.header('cache-control', 'no-store');
  try {
    const { attendee, session } = await finishLogin(c, eventId);
    if (wantsJson(c)) {
      return c.json(
        { session: session.token, expiresAt: session.expiresAt, attendee: toPublic(attendee) },
        200,
      );
    }
    const fragment = new URLSearchParams({ session: session.token, expiresAt: session.expiresAt });
    return c.redirect(`${site}#${fragment}`, 303);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    if (wantsJson(c)) return problemJson(c, error) as never;
    const fragment = new URLSearchParams({ error: error.code, error_description: error.message });
    return c.redirect(`${site}#${fragment}`, 303);
  }
};
