import type { EntityManager } from '@mikro-orm/core';
import type { DetailedStatus, Status } from '../../domain/attendee-lifecycle';
import type { AttendeeStanding, BulkAction, BulkActionStatus, ItemOutcome } from '../../domain/bulk-actions';
import type { LanguageCode } from '../../domain/languages';
import { sql } from '../sql';
import { type AttendeeFilter, matchingAttendees } from './attendees';

export interface BulkActionRecord {
  id: string;
  event_id: string;
  action: BulkAction;
  status: BulkActionStatus;
  filter: AttendeeFilter | null;
  message: Record<string, unknown> | null;
  created_by: string;
  total_matched: number;
  total_eligible: number;
  total_skipped: number;
  total_skip_reasons: { reason: string; count: number }[];
  processed: number;
  done: number;
  skipped: number;
  failed: number;
  cancelled: number;
  not_processed: number;
  skip_reasons: { reason: string; count: number }[];
  created_at: Date;
  /** created_at to the microsecond, as text: the keyset cursor must not lose precision. */
  created_key: string;
  finished_at: Date | null;
}

const CREATED_KEY = `to_char(b.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

/** The bulk action if its event belongs to the organization; null otherwise (404 either way). */
export async function findBulkAction(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  bulkActionId: string,
) {
  const rows = await sql(em)<BulkActionRecord[]>(
    `select b.*, ${CREATED_KEY} from bulk_actions b join events e on e.id = b.event_id and e.organization_id = ?
      where b.event_id = ? and b.id = ?`,
    [organizationId, eventId, bulkActionId],
  );
  return rows[0] ?? null;
}

/** Unscoped, for the worker's activities (which hold the id their workflow was started with). */
export async function getBulkAction(em: EntityManager, bulkActionId: string) {
  const rows = await sql(em)<BulkActionRecord[]>(
    `select b.*, ${CREATED_KEY} from bulk_actions b where b.id = ?`,
    [bulkActionId],
  );
  return rows[0] ?? null;
}

/**
 * A keyset page of the event's bulk actions, newest first, and their total; null when the event
 * is not the organization's.
 */
export async function listBulkActions(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  limit: number,
  after: { value: string; id: string } | null,
) {
  const keyset = after ? 'and (b.created_at, b.id) < (?::timestamptz, ?)' : '';
  const rows = await sql(em)<(Omit<BulkActionRecord, 'id'> & { id: string | null; total: number })[]>(
    `select p.*, t.total from events e
       cross join lateral (select count(*)::int as total from bulk_actions b where b.event_id = e.id) t
       left join lateral (select b.*, ${CREATED_KEY} from bulk_actions b where b.event_id = e.id ${keyset}
                          order by b.created_at desc, b.id desc limit ?) p on true
      where e.id = ? and e.organization_id = ?
      order by p.created_at desc, p.id desc`,
    [...(after ? [after.value, after.id] : []), limit + 1, eventId, organizationId],
  );
  const [first] = rows;
  if (!first) return null;
  const items = (first.id === null ? [] : rows) as BulkActionRecord[];
  return { items: items.slice(0, limit), hasMore: items.length > limit, total: first.total };
}

/** Where a bulk action's attendees come from: the list's filter, or the ids given. */
export type Selection = { filter: AttendeeFilter } | { attendeeIds: readonly string[] };

/** The attendee ids a selection names, as SQL (one column `id`) and its parameters. */
export function selectedIds(eventId: string, selection: Selection) {
  if ('filter' in selection) {
    const m = matchingAttendees('a', eventId, selection.filter);
    return { sql: `select a.id from attendees a where ${m.where}`, params: m.params };
  }
  return {
    sql: 'select distinct u.id::uuid as id from jsonb_array_elements_text(?::jsonb) as u(id)',
    params: [JSON.stringify(selection.attendeeIds)],
  };
}

/** A group of live attendees whom the rules see alike, and how many they are. */
export interface StandingGroup extends AttendeeStanding {
  language: LanguageCode;
  emailUndeliverable: boolean;
  count: number;
}

interface StandingRow {
  status: Status | null;
  detailed_status: DetailedStatus | null;
  before_block_status: Status | null;
  before_block_detailed_status: DetailedStatus | null;
  awaiting_confirmation: boolean | null;
  chat_terms_agreed: boolean | null;
  chat_blocked: boolean | null;
  language: LanguageCode | null;
  email_undeliverable: boolean | null;
  n: number;
}

/**
 * The attendees of a selection (or of a bulk action's snapshot) grouped by what the rules read,
 * plus how many of the ids are no live attendee of the event: a few rows whatever the size.
 */
export async function standingGroups(
  em: EntityManager,
  eventId: string,
  source: Selection | { bulkActionId: string },
): Promise<{ groups: StandingGroup[]; notFound: number }> {
  const ids =
    'bulkActionId' in source
      ? {
          sql: 'select i.attendee_id as id from bulk_action_items i where i.bulk_action_id = ?',
          params: [source.bulkActionId],
        }
      : selectedIds(eventId, source);
  const rows = await sql(em)<StandingRow[]>(
    `select a.status, a.detailed_status, a.before_block_status, a.before_block_detailed_status,
            a.awaiting_confirmation, a.chat_terms_agreed, a.chat_blocked, a.language, a.email_undeliverable,
            count(*)::int as n
       from (${ids.sql}) s left join attendees a on a.id = s.id and a.event_id = ? and a.removed_at is null
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    [...ids.params, eventId],
  );
  let notFound = 0;
  const groups: StandingGroup[] = [];
  for (const r of rows) {
    if (r.status === null || r.detailed_status === null) {
      notFound += r.n;
      continue;
    }
    groups.push({
      status: r.status,
      detailedStatus: r.detailed_status,
      beforeBlockStatus: r.before_block_status,
      beforeBlockDetailedStatus: r.before_block_detailed_status,
      awaitingConfirmation: r.awaiting_confirmation ?? false,
      chatTermsAgreed: r.chat_terms_agreed ?? false,
      chatBlocked: r.chat_blocked ?? false,
      language: r.language as LanguageCode,
      emailUndeliverable: r.email_undeliverable ?? false,
      count: r.n,
    });
  }
  return { groups, notFound };
}

