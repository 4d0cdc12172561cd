import { defineEntity, p } from '@mikro-orm/core';
import { DETAILED_STATUSES, STATUSES } from '../../domain/attendee-lifecycle';
import { LANGUAGE_CODES } from '../../domain/languages';
import { Event } from './event.entity';

/** The read model of an attendee, written only by the attendee workflow's activities. */
export const Attendee = defineEntity({
  name: 'Attendee',
  tableName: 'attendees',
  properties: {
    id: p.uuid().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    email: p.string().length(254),
    emailKey: p.string().length(254),
    firstName: p.string().length(100),
    lastName: p.string().length(100),
    language: p.enum(LANGUAGE_CODES),
    roles: p.array().columnType('text[]'),
    status: p.enum(STATUSES),
    detailedStatus: p.enum(DETAILED_STATUSES),
    title: p.string().length(200).nullable(),
    company: p.string().length(200).nullable(),
    bio: p.text().nullable(),
    imageUrl: p.string().length(2048).nullable(),
    chatBlocked: p.boolean().default(false),
    chatTermsAgreed: p.boolean().default(false),
    // Accent-free lower-case names and email, for `q` (see domain/email-address.ts searchText).
    searchText: p.text(),
    // Lower-case "first last", for sort=name.
    nameKey: p.text(),
    workflowId: p.string().length(300),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    removedAt: p.datetime().nullable(),
  },
  uniques: [
    // One live attendee per address and event; removed ones may be invited again.
    {
      name: 'attendees_event_email_live_unique',
      properties: ['event', 'emailKey'],
      where: 'removed_at is null',
    },
  ],
  indexes: [
    { name: 'attendees_event_created_idx', properties: ['event', 'createdAt', 'id'] },
    { name: 'attendees_event_name_idx', properties: ['event', 'nameKey', 'id'] },
    { name: 'attendees_event_email_idx', properties: ['event', 'emailKey', 'id'] },
    { name: 'attendees_event_status_idx', properties: ['event', 'status', 'id'] },
  ],
  checks: [
    { name: 'attendees_bio_length_check', expression: 'char_length(bio) <= 2500' },
    { name: 'attendees_roles_check', expression: "roles @> array['attendee']::text[]" },
  ],
});

/** Every status change of an attendee, with who made it. */
export const AttendeeHistory = defineEntity({
  name: 'AttendeeHistory',
  tableName: 'attendee_history',
  properties: {
    id: p.uuid().primary(),
    attendee: () => p.manyToOne(Attendee).deleteRule('cascade'),
    at: p.datetime(),
    status: p.enum(STATUSES),
    detailedStatus: p.enum(DETAILED_STATUSES),
    actor: p.string().length(200),
  },
  indexes: [{ name: 'attendee_history_attendee_at_idx', properties: ['attendee', 'at'] }],
});
