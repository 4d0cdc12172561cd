import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';

/** The attendee pages' session (the same sessions as the public API's bearer tokens), one per event. */
export const SESSION_COOKIE = 'roster_session';
/** Double-submit CSRF token: a random value in a cookie that every POST form repeats. */
export const CSRF_COOKIE = 'roster_csrf';
export const CSRF_FIELD = 'csrf';

/** Nothing but this service's own stylesheet and images; no scripts except the SSO landing's own. */
export const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
export const SSO_LANDING_CSP = `${CSP}; script-src 'self'`;

/** Headers of every page: a strict CSP, no referrer (page URLs can carry link tokens), never cached. */
export const pageHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.res.headers.has('content-security-policy')) c.res.headers.set('content-security-policy', CSP);
  c.res.headers.set('referrer-policy', 'no-referrer');
  c.res.headers.set('x-content-type-options', 'nosniff');
  c.res.headers.set('x-frame-options', 'DENY');
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
});

/** Secure whenever the browser reached us over https (directly, or as the public URL says). */
export function isSecure(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === 'https:' || (c.var.deps.publicApiUrl ?? '').startsWith('https:');
}

const cookieOptions = (c: Context<AppEnv>, path: string) =>
  ({ path, httpOnly: true, sameSite: 'Lax', secure: isSecure(c) }) as const;

/** The browser's CSRF token, set on the first page it sees. */
export function csrfToken(c: Context<AppEnv>): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  setCookie(c, CSRF_COOKIE, token, cookieOptions(c, '/events/'));
  return token;
}

/** Whether a form's token is the one in the browser's cookie (compared in constant time). */
export function csrfMatches(cookie: string | undefined, field: unknown): boolean {
  if (!cookie || typeof field !== 'string' || field.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}

/** Only this event's pages see its session. */
export function setSessionCookie(c: Context<AppEnv>, eventId: string, token: string, expiresAt: string) {
  setCookie(c, SESSION_COOKIE, token, {
    ...cookieOptions(c, `/events/${eventId}`),
    expires: new Date(expiresAt),
  });
}

export const sessionCookie = (c: Context<AppEnv>) => getCookie(c, SESSION_COOKIE);

export function clearSessionCookie(c: Context<AppEnv>, eventId: string) {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c, `/events/${eventId}`));
}
