import { defineEntity, p } from '@mikro-orm/core';
import { DETAILED_STATUSES, STATUSES } from '../../domain/attendee-lifecycle';
import { LANGUAGE_CODES } from '../../domain/languages';
import { Event } from './event.entity';

/**
 * The read model of an attendee. Inserted (with its derived columns) and erased only through
 * db/writes/attendees.ts, by the single invite, the attendee workflow and the bulk import; every
 * later change (status, profile, flags, a bounce) is written by the attendee workflow's activities.
 */
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
    awaitingConfirmation: p.boolean().default(false),
    // The position to return to on unblock, and the emails asked for (the ledger keys' counter):
    // what a workflow that ended needs to carry on from this row.
    beforeBlockStatus: p.text().nullable(),
    beforeBlockDetailedStatus: p.text().nullable(),
    emailsRequested: p.integer().default(0),
    // Set by a hard bounce: no more email goes to this address.
    emailUndeliverable: p.boolean().default(false),
    registrationAnswers: p.json<Record<string, unknown>>().nullable(),
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
    {
      name: 'attendees_event_created_idx',
      properties: ['event', 'createdAt', 'id'],
      where: 'removed_at is null',
    },
    { name: 'attendees_event_name_idx', properties: ['event', 'nameKey', 'id'], where: 'removed_at is null' },
    {
      name: 'attendees_event_email_idx',
      properties: ['event', 'emailKey', 'id'],
      where: 'removed_at is null',
    },
    {
      name: 'attendees_event_status_idx',
      properties: ['event', 'status', 'id'],
      where: 'removed_at is null',
    },
    { name: 'attendees_event_live_idx', properties: ['event'], where: 'removed_at is null' },
    // Removed attendees by address: a bulk invite's page asks which of its addresses were removed
    // (to invite them again through their workflows); without it, each page scanned the table.
    {
      name: 'attendees_event_email_removed_idx',
      properties: ['event', 'emailKey'],
      where: 'removed_at is not null',
    },
    // Substring search (`q`); created by the first migration where pg_trgm is available.
    {
      name: 'attendees_search_trgm_idx',
      expression:
        'create index "attendees_search_trgm_idx" on "attendees" using gin ("search_text" gin_trgm_ops)',
    },
  ],
  checks: [
    { name: 'attendees_bio_length_check', expression: 'char_length(bio) <= 2500' },
    { name: 'attendees_roles_check', expression: "roles @> array['attendee']::text[]" },
  ],
  // Keep `attendee_counts` exact; the function and a truncate trigger come with migration
  // 20261125170000_attendee_counts (declared here so the schema diff keeps them).
  triggers: (
    [
      ['insert', 'referencing new table as new_rows'],
      ['update', 'referencing old table as old_rows new table as new_rows'],
      ['delete', 'referencing old table as old_rows'],
    ] as const
  ).map(([event, referencing]) => ({
    name: `attendee_counts_${event}`,
    timing: 'after' as const,
    events: [event],
    forEach: 'statement' as const,
    expression: `create trigger attendee_counts_${event} after ${event} on attendees ${referencing}
      for each statement execute function attendee_counts_apply()`,
  })),
});

/**
 * Live attendees per event and combination of the list filters, kept by triggers on `attendees`
 * (migration 20261125170000_attendee_counts), so a filtered list's `total` sums a few rows instead of counting.
 */
export const AttendeeCount = defineEntity({
  name: 'AttendeeCount',
  tableName: 'attendee_counts',
  properties: {
    event: () => p.manyToOne(Event).primary().deleteRule('cascade'),
    // Copies of the attendees' own columns (checked there), so no checks of their own.
    status: p.text().primary(),
    detailedStatus: p.text().primary(),
    language: p.text().primary(),
    roles: p.array().columnType('text[]').primary(),
    // Spreads a group over a few rows so concurrent writers rarely wait on one row lock.
    slot: p.smallint().primary(),
    n: p.bigint('number'),
  },
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

/** A logged-in attendee on the event site; only the sha256 of the session token is kept. */
export const AttendeeSession = defineEntity({
  name: 'AttendeeSession',
  tableName: 'attendee_sessions',
  properties: {
    id: p.uuid().primary(),
    attendee: () => p.manyToOne(Attendee).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Logins and visits of the event site; session joins count toward sessionsAttended. */
export const AttendeeVisit = defineEntity({
  name: 'AttendeeVisit',
  tableName: 'attendee_visits',
  properties: {
    id: p.uuid().primary(),
    attendee: () => p.manyToOne(Attendee).deleteRule('cascade'),
    at: p.datetime(),
    kind: p.enum(['login', 'page', 'session'] as const),
    sessionId: p.uuid().nullable(),
  },
  indexes: [{ name: 'attendee_visits_attendee_at_idx', properties: ['attendee', 'at'] }],
});
