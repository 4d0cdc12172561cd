/** @jsxImportSource hono/jsx */
/** What every attendee page shares: the reader's language, refusal pages, forms, the session cookie, limits. */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { type AttendeeRow, findAttendee } from '../../db/queries/attendees';
import { type EventRow, findEventById } from '../../db/queries/events';
import { findSession, peekToken, type TokenKind } from '../../db/queries/tokens';
import { type LanguageCode, parseLanguage } from '../../domain/languages';
import { MESSAGES } from '../../emails/messages';
import type { AppEnv } from '../context';
import { ProblemError } from '../problem';
import { rateLimit } from '../rate-limit';
import type { PageContext } from './layout';
import { PAGE_MESSAGES } from './messages';
import { CSRF_COOKIE, CSRF_FIELD, csrfMatches, csrfToken, sessionCookie } from './security';
import { fill, LoginLinkForm, MessagePage } from './views';

export type C = Context<AppEnv>;
export const EVENT = '/events/:eventId{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}';

export const html = (c: C, page: JSX.Element, status: 200 | 400 | 403 | 404 | 409 | 410 | 429 | 500 = 200) =>
  c.html(`<!doctype html>${String(page)}`, status);

export async function loadEvent(c: C) {
  return findEventById(c.var.em, c.req.param('eventId') as string);
}

export async function hasLogo(c: C, eventId: string) {
  const rows = await c.var.em
    .getConnection()
    .execute<{ one: number }[]>('select 1 as one from event_logos where event_id = ?', [eventId]);
  return rows.length > 0;
}

/** The browser's first preferred language that Roster speaks (`de-AT` counts as `de`). */
export function browserLanguage(c: C): LanguageCode | undefined {
  for (const part of (c.req.header('accept-language') ?? '').split(',').slice(0, 10)) {
    const tag = part.split(';')[0]?.trim() ?? '';
    const found = parseLanguage(tag) ?? parseLanguage(tag.split('-')[0] ?? '');
    if (found) return found;
  }
  return undefined;
}

/** The reader's language: the attendee's, else `?lang=`, else the browser's, else the event's default. */
export async function pageContext(c: C, event: EventRow | null, lang?: LanguageCode): Promise<PageContext> {
  const chosen =
    lang ?? parseLanguage(c.req.query('lang') ?? '') ?? browserLanguage(c) ?? event?.defaultLanguage ?? 'en';
  return {
    lang: chosen,
    m: PAGE_MESSAGES[chosen],
    email: MESSAGES[chosen],
    csrf: csrfToken(c),
    event: event
      ? {
          id: event.id,
          name: event.name,
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          timezone: event.timezone,
          accentColor: event.accentColor ?? null,
          hasLogo: await hasLogo(c, event.id),
          sessions: event.sessions.isInitialized()
            ? event.sessions
                .getItems()
                .map((s) => ({ id: s.id, name: s.name, startsAt: s.startsAt, endsAt: s.endsAt }))
            : [],
        }
      : null,
  };
}

export const notFoundPage = (c: C, ctx: PageContext) =>
  html(c, <MessagePage ctx={ctx} title={ctx.m.notFoundTitle} body={ctx.m.notFoundBody} />, 404);

/** Links that cannot be used any more lead to a new one. */
export const expiredPage = (c: C, ctx: PageContext) =>
  html(
    c,
    <MessagePage ctx={ctx} title={ctx.m.expiredTitle} body={ctx.m.expiredBody}>
      <LoginLinkForm ctx={ctx} />
    </MessagePage>,
    410,
  );

export const blockedPage = (c: C, ctx: PageContext) =>
  html(c, <MessagePage ctx={ctx} title={ctx.m.blockedTitle} body={fill(ctx, ctx.m.blockedBody)} />, 403);
export const unregisteredPage = (c: C, ctx: PageContext) =>
  html(
    c,
    <MessagePage ctx={ctx} title={ctx.m.unregisteredTitle} body={fill(ctx, ctx.m.unregisteredBody)} />,
    403,
  );

/** The page for a status that closes the door, if the attendee's is one. */
export function statusRefusal(c: C, ctx: PageContext, row: AttendeeRow) {
  if (row.status === 'blocked') return blockedPage(c, ctx);
  if (row.status === 'unregistered') return unregisteredPage(c, ctx);
  return null;
}

