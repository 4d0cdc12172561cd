/**
 * The one writer of new attendee rows and of their derived columns. The single invite (API),
 * the attendee workflow's adoption of an invite and the bulk import all insert through
 * `insertAttendees`; erasure (the workflow's and the API's) deletes through `eraseAttendees`;
 * status changes, the attendee workflow's own, through `writeTransition`. Profile edits stay with
 * the attendee workflow's activities.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { DetailedStatus, Position, Role, Status } from '../../domain/attendee-lifecycle';
import { searchText } from '../../domain/email-address';
import type { LanguageCode } from '../../domain/languages';
import { type AttendeeRow, personAttendeeIds } from '../queries/attendees';
import { sql, sqlArray } from '../sql';
import {
  ATTENDEE_CREATED_TYPES,
  emitAttendeesCreated,
  emitAttendeesErased,
  inTransaction,
  subscribedTypes,
  type WebhookWakes,
} from './webhook-events';

export interface NewAttendee {
  id: string;
  eventId: string;
  email: string;
  emailKey: string;
  firstName: string;
  lastName: string;
  language: LanguageCode;
  roles: Role[] | string[];
  title: string | null;
  company: string | null;
  bio: string | null;
  status: Status;
  detailedStatus: DetailedStatus;
  /** A published registration waiting for its confirm link. */
  awaitingConfirmation?: boolean;
  workflowId: string;
}

/** The inserted row as the API shows it, without the event's columns. */
export type InsertedAttendee = Omit<AttendeeRow, 'login_mode' | 'requires_registration'>;

/** The columns computed from the names and address: `q` search and sort=name. */
export function derivedColumns(person: { firstName: string; lastName: string; email: string }) {
  return {
    searchText: searchText(person.firstName, person.lastName, person.email),
    nameKey: `${person.firstName} ${person.lastName}`.toLowerCase(),
  };
}

// The attendees and their first history rows in one statement. ON CONFLICT DO NOTHING covers a
// retry (same id) and the one live attendee per address (attendees_event_email_live_unique):
// a row not inserted is not returned, and the caller decides what that means.
const INSERT = `with inserted as (
    insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
      detailed_status, awaiting_confirmation, title, company, bio, image_url, search_text, name_key, workflow_id,
      created_at, updated_at, removed_at)
    select r.id, r.event_id, r.email, r.email_key, r.first_name, r.last_name, r.language, r.roles, r.status,
      r.detailed_status, r.awaiting_confirmation, r.title, r.company, r.bio, null, r.search_text, r.name_key,
      r.workflow_id, clock_timestamp(), clock_timestamp(), null
      from jsonb_to_recordset(?::jsonb) as r(id uuid, event_id uuid, email text, email_key text, first_name text,
        last_name text, language text, roles text[], status text, detailed_status text, awaiting_confirmation boolean,
        title text, company text, bio text, search_text text, name_key text, workflow_id text)
    on conflict do nothing
    returning *),
  history as (
    insert into attendee_history (id, attendee_id, at, status, detailed_status, actor)
    select gen_random_uuid(), id, created_at, status, detailed_status, ? from inserted)
  select *, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
    from inserted`;

type Watched = Awaited<ReturnType<typeof subscribedTypes>>;

/**
 * Which webhook endpoints listen for new attendees of these events (one indexed look-up each),
 * in the order given; a caller may start it before it has the rows, so it overlaps other waits.
 */
export const watchedEvents = (em: EntityManager, eventIds: readonly string[]): Promise<Watched[]> =>
  Promise.all(eventIds.map((eventId) => subscribedTypes(em, { eventId }, ATTENDEE_CREATED_TYPES)));

/**
 * Inserts invited (or self-registered) attendees with their first history rows, by `by`, in one
 * statement. Answers the rows inserted; an id already stored or an address with a live attendee
 * in the event is skipped. When a webhook endpoint of the organization listens, their
 * `attendee.invited` / `attendee.registered` events are written in the same transaction (and the
 * endpoints to wake added to `wakes`); otherwise one indexed lookup is all that is added.
 */
export async function insertAttendees(
  em: EntityManager,
  attendees: readonly NewAttendee[],
  by: string,
  wakes?: WebhookWakes,
  /** `watchedEvents` of these attendees' events, when the caller started the look-up earlier. */
  watching?: Promise<Watched[]>,
): Promise<InsertedAttendee[]> {
  if (attendees.length === 0) return [];
  const rows = attendees.map((a) => {
    const derived = derivedColumns(a);
    return {
      id: a.id,
      event_id: a.eventId,
      email: a.email,
      email_key: a.emailKey,
      first_name: a.firstName,
      last_name: a.lastName,
      language: a.language,
      roles: a.roles,
      status: a.status,
      detailed_status: a.detailedStatus,
      awaiting_confirmation: a.awaitingConfirmation ?? false,
      title: a.title,
      company: a.company,
      bio: a.bio,
      search_text: derived.searchText,
      name_key: derived.nameKey,
      workflow_id: a.workflowId,
    };
  });
  const params = [JSON.stringify(rows), by];
  const eventIds = [...new Set(attendees.map((a) => a.eventId))];
  const watched = await (watching ?? watchedEvents(em, eventIds));
  if (watched.every((w) => !w)) return sql(em)<InsertedAttendee[]>(INSERT, params);
  return inTransaction(em, async (tx) => {
    const inserted = await sql(tx)<InsertedAttendee[]>(INSERT, params);
    for (const eventId of eventIds) {
      await emitAttendeesCreated(
        tx,
        eventId,
        inserted.filter((a) => a.event_id === eventId),
        wakes,
      );
    }
    return inserted;
  });
}

