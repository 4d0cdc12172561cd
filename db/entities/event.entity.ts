import { defineEntity, p } from '@mikro-orm/core';
import { LANGUAGE_CODES } from '../../domain/languages';
import { Organization } from './organization.entity';

export const Event = defineEntity({
  name: 'Event',
  tableName: 'events',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    name: p.string().length(200),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    timezone: p.string().length(64),
    defaultLanguage: p.enum(LANGUAGE_CODES),
    loginMode: p.enum(['magic_link', 'sso'] as const),
    closed: p.boolean(),
    allowOutsideIdpGroups: p.boolean(),
    requiresRegistration: p.boolean().default(false),
    requiresEmailConfirmation: p.boolean().default(false),
    // Anyone may register on the event's public registration page (detailed status `registered`).
    publishedRegistration: p.boolean().default(false),
    // The attendee pages' accent colour, `#rrggbb`; null: Roster's own.
    accentColor: p.string().length(7).nullable(),
    sessions: () => p.oneToMany(EventSession).mappedBy('event').orderBy({ position: 'asc' }),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ name: 'events_org_created_idx', properties: ['organization', 'createdAt', 'id'] }],
  checks: [
    { name: 'events_time_order_check', expression: 'ends_at > starts_at' },
    { name: 'events_closed_needs_sso_check', expression: "not closed or login_mode = 'sso'" },
  ],
});

export const EventSession = defineEntity({
  name: 'EventSession',
  tableName: 'event_sessions',
  properties: {
    id: p.uuid().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    position: p.integer(),
    name: p.string().length(200),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
  },
  uniques: [{ name: 'event_sessions_position_unique', properties: ['event', 'position'] }],
  checks: [{ name: 'event_sessions_time_order_check', expression: 'ends_at > starts_at' }],
});

/** An event's logo on its attendee pages; kept in the database so every API instance can serve it. */
export const EventLogo = defineEntity({
  name: 'EventLogo',
  tableName: 'event_logos',
  properties: {
    event: () => p.oneToOne(Event).primary().deleteRule('cascade'),
    contentType: p.string().length(50),
    bytes: p.blob().lazy(),
    updatedAt: p.datetime(),
  },
});