/** A refusal of the shared command functions, as a page in the reader's language. */
export function refusal(c: C, ctx: PageContext, error: unknown, row?: AttendeeRow | null) {
  if (!(error instanceof ProblemError)) throw error;
  if (error.code === 'invalid_token' || error.code === 'invalid_session') return expiredPage(c, ctx);
  if (
    error.code === 'outside_idp_groups' ||
    error.code === 'not_invited' ||
    error.code === 'idp_user_inactive'
  )
    return html(
      c,
      <MessagePage ctx={ctx} title={ctx.m.closedTitle} body={fill(ctx, ctx.m.closedBody)} />,
      403,
    );
  if (error.code === 'attendee_blocked') return blockedPage(c, ctx);
  if (error.code === 'attendee_unregistered') return unregisteredPage(c, ctx);
  const byStatus = row ? statusRefusal(c, ctx, row) : null;
  if (byStatus) return byStatus;
  if (error.code === 'not_found') return notFoundPage(c, ctx);
  if (error.code === 'too_many_requests' || error.status === 429)
    return html(c, <MessagePage ctx={ctx} title={ctx.m.tooManyTitle} body={ctx.m.tooManyBody} />, 429);
  return html(c, <MessagePage ctx={ctx} title={ctx.m.errorTitle} body={ctx.m.errorBody} />, 409);
}

/** Whose a link token is, for a GET page: the event must be the one in the path. */
export async function tokenOwner(c: C, event: EventRow, token: string, kinds: TokenKind[]) {
  const peeked = token ? await peekToken(c.var.em, token, kinds) : null;
  if (!peeked || peeked.event_id !== event.id) return null;
  const row = await findAttendee(c.var.em, event.organization.id, event.id, peeked.attendee_id);
  return row ? { row, usable: peeked.usable } : null;
}

/** The form's fields once its CSRF token matched the cookie's; null when it did not. */
export async function checkedForm(c: C) {
  const form = await c.req.parseBody();
  return csrfMatches(getCookie(c, CSRF_COOKIE), form[CSRF_FIELD]) ? form : null;
}

export const field = (form: Record<string, unknown>, name: string) => {
  const v = form[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** The attendee of this event's session cookie, or null. */
export async function cookieAttendee(c: C, event: EventRow) {
  const token = sessionCookie(c);
  const found = token ? await findSession(c.var.em, token) : null;
  if (!found || found.event_id !== event.id) return null;
  return findAttendee(c.var.em, found.organization_id, found.event_id, found.attendee_id);
}

export const perMinute = (c: C) => ({ limit: c.var.deps.publicRateLimitPerMinute ?? 30, windowSeconds: 60 });
/** The public API's limits, under the same names: a client's page and API attempts share one budget. */
export const limited = (name: string) => (c: C, next: () => Promise<void>) =>
  rateLimit({ name, ...perMinute(c) })(c, next);

export const formExpired = (c: C, ctx: PageContext) =>
  html(c, <MessagePage ctx={ctx} title={ctx.m.formExpiredTitle} body={ctx.m.formExpiredBody} />, 403);

/**
 * A POST that spends a link token: the event, the CSRF-checked form, the token's owner and the
 * reader's context; or the page that refuses it (unknown event, expired form, used link).
 */
export async function tokenPost(c: C, kinds: TokenKind[]) {
  const event = await loadEvent(c);
  const form = await checkedForm(c);
  const token = form ? field(form, 'token') : '';
  const owner = event && token ? await tokenOwner(c, event, token, kinds) : null;
  const ctx = await pageContext(c, event, owner?.row.language);
  if (!event) return { page: notFoundPage(c, ctx) };
  if (!form) return { page: formExpired(c, ctx) };
  if (!owner) return { page: expiredPage(c, ctx) };
  return { event, form, token, owner, ctx };
}

/**
 * A GET of a page behind a link token: looks, never spends. The event, the token, its owner and
 * the reader's context; or the page that refuses it (unknown event, used or expired link, a
 * status that closes the door).
 */
export async function tokenGet(c: C, kinds: TokenKind[], loaded?: EventRow) {
  const event = loaded ?? (await loadEvent(c));
  if (!event) return { page: notFoundPage(c, await pageContext(c, null)) };
  const token = c.req.query('token') ?? '';
  const owner = await tokenOwner(c, event, token, kinds);
  const ctx = await pageContext(c, event, owner?.row.language);
  if (!owner) return { page: expiredPage(c, ctx) };
  const refused = statusRefusal(c, ctx, owner.row);
  if (refused) return { page: refused };
  if (!owner.usable) return { page: expiredPage(c, ctx) };
  return { event, token, owner, ctx };
}
