/**
 * The event's `.ics` as the emails attach it (invitations, registration confirmations, reminders):
 * built once per event and send, never per recipient (the file is the same for every attendee).
 */
import type { EntityManager } from '@mikro-orm/core';
import { Event, EventSession } from '../db/entities';
import { calendarAttachment, eventCalendar } from '../domain/calendar';
import type { EmailAttachment } from './email-transport';

/** The attachment for an event, or null when the event is gone. */
export async function eventCalendarAttachment(
  em: EntityManager,
  eventSiteUrl: string,
  eventId: string,
  now: Date = new Date(),
): Promise<EmailAttachment | null> {
  const event = await em.findOne(Event, eventId);
  if (!event) return null;
  const sessions = await em.find(EventSession, { event: eventId }, { orderBy: { position: 'asc' } });
  return calendarAttachment(
    eventCalendar(
      {
        id: event.id,
        name: event.name,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        timezone: event.timezone,
        updatedAt: event.updatedAt,
        sessions,
      },
      eventSiteUrl,
    ),
    now,
  );
}
