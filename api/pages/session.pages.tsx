/** @jsxImportSource hono/jsx */
/** Being in: the attendee's own page, calendar, unregistering, logging out, the SSO landing. */
import { Hono } from 'hono';
import { endSession, findSession } from '../../db/queries/tokens';
import type { AppEnv } from '../context';
import { ProblemError } from '../problem';
import { unregisterSelf } from '../public/public.handlers';
import { calendarResponse } from '../shared/calendar';
import {
  checkedForm,
  cookieAttendee,
  EVENT,
  expiredPage,
  field,
  formExpired,
  html,
  loadEvent,
  notFoundPage,
  pageContext,
  refusal,
} from './context';
import { clearSessionCookie, SSO_LANDING_CSP, sessionCookie, setSessionCookie } from './security';
import { fill, MessagePage, MyPage, SsoLandingPage, UnregisterPage } from './views';

export const sessionPages = new Hono<AppEnv>();

sessionPages.get(`${EVENT}/me`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c, await pageContext(c, null));
  const row = await cookieAttendee(c, event);
  if (!row) return c.redirect(`/events/${event.id}/login`, 303);
  const ctx = await pageContext(c, event, row.language);
  return html(
    c,
    <MyPage
      ctx={ctx}
      firstName={row.first_name}
      status={row.status}
      awaitingConfirmation={row.awaiting_confirmation}
    />,
  );
});

sessionPages.get(`${EVENT}/calendar.ics`, async (c) => {
  const event = await loadEvent(c);
  const row = event ? await cookieAttendee(c, event) : null;
  if (!event || !row) return c.redirect(`/events/${c.req.param('eventId')}/login`, 303);
  return calendarResponse(c, event);
});

sessionPages.get(`${EVENT}/unregister`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c, await pageContext(c, null));
  const row = await cookieAttendee(c, event);
  if (!row) return c.redirect(`/events/${event.id}/login`, 303);
  return html(c, <UnregisterPage ctx={await pageContext(c, event, row.language)} />);
});

sessionPages.post(`${EVENT}/unregister`, async (c) => {
  const event = await loadEvent(c);
  const form = await checkedForm(c);
  const row = event ? await cookieAttendee(c, event) : null;
  const ctx = await pageContext(c, event, row?.language);
  if (!event) return notFoundPage(c, ctx);
  if (!form) return formExpired(c, ctx);
  if (!row) return c.redirect(`/events/${event.id}/login`, 303);
  try {
    await unregisterSelf(c, row);
  } catch (error) {
    return refusal(c, ctx, error, row);
  }
  // findSession refuses unregistered attendees: the cookie is of no more use.
  clearSessionCookie(c, event.id);
  return c.redirect(`/events/${event.id}/unregistered?lang=${ctx.lang}`, 303);
});

sessionPages.get(`${EVENT}/unregistered`, async (c) => {
  const event = await loadEvent(c);
  const ctx = await pageContext(c, event);
  if (!event) return notFoundPage(c, ctx);
  return html(
    c,
    <MessagePage ctx={ctx} title={ctx.m.unregisteredTitle} body={fill(ctx, ctx.m.unregisteredBody)} />,
  );
});

sessionPages.post(`${EVENT}/logout`, async (c) => {
  const event = await loadEvent(c);
  const form = await checkedForm(c);
  const ctx = await pageContext(c, event);
  if (!event) return notFoundPage(c, ctx);
  if (!form) return formExpired(c, ctx);
  const token = sessionCookie(c);
  if (token) await endSession(c.var.em, token);
  clearSessionCookie(c, event.id);
  return c.redirect(`/events/${event.id}/login?lang=${ctx.lang}`, 303);
});

/** Where GET /v1/sso/{eventId}/callback sends the browser, the session in the fragment. */
sessionPages.get(`${EVENT}/sso`, async (c) => {
  const event = await loadEvent(c);
  const ctx = await pageContext(c, event);
  if (!event) return notFoundPage(c, ctx);
  c.header('content-security-policy', SSO_LANDING_CSP);
  return html(c, <SsoLandingPage ctx={ctx} />);
});

sessionPages.post(`${EVENT}/sso`, async (c) => {
  const event = await loadEvent(c);
  const form = await checkedForm(c);
  const ctx = await pageContext(c, event);
  if (!event) return notFoundPage(c, ctx);
  if (!form) return formExpired(c, ctx);
  const error = field(form, 'error');
  if (error) return refusal(c, ctx, new ProblemError(403, error, error));
  const token = field(form, 'session');
  const found = token ? await findSession(c.var.em, token) : null;
  if (!found || found.event_id !== event.id) return expiredPage(c, ctx);
  const expiresAt = field(form, 'expiresAt');
  const expires = Number.isNaN(Date.parse(expiresAt))
    ? new Date(Date.now() + 3_600_000).toISOString()
    : expiresAt;
  setSessionCookie(c, event.id, token, expires);
  return c.redirect(`/events/${event.id}/me`, 303);
});
