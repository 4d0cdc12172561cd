import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  consumeLoginAttempt,
  deleteOidcSettings,
  findOidcSettings,
  insertLoginAttempt,
  type OidcSettingsRow,
  upsertOidcSettings,
} from '../../db/queries/directory/oidc';
import { type EventRow, findEventById } from '../../db/queries/events';
import { hashSecret, newToken } from '../../domain/secrets';
import type { AppEnv } from '../context';
import { notFound, ProblemError, problemBody } from '../problem';
import type { AppRouteHandler } from '../router';
import { publicBase } from '../scim/scim.http';
import { toPublic } from '../shared/attendee-dto';
import { admit } from './sso.admit';
import { identityFrom, MAX_SUBJECT, type SsoIdentity } from './sso.identity';
import { issuerProblem, oidc, relyingParty } from './sso.oidc';
import type * as routes from './sso.routes';

const ATTEMPT_TTL_MS = 10 * 60_000;
/** One cookie per login attempt (named after its state), so two tabs do not overwrite each other. */
const cookieName = (state: string) => `roster_sso_${hashSecret(state).slice(0, 16)}`;
const callbackPath = (eventId: string) => `/v1/sso/${eventId}/callback`;

// ---------------------------------------------------------------- organizer settings

function toSettingsDto(c: Context<AppEnv>, row: OidcSettingsRow) {
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretSet: true as const,
    scopes: row.scopes,
    matchClaim: row.match_claim,
    redirectUriTemplate: `${publicBase(c)}/v1/sso/{eventId}/callback`,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export const getSettings: AppRouteHandler<typeof routes.getOidcSettings> = async (c) => {
  const row = await findOidcSettings(c.var.em, c.var.organizationId);
  if (!row) throw notFound('The SSO settings');
  return c.json(toSettingsDto(c, row), 200);
};

export const putSettings: AppRouteHandler<typeof routes.putOidcSettings> = async (c) => {
  const body = c.req.valid('json');
  const problem = issuerProblem(body.issuer, c.var.deps.allowInsecureIssuers === true);
  if (problem) {
    throw new ProblemError(422, 'validation_failed', problem, [
      { path: 'issuer', code: 'insecure_issuer', message: problem },
    ]);
  }
  const { em } = c.var;
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
    matchClaim: body.matchClaim,
  });
  return c.json(toSettingsDto(c, row), 200);
};

export const deleteSettings: AppRouteHandler<typeof routes.deleteOidcSettings> = async (c) => {
  if (!(await deleteOidcSettings(c.var.em, c.var.organizationId))) {
    throw notFound('The SSO settings');
  }
  return c.body(null, 204);
};

// ---------------------------------------------------------------- login

