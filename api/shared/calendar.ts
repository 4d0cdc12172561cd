import type { Context } from 'hono';
import type { EventRow } from '../../db/queries/events';
import { calendarFile, eventCalendar } from '../../domain/calendar';
import type { AppEnv } from '../context';

/**
 * The event's `.ics` as a download (the attendee page's and the public API's), from the one owner
 * of calendar files (domain/calendar.ts). Its entries link to the attendee's page on the event
 * site (EVENT_SITE_URL, else this service's own address).
 */
export function calendarResponse(c: Context<AppEnv>, event: EventRow): Response {
  const site = c.var.deps.eventSiteUrl ?? new URL(c.req.url).origin;
  const body = calendarFile(
    eventCalendar(
      {
        id: event.id,
        name: event.name,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        timezone: event.timezone,
        updatedAt: event.updatedAt,
        sessions: event.sessions.getItems(),
      },
      site,
    ),
  );
  return c.body(body, 200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': 'attachment; filename="event.ics"',
    'cache-control': 'private, no-store',
  });
}
