import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { createRosterClient } from '../../client';
import { findConsoleSession } from '../../db/writes/console-sessions';
import { newToken } from '../../domain/secrets';
import { CONSOLE_PRINCIPAL, type ConsolePrincipal } from '../auth';
import type { AppEnv } from '../context';
import { isSecure } from '../pages/security';
import type { ConsoleEnv, Flash } from './context';

/** The console's session token: HttpOnly, SameSite=Strict, only under /console. */
export const SESSION_COOKIE = 'roster_console';
/** Before sign-in there is no session to bind a token to: the sign-in form double-submits this one. */
export const SIGN_IN_CSRF_COOKIE = 'roster_console_csrf';
const FLASH_COOKIE = 'roster_console_flash';
export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const cookieOptions = (c: Context, path = '/console') =>
  ({ path, httpOnly: true, sameSite: 'Strict', secure: isSecure(c as Context<AppEnv>) }) as const;

/** The CSRF token of a session: derived from its secret, so it is bound to it and needs no storage. */
export const csrfFor = (sessionToken: string) =>
  createHmac('sha256', sessionToken).update('roster-console-csrf').digest('base64url');

export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

export function setSessionCookie(c: Context, token: string, expiresAt: Date) {
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), expires: expiresAt });
  deleteCookie(c, SIGN_IN_CSRF_COOKIE, cookieOptions(c));
}

export function clearSessionCookie(c: Context) {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

/** The sign-in form's token: the browser's cookie, set on first sight. */
export function signInCsrf(c: Context): string {
  const existing = getCookie(c, SIGN_IN_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  setCookie(c, SIGN_IN_CSRF_COOKIE, token, cookieOptions(c));
  return token;
}

/** A notice for the next page the browser sees (after the redirect that follows a change). */
export function flash(c: Context, kind: Flash['kind'], text: string) {
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify({ kind, text })).toString('base64url'), {
    ...cookieOptions(c),
    maxAge: 60,
  });
}

function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return null;
  deleteCookie(c, FLASH_COOKIE, cookieOptions(c));
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    return (value.kind === 'ok' || value.kind === 'error') && typeof value.text === 'string'
      ? { kind: value.kind, text: value.text.slice(0, 500) }
      : null;
  } catch {
    return null;
  }
}

/** The token a change carries: the header (scripts) or the form field. */
export async function submittedCsrf(c: Context): Promise<unknown> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const body = await c.req.parseBody();
  return body[CSRF_FIELD];
}

/** A change from another site (a cross-origin form or fetch) is refused before it is read. */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (!origin) return c.req.header('sec-fetch-site') !== 'cross-site';
  return origin === new URL(c.req.url).origin;
}

/**
 * Every console page but sign-in: a live session, or a redirect to sign in. Changes (anything
 * but GET and HEAD) must come from this origin and repeat the session's CSRF token.
 */
export type AppFetch = (request: Request, env: unknown) => Response | Promise<Response>;

export const consoleSession = (appFetch: AppFetch) =>
  createMiddleware<ConsoleEnv>(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await findConsoleSession(c.var.em, token) : null;
    if (!token || !session) {
      if (token) clearSessionCookie(c);
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(new URL(c.req.url).pathname)}` : '';
      return c.redirect(`/console/sign-in${back}`, 303);
    }
    const csrf = csrfFor(token);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!sameOrigin(c) || !tokensMatch(csrf, await submittedCsrf(c)))
        return c.text('This form has expired. Go back, reload the page and try again.', 403);
    }
    const principal = { organizationId: session.organizationId, apiKeyId: session.apiKeyId };
    const origin = new URL(c.req.url).origin;
    const env = withPrincipal(c.env, principal);
    const api = createRosterClient({
      baseUrl: origin,
      fetch: async (request: Request) => appFetch(request, env),
    });
    const raw = async (path: string, init?: RequestInit) =>
      appFetch(new Request(`${origin}${path}`, init), env);
    c.set('console', { session, api, raw, csrf, flash: takeFlash(c) });
    await next();
  });

/** The environment of an in-process API call: the outer request's, plus the console's principal. */
export const withPrincipal = (env: unknown, principal: ConsolePrincipal) => ({
  ...(env as object),
  [CONSOLE_PRINCIPAL]: principal,
});
