/**
 * The event's iCalendar (RFC 5545) file: one VEVENT for the event and one per session, times in
 * the event's own time zone (TZID plus its VTIMEZONE), stable UIDs, and the attendee's page on the
 * event site. The one owner of `.ics`: the emails' attachment, the attendee page's download and the
 * public API's all come from here. Built with ical-generator; the VTIMEZONE blocks come from
 * timezones-ical-library (current IANA rules), and luxon turns instants into the zone's wall time.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';

export interface CalendarSession {
  id: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
}

export interface CalendarEvent {
  id: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  /** IANA zone the event is held in. */
  timezone: string;
  /** The attendee's page on the event site. */
  url: string;
  sessions: readonly CalendarSession[];
  /** When the event last changed (LAST-MODIFIED), so a calendar can tell a newer copy. */
  updatedAt?: Date;
}

/** What an email carries: the file's name, its bytes in base64, and its media type. */
export interface CalendarAttachment {
  name: string;
  content: string;
  contentType: string;
}

export const CALENDAR_FILE_NAME = 'event.ics';
/** RFC 6047: the METHOD of the file is repeated in the media type of an email's attachment. */
export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8; method=PUBLISH';

/** UIDs stay the same for an event or session across files, so a calendar updates instead of duplicating. */
export const eventUid = (eventId: string) => `${eventId}@roster`;
export const sessionUid = (sessionId: string) => `${sessionId}@roster`;

const KNOWN_ZONES: ReadonlySet<string> = new Set(tzlib_get_timezones() as string[]);

/**
 * The zone's VTIMEZONE and the TZID it declares (an alias such as `UTC` is declared as its
 * canonical zone, `Etc/UTC`); null for a zone the library does not know, which is then written in UTC.
 */
export function vtimezoneOf(timezone: string): { tzid: string; component: string } | null {
  if (!KNOWN_ZONES.has(timezone)) return null;
  const block = tzlib_get_ical_block(timezone);
  if (!Array.isArray(block) || !block[0] || !block[1]?.startsWith('TZID=')) return null;
  const tzid = block[1].slice('TZID='.length);
  if (!DateTime.now().setZone(tzid).isValid) return null;
  return { tzid, component: block[0] };
}

/** The event's `.ics` text; `stamp` is when this copy is made (DTSTAMP, in UTC). */
export function calendarFile(event: CalendarEvent, stamp: Date = new Date()): string {
  const zone = vtimezoneOf(event.timezone);
  const calendar = ical({
    prodId: { company: 'Roster', product: 'Roster', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    name: event.name,
    // No calendar-wide zone: DTSTAMP stays in UTC; each VEVENT names the event's zone.
    timezone: zone ? { name: null, generator: (tzid) => (tzid === zone.tzid ? zone.component : null) } : null,
    x: zone ? { 'X-WR-TIMEZONE': zone.tzid } : {},
  });
  const at = (date: Date) => DateTime.fromJSDate(date, { zone: 'utc' });
  const add = (uid: string, summary: string, start: Date, end: Date) =>
    calendar.createEvent({
      id: uid,
      summary,
      start: at(start),
      end: at(end),
      timezone: zone?.tzid ?? null,
      stamp: at(stamp),
      ...(event.updatedAt ? { lastModified: at(event.updatedAt) } : {}),
      url: event.url,
      description: event.url,
    });
  add(eventUid(event.id), event.name, event.startsAt, event.endsAt);
  for (const session of event.sessions) {
    add(sessionUid(session.id), `${event.name}: ${session.name}`, session.startsAt, session.endsAt);
  }
  return calendar.toString();
}

/** The event's `.ics` as an email attachment. */
export function calendarAttachment(event: CalendarEvent, stamp: Date = new Date()): CalendarAttachment {
  return {
    name: CALENDAR_FILE_NAME,
    content: Buffer.from(calendarFile(event, stamp), 'utf8').toString('base64'),
    contentType: CALENDAR_CONTENT_TYPE,
  };
}

/** The attendee's page on the event site, the URL every calendar entry links to. */
export const attendeePageUrl = (eventSiteUrl: string, eventId: string) =>
  new URL(`/events/${eventId}/me`, eventSiteUrl).toString();

/** An event as Roster stores it, with its sessions, as the calendar shows it: linking to the attendee's page. */
export function eventCalendar(
  event: {
    id: string;
    name: string;
    startsAt: Date;
    endsAt: Date;
    timezone: string;
    updatedAt?: Date;
    sessions: readonly CalendarSession[];
  },
  eventSiteUrl: string,
): CalendarEvent {
  return {
    id: event.id,
    name: event.name,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    url: attendeePageUrl(eventSiteUrl, event.id),
    sessions: event.sessions.map((s) => ({ id: s.id, name: s.name, startsAt: s.startsAt, endsAt: s.endsAt })),
    ...(event.updatedAt ? { updatedAt: event.updatedAt } : {}),
  };
}
