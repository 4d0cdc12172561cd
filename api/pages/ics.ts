/** A minimal iCalendar (RFC 5545) file for an event and its sessions, times in UTC. */
export interface CalendarEvent {
  id: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  url: string;
  sessions: { id: string; name: string; startsAt: Date; endsAt: Date }[];
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const text = (s: string) => s.replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets continue on the next line after a space, never inside a character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const bytes = Buffer.byteLength(ch);
    if (size + bytes > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += bytes;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function icsFor(event: CalendarEvent, now = new Date()): string {
  const vevent = (uid: string, name: string, start: Date, end: Date) => [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${text(name)}`,
    `URL:${event.url}`,
    'END:VEVENT',
  ];
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Roster//Attendee pages//EN',
    'CALSCALE:GREGORIAN',
    ...vevent(`${event.id}@roster`, event.name, event.startsAt, event.endsAt),
    ...event.sessions.flatMap((s) =>
      vevent(`${s.id}@roster`, `${event.name}: ${s.name}`, s.startsAt, s.endsAt),
    ),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