/** An item of a page still to do, with its attendee's standing (null fields: not a live attendee). */
export interface PendingItem {
  position: number;
  attendee_id: string;
  status: Status | null;
  detailed_status: DetailedStatus | null;
  before_block_status: Status | null;
  before_block_detailed_status: DetailedStatus | null;
  awaiting_confirmation: boolean | null;
  chat_terms_agreed: boolean | null;
  chat_blocked: boolean | null;
  language: LanguageCode | null;
  email_undeliverable: boolean | null;
}

/** The items of positions first..last without an outcome, in order, with their attendees as they stand. */
export function pendingItems(
  em: EntityManager,
  bulkAction: { id: string; eventId: string },
  first: number,
  last: number,
) {
  return sql(em)<PendingItem[]>(
    `select i.position, i.attendee_id, a.status, a.detailed_status, a.before_block_status,
            a.before_block_detailed_status, a.awaiting_confirmation, a.chat_terms_agreed, a.chat_blocked,
            a.language, a.email_undeliverable
       from bulk_action_items i
       left join attendees a on a.id = i.attendee_id and a.event_id = ? and a.removed_at is null
      where i.bulk_action_id = ? and i.position between ? and ? and i.outcome is null
      order by i.position`,
    [bulkAction.eventId, bulkAction.id, first, last],
  );
}

/** How many items a bulk action's snapshot holds (its positions are 1..n). */
export async function itemCount(em: EntityManager, bulkActionId: string) {
  const [row] = await sql(em)<{ n: number }[]>(
    'select count(*)::int as n from bulk_action_items where bulk_action_id = ?',
    [bulkActionId],
  );
  return row?.n ?? 0;
}

export interface ResultRow {
  position: number;
  attendee_id: string;
  /** Only for attendees of the bulk action's event, and never for a `not_found` item. */
  email: string | null;
  outcome: ItemOutcome | null;
  reason: string | null;
}

/** The items in position order after a position (keyset), with the email of the event's attendees. */
export function resultRows(
  em: EntityManager,
  bulkAction: { id: string; event_id: string },
  limit: number,
  afterPosition = 0,
) {
  return sql(em)<ResultRow[]>(
    `select i.position, i.attendee_id, a.email, i.outcome, i.reason
       from bulk_action_items i
       left join attendees a on a.id = i.attendee_id and a.event_id = ? and i.reason is distinct from 'not_found'
      where i.bulk_action_id = ? and i.position > ? order by i.position limit ?`,
    [bulkAction.event_id, bulkAction.id, afterPosition, limit],
  );
}