/** A change of an attendee's position, or its removal, as its workflow decided it. */
export interface Transition {
  attendeeId: string;
  /** Deterministic (from the workflow), so a retry does not write the history row twice. */
  historyId: string;
  /** Null: the attendee was removed from the event. */
  position: Position | null;
  statusChanged: boolean;
  flags: { awaitingConfirmation: boolean; chatTermsAgreed: boolean; chatBlocked: boolean };
  /** The position to return to on unblock (absent: left as it is). */
  beforeBlock?: Position | null;
  by: string;
  at: string;
}

/** What a transition found and wrote: the attendee's event and position before it. */
export interface WrittenTransition {
  event_id: string;
  status: Status;
  detailed_status: DetailedStatus;
  /** Removed by this transition (not before). */
  removed_now: boolean;
  history_written: boolean;
}

// The row locked and read as it was, then changed; on removal its profile images go with it;
// the history row (status changes only) once per id. One round trip.
const TRANSITION = `with old as (
    select id, event_id, status, detailed_status, removed_at from attendees where id = ? for update),
  changed as (
    update attendees a set
      status = coalesce(?, a.status), detailed_status = coalesce(?, a.detailed_status),
      removed_at = case when ? then coalesce(a.removed_at, ?::timestamptz) else a.removed_at end,
      image_url = case when ? then null else a.image_url end,
      awaiting_confirmation = ?, chat_terms_agreed = ?, chat_blocked = ?,
      before_block_status = case when ? then ? else a.before_block_status end,
      before_block_detailed_status = case when ? then ? else a.before_block_detailed_status end,
      updated_at = now()
      from old where a.id = old.id),
  images as (delete from images where attendee_id = (select id from old) and ?),
  history as (
    insert into attendee_history (id, attendee_id, at, status, detailed_status, actor)
    select ?, id, ?::timestamptz, ?, ?, ? from old where ?
    on conflict (id) do nothing
    returning id)
  select event_id, status, detailed_status, removed_at is null and ? as removed_now,
         exists (select 1 from history) as history_written
    from old`;

/**
 * Writes a transition of an attendee (its workflow's `recordTransition`, which owns the row's
 * status): the position or the removal, the flags, the position before a block, and the history
 * row when the status changed. Throws when the attendee is not stored.
 */
export async function writeTransition(em: EntityManager, t: Transition): Promise<WrittenTransition> {
  const removal = t.position === null;
  const setsBeforeBlock = t.beforeBlock !== undefined;
  const [row] = await sql(em)<WrittenTransition[]>(TRANSITION, [
    t.attendeeId,
    t.position?.status ?? null,
    t.position?.detailedStatus ?? null,
    removal,
    t.at,
    removal,
    t.flags.awaitingConfirmation,
    t.flags.chatTermsAgreed,
    t.flags.chatBlocked,
    setsBeforeBlock,
    t.beforeBlock?.status ?? null,
    setsBeforeBlock,
    t.beforeBlock?.detailedStatus ?? null,
    removal,
    t.historyId,
    t.at,
    t.position?.status ?? null,
    t.position?.detailedStatus ?? null,
    t.by,
    t.statusChanged && !removal,
    removal,
  ]);
  if (!row) throw new Error(`attendee ${t.attendeeId} is not stored`);
  return row;
}

/** Whether an attendee row with this id is stored. */
export async function attendeeExists(em: EntityManager, attendeeId: string): Promise<boolean> {
  const found = await sql(em)<object[]>('select 1 from attendees where id = ?', [attendeeId]);
  return found.length > 0;
}

/**
 * Deletes attendees with everything that hangs off them (history, tokens, emails, visits: by
 * cascade): given ids (the attendee workflow's erasure), or every attendee of an address in an
 * organization's events (removed attendees of earlier invitations are no workflow's any more).
 */
export async function eraseAttendees(
  em: EntityManager,
  which: { ids: readonly string[] } | { organizationId: string; emailKey: string },
  wakes?: WebhookWakes,
): Promise<number> {
  if ('ids' in which && which.ids.length === 0) return 0;
  // With the deletion: `attendee.erased` (ids only) and the person's earlier events redacted.
  let where: { sql: string; params: unknown[] };
  if ('ids' in which) where = { sql: 'id = any(?::uuid[])', params: [sqlArray(which.ids)] };
  else {
    const person = personAttendeeIds(which.organizationId, which.emailKey);
    where = { sql: `id in (${person.sql})`, params: person.params };
  }
  return inTransaction(em, async (tx) => {
    const deleted = await sql(tx)<{ id: string; event_id: string }[]>(
      `delete from attendees where ${where.sql} returning id, event_id`,
      where.params,
    );
    await emitAttendeesErased(tx, deleted, wakes);
    return deleted.length;
  });
}

/** A hard bounce: no more email goes to this attendee's address. */
export async function markUndeliverable(em: EntityManager, attendeeId: string): Promise<void> {
  await sql(em)('update attendees set email_undeliverable = true where id = ?', [attendeeId]);
}

/**
 * The address's suppression was lifted (db/writes/suppressions.ts): its attendees in the
 * organization may be emailed again, a hard bounce's mark included.
 */
export async function markDeliverable(em: EntityManager, organizationId: string, emailKey: string) {
  const person = personAttendeeIds(organizationId, emailKey);
  await sql(em)(
    `update attendees set email_undeliverable = false where id in (${person.sql}) and email_undeliverable`,
    person.params,
  );
}