/** The SSO event and its organization's OIDC settings, or why there is no SSO login for it. */
async function ssoEvent(c: Context<AppEnv>, eventId: string) {
  const { em } = c.var;
  const event = await findEventById(em, eventId);
  if (!event) throw notFound('The event');
  if (event.loginMode !== 'sso') {
    throw new ProblemError(409, 'sso_not_enabled', 'This event does not use single sign-on.');
  }
  const settings = await findOidcSettings(em, event.organization.id);
  if (!settings) {
    throw new ProblemError(409, 'sso_not_configured', 'Single sign-on is not set up for this organization.');
  }
  // Settings stored before the deployment refused insecure issuers (or under another setting).
  if (issuerProblem(settings.issuer, c.var.deps.allowInsecureIssuers === true)) {
    c.var.deps.logger.warn(
      { organizationId: event.organization.id, eventId },
      'SSO login refused: the stored OIDC issuer is not allowed here (http or loopback)',
    );
    throw new ProblemError(
      409,
      'sso_not_configured',
      'Single sign-on is not set up for this organization: its identity provider address is not allowed.',
    );
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

export const start: AppRouteHandler<typeof routes.ssoStart> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { loginHint } = c.req.valid('query');
  const { event, settings } = await ssoEvent(c, eventId);
  const config = await configFor(c, settings);

  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const binding = newToken();
  const redirectUri = `${publicBase(c)}${callbackPath(event.id)}`;
  await insertLoginAttempt(c.var.em, {
    eventId: event.id,
    stateHash: hashSecret(state),
    bindingHash: hashSecret(binding),
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
  settings: OidcSettingsRow,
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>,
): Promise<SsoIdentity> {
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  if (claims.sub.length > MAX_SUBJECT) throw new Error('the ID token sub is longer than 255 characters');
  let userinfo: Record<string, unknown> = {};
  if (typeof claims.email !== 'string' && tokens.access_token) {
    try {
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    } catch {
      // No userinfo endpoint or no email there: the admission refuses without an address.
    }
  }
  // The issuer as validated by openid-client (the token's iss), which keys the account binding.
  return identityFrom(config.serverMetadata().issuer, settings.match_claim, claims, userinfo);
}

/** What to log about a failed code exchange or ID token check: the reason, never tokens or claim values. */
function failureReason(error: unknown) {
  if (error instanceof oidc.ResponseBodyError) {
    return { error: error.error, errorDescription: error.error_description, status: error.status };
  }
  // openid-client wraps oauth4webapi's error, whose message names the check; its cause holds the
  // token's claims, which stay out of the log (only the claim's name is kept).
  type Failure = { name?: string; code?: string; message?: string; cause?: unknown };
  const e = error as Failure;
  const inner = e.cause instanceof Error ? (e.cause as Failure) : undefined;
  const claimOf = (cause: unknown) => {
    const claim = (cause as { claim?: unknown } | undefined)?.claim;
    return typeof claim === 'string' ? claim : undefined;
  };
  return {
    error: e.name,
    code: e.code,
    message: e.message,
    cause: inner?.message,
    claim: claimOf(e.cause) ?? claimOf(inner?.cause),
  };
}

const SSO_FAILED = 'The identity provider did not confirm the login. Start again.';

async function finishLogin(c: Context<AppEnv>, eventId: string) {
  const params = new URL(c.req.url).searchParams;
  const state = params.get('state');
  const binding = state ? getCookie(c, cookieName(state)) : undefined;
  if (!state || !binding) throw new ProblemError(400, 'invalid_sso_state', INVALID_STATE);
  deleteCookie(c, cookieName(state), { path: callbackPath(eventId) });
  const { em } = c.var;
  const attempt = await consumeLoginAttempt(em, eventId, hashSecret(state), hashSecret(binding));
  if (!attempt) throw new ProblemError(400, 'invalid_sso_state', INVALID_STATE);

  const { event, settings } = await ssoEvent(c, eventId);
  if (params.get('error')) {
    // The IdP's words go to the log (for the administrator), not to the browser.
    c.var.deps.logger.info(
      {
        eventId,
        error: params.get('error')?.slice(0, 200),
        errorDescription: params.get('error_description')?.slice(0, 500),
      },
      'OIDC login refused by the identity provider',
    );
    throw new ProblemError(401, 'sso_failed', SSO_FAILED);
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
    identity = await identify(config, settings, tokens);
  } catch (error) {
    // The OP's refusal (e.g. invalid_grant for a reused code), or the check that failed here
    // (e.g. 'unexpected ID Token "nonce" claim value'): logged, and a generic answer.
    c.var.deps.logger.info({ eventId, reason: failureReason(error) }, 'OIDC login could not be verified');
    throw new ProblemError(401, 'sso_failed', SSO_FAILED);
  }
  return admit(c.var.deps, event as EventRow, identity, c.var.em);
}

/** A browser navigation (Accept names text/html) lands on the event site; anything else gets JSON. */
const wantsJson = (c: Context) => !/text\/html/i.test(c.req.header('accept') ?? '');

function problemJson(c: Context, error: ProblemError) {
  const body = problemBody(error.status, error.code, error.message, error.errors);
  if (error.status === 403) body.title = 'Forbidden';
  return c.body(JSON.stringify(body), error.status, { 'content-type': 'application/problem+json' });
}

export const callback: AppRouteHandler<typeof routes.ssoCallback> = async (c) => {
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
