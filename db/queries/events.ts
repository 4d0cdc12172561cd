import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { EventRules } from '../../domain/attendee-lifecycle';
import type { LanguageCode } from '../../domain/languages';
import { Event, EventSession, Organization } from '../entities';

export type EventRow = InstanceType<typeof Event.class>;

export interface EventChanges {
  name?: string;
  startsAt?: Date;
  endsAt?: Date;
  timezone?: string;
  defaultLanguage?: LanguageCode;
  loginMode?: 'magic_link' | 'sso';
  closed?: boolean;
  requiresRegistration?: boolean;
  requiresEmailConfirmation?: boolean;
  publishedRegistration?: boolean;
  accentColor?: string | null;
  sessions?: { name: string; startsAt: Date; endsAt: Date }[];
}

/** What a lookup loads with the event: its sessions (the default), or its rules only (one query). */
export interface EventLoad {
  sessions?: boolean;
}

const populate = (load: EventLoad) => (load.sessions === false ? [] : (['sessions'] as const));

/** The event if it belongs to the organization; null otherwise (the API answers 404 either way). */
export function findEvent(em: EntityManager, organizationId: string, eventId: string, load: EventLoad = {}) {
  return em.findOne(Event, { id: eventId, organization: organizationId }, { populate: populate(load) });
}

/** Without an organization scope: only for attendee-facing routes, which hold a token or session. */
export function findEventById(em: EntityManager, eventId: string, load: EventLoad = {}) {
  return em.findOne(Event, { id: eventId }, { populate: populate(load) });
}

export async function createEvent(
  em: EntityManager,
  organizationId: string,
  input: Required<Omit<EventChanges, 'sessions'>> & { sessions: NonNullable<EventChanges['sessions']> },
) {
  const event = em.create(Event, {
    id: randomUUID(),
    organization: em.getReference(Organization, organizationId),
    name: input.name,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timezone: input.timezone,
    defaultLanguage: input.defaultLanguage,
    loginMode: input.loginMode,
    closed: input.closed,
    requiresRegistration: input.requiresRegistration,
    requiresEmailConfirmation: input.requiresEmailConfirmation,
    publishedRegistration: input.publishedRegistration,
    accentColor: input.accentColor,
    allowOutsideIdpGroups: true,
  });
  input.sessions.forEach((s, position) => {
    em.create(EventSession, { id: randomUUID(), event, position, ...s });
  });
  await em.flush();
  return event;
}

export async function updateEvent(em: EntityManager, event: EventRow, changes: EventChanges) {
  const { sessions, ...fields } = changes;
  em.assign(event, fields);
  if (sessions) {
    // Delete the old rows first (removeAll alone would orphan them: an update to a null event).
    em.remove(event.sessions.getItems());
    await em.flush();
    event.sessions.removeAll();
    sessions.forEach((s, position) => {
      event.sessions.add(em.create(EventSession, { id: randomUUID(), event, position, ...s }));
    });
  }
  await em.flush();
  return event;
}

/** Keyset page, newest first. */
export async function listEvents(
  em: EntityManager,
  organizationId: string,
  limit: number,
  after: { createdAt: Date; id: string } | null,
) {
  const where = {
    organization: organizationId,
    ...(after
      ? {
          $or: [
            { createdAt: { $lt: after.createdAt } },
            { createdAt: after.createdAt, id: { $lt: after.id } },
          ],
        }
      : {}),
  };
  const [items, total] = await Promise.all([
    em.find(Event, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
      populate: ['sessions'],
    }),
    em.count(Event, { organization: organizationId }),
  ]);
  return { items: items.slice(0, limit), hasMore: items.length > limit, total };
}

/** The settings the attendee state machine reads, passed to the workflow with every command. */
export function eventRules(event: EventRow): EventRules {
  return {
    loginMode: event.loginMode,
    requiresRegistration: event.requiresRegistration,
    requiresEmailConfirmation: event.requiresEmailConfirmation,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
  };
}
