import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_CONTENT_TYPE,
  type CalendarEvent,
  calendarAttachment,
  calendarFile,
  eventCalendar,
  vtimezoneOf,
} from '../../domain/calendar';

const EVENT: CalendarEvent = {
  id: '0199a1b2-0000-7000-8000-00000000e001',
  name: 'Launch, Week; "2030" \\ Berlin',
  // Winter (CET, +01:00) to summer (CEST, +02:00): the file must get both offsets right.
  startsAt: new Date('2030-03-01T09:00:00Z'),
  endsAt: new Date('2030-07-03T17:00:00Z'),
  timezone: 'Europe/Berlin',
  url: 'https://events.example.test/events/0199a1b2-0000-7000-8000-00000000e001/me',
  sessions: [
    {
      id: '0199a1b2-0000-7000-8000-00000000a001',
      name: 'キーノート'.repeat(10),
      startsAt: new Date('2030-07-01T08:00:00Z'),
      endsAt: new Date('2030-07-01T09:30:00Z'),
    },
  ],
  updatedAt: new Date('2029-06-01T12:00:00Z'),
};
const STAMP = new Date('2029-01-02T03:04:05Z');

/** Parses with ical.js, registering the file's own VTIMEZONEs (as a calendar client does). */
function parse(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = root.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      tzid: e.startDate.zone?.tzid,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      url: v.getFirstPropertyValue('url'),
      stamp: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    };
  });
  return { root, events };
}

describe('calendar file', () => {
  const ics = calendarFile(EVENT, STAMP);

  it('parses with a real iCalendar parser: the event and each session, at the right instants', () => {
    const { root, events } = parse(ics);
    expect(root.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(events).toEqual([
      {
        uid: `${EVENT.id}@roster`,
        summary: EVENT.name,
        tzid: 'Europe/Berlin',
        start: '2030-03-01T09:00:00.000Z',
        end: '2030-07-03T17:00:00.000Z',
        url: EVENT.url,
        stamp: STAMP.toISOString(),
      },
      {
        uid: `${EVENT.sessions[0]?.id}@roster`,
        summary: `${EVENT.name}: ${'キーノート'.repeat(10)}`,
        tzid: 'Europe/Berlin',
        start: '2030-07-01T08:00:00.000Z',
        end: '2030-07-01T09:30:00.000Z',
        url: EVENT.url,
        stamp: STAMP.toISOString(),
      },
    ]);
  });

  it('writes times as the wall clock of the event’s zone, with its VTIMEZONE', () => {
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20300301T100000');
    expect(ics).toContain('DTEND;TZID=Europe/Berlin:20300703T190000');
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20300701T100000');
    expect(ics.match(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/g)).toHaveLength(1);
    // DTSTAMP is in UTC, as RFC 5545 requires.
    expect(ics).toContain('DTSTAMP:20290102T030405Z');
  });

  it('uses CRLF lines of at most 75 octets, folded inside no character', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
  });

  it('keeps the UIDs of an event and its sessions from one file to the next', () => {
    const again = parse(calendarFile({ ...EVENT, name: 'Renamed' }, new Date())).events.map((e) => e.uid);
    expect(again).toEqual(parse(ics).events.map((e) => e.uid));
  });

  it.each([
    ['America/New_York', '2030-07-01T12:00:00.000Z', 'DTSTART;TZID=America/New_York:20300701T080000'],
    ['Asia/Kolkata', '2030-07-01T12:00:00.000Z', 'DTSTART;TZID=Asia/Kolkata:20300701T173000'],
    ['Australia/Sydney', '2030-01-15T12:00:00.000Z', 'DTSTART;TZID=Australia/Sydney:20300115T230000'],
    // Mexico City has kept standard time all year since 2022: no DST offset may come back.
    ['America/Mexico_City', '2030-07-01T12:00:00.000Z', 'DTSTART;TZID=America/Mexico_City:20300701T060000'],
  ])('gets %s right', (timezone, instant, line) => {
    const start = new Date(instant);
    const file = calendarFile(
      { ...EVENT, timezone, startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), sessions: [] },
      STAMP,
    );
    expect(file).toContain(line);
    const [event] = parse(file).events;
    expect(event?.tzid).toBe(timezone);
    expect(event?.start).toBe(instant);
  });

  it('declares an alias as its canonical zone, so TZID and VTIMEZONE agree', () => {
    expect(vtimezoneOf('UTC')?.tzid).toBe('Etc/UTC');
    const file = calendarFile({ ...EVENT, timezone: 'UTC', sessions: [] }, STAMP);
    expect(file).toContain('DTSTART;TZID=Etc/UTC:20300301T090000');
    expect(file).toContain('TZID:Etc/UTC');
    expect(parse(file).events[0]?.start).toBe('2030-03-01T09:00:00.000Z');
  });

  it('falls back to UTC times for a zone the VTIMEZONE library does not know', () => {
    expect(vtimezoneOf('Mars/Olympus_Mons')).toBeNull();
    const file = calendarFile({ ...EVENT, timezone: 'Mars/Olympus_Mons', sessions: [] }, STAMP);
    expect(file).toContain('DTSTART:20300301T090000Z');
    expect(file).not.toContain('TZID');
    expect(parse(file).events[0]?.start).toBe('2030-03-01T09:00:00.000Z');
  });

  it('links every entry to the attendee’s page on the event site', () => {
    const built = eventCalendar(
      { ...EVENT, sessions: [...EVENT.sessions] },
      'https://site.example.test/base/',
    );
    expect(built.url).toBe(`https://site.example.test/events/${EVENT.id}/me`);
  });

  it('is an email attachment with the PUBLISH media type and the file in base64', () => {
    const attachment = calendarAttachment(EVENT, STAMP);
    expect(attachment.name).toBe('event.ics');
    expect(attachment.contentType).toBe(CALENDAR_CONTENT_TYPE);
    expect(CALENDAR_CONTENT_TYPE).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    expect(Buffer.from(attachment.content, 'base64').toString('utf8')).toBe(ics);
  });
});
