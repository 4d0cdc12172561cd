/**
 * The one writer of `bulk_actions` and `bulk_action_items`: the snapshot at the start, each
 * item's outcome (written once: a retried page never overwrites one), the progress recounted from
 * the items, and the end.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { BulkAction, BulkActionStatus, ItemOutcome } from '../../domain/bulk-actions';
import { NOT_FOUND } from '../../domain/bulk-actions';
import type { AttendeeFilter } from '../queries/attendees';
import { matchingAttendees } from '../queries/attendees';
import type { Selection } from '../queries/bulk-actions';
import { sql } from '../sql';

export interface NewBulkAction {
  id: string;
  eventId: string;
  action: BulkAction;
  selection: Selection;
  message: unknown | null;
  createdBy: string;
}

/**
 * The bulk action (running) and the snapshot of its attendees, numbered 1..n: the filter's
 * matches oldest first, or the ids in the order given (repeats once); an id that is no live
 * attendee of the event is an item skipped as `not_found` at once. Returns the item count.
 * Run it inside the transaction that also stores the totals.
 */
export async function insertBulkAction(tx: EntityManager, input: NewBulkAction): Promise<number> {
  const filter: AttendeeFilter | null = 'filter' in input.selection ? input.selection.filter : null;
  await sql(tx)(
    `insert into bulk_actions (id, event_id, action, status, filter, message, created_by, created_at)
     values (?, ?, ?, 'running', ?::jsonb, ?::jsonb, ?, now())`,
    [
      input.id,
      input.eventId,
      input.action,
      filter ? JSON.stringify(filter) : null,
      input.message === null ? null : JSON.stringify(input.message),
      input.createdBy,
    ],
  );
  if ('filter' in input.selection) {
    const m = matchingAttendees('a', input.eventId, input.selection.filter);
    const rows = await sql(tx)<{ n: number }[]>(
      `with inserted as (
         insert into bulk_action_items (bulk_action_id, position, attendee_id)
         select ?, row_number() over (order by a.created_at, a.id), a.id from attendees a where ${m.where}
         returning 1)
       select count(*)::int as n from inserted`,
      [input.id, ...m.params],
    );
    return rows[0]?.n ?? 0;
  }
  const rows = await sql(tx)<{ n: number }[]>(
    `with given as (select u.id::uuid as id, min(u.ord) as ord
                     from jsonb_array_elements_text(?::jsonb) with ordinality as u(id, ord) group by 1),
     inserted as (
       insert into bulk_action_items (bulk_action_id, position, attendee_id, outcome, reason)
       select ?, row_number() over (order by g.ord), g.id,
              case when a.id is null then 'skipped' end, case when a.id is null then ? end
         from given g left join attendees a on a.id = g.id and a.event_id = ? and a.removed_at is null
       returning 1)
     select count(*)::int as n from inserted`,
    [JSON.stringify(input.selection.attendeeIds), input.id, NOT_FOUND, input.eventId],
  );
  return rows[0]?.n ?? 0;
}

/** The totals of the snapshot as the rules saw it at the start. */
export async function storeTotals(
  tx: EntityManager,
  bulkActionId: string,
  totals: { matched: number; eligible: number; skipped: number; skippedByReason: unknown[] },
) {
  await sql(tx)(
    `update bulk_actions set total_matched = ?, total_eligible = ?, total_skipped = ?, total_skip_reasons = ?::jsonb
      where id = ?`,
    [totals.matched, totals.eligible, totals.skipped, JSON.stringify(totals.skippedByReason), bulkActionId],
  );
}

/** Items' outcomes, each written once: an item that already has one keeps it. */
export async function recordOutcomes(
  em: EntityManager,
  bulkActionId: string,
  outcomes: readonly { position: number; outcome: ItemOutcome; reason?: string | null }[],
) {
  if (outcomes.length === 0) return;
  await sql(em)(
    `update bulk_action_items i set outcome = v.outcome, reason = v.reason
       from jsonb_to_recordset(?::jsonb) as v(position int, outcome text, reason text)
      where i.bulk_action_id = ? and i.position = v.position and i.outcome is null`,
    [
      JSON.stringify(
        outcomes.map((o) => ({ position: o.position, outcome: o.outcome, reason: o.reason ?? null })),
      ),
      bulkActionId,
    ],
  );
}

/**
 * Recounts the progress from the items (always right, whatever ran twice) and stores it, with
 * the skipped items counted per reason.
 */
export async function checkpointProgress(em: EntityManager, bulkActionId: string) {
  await sql(em)(
    `update bulk_actions b
        set processed = c.processed, done = c.done, skipped = c.skipped, failed = c.failed,
            cancelled = c.cancelled, not_processed = c.not_processed, skip_reasons = r.reasons
       from (select count(*) filter (where outcome in ('done', 'skipped', 'failed'))::int as processed,
                    count(*) filter (where outcome = 'done')::int as done,
                    count(*) filter (where outcome = 'skipped')::int as skipped,
                    count(*) filter (where outcome = 'failed')::int as failed,
                    count(*) filter (where outcome = 'cancelled')::int as cancelled,
                    count(*) filter (where outcome = 'not_processed')::int as not_processed
               from bulk_action_items where bulk_action_id = ?) c,
            (select coalesce(jsonb_agg(jsonb_build_object('reason', reason, 'count', n)
                                       order by n desc, reason collate "C"), '[]'::jsonb) as reasons
               from (select reason, count(*)::int as n from bulk_action_items
                      where bulk_action_id = ? and outcome = 'skipped' group by reason) x) r
      where b.id = ?`,
    [bulkActionId, bulkActionId, bulkActionId],
  );
}

/**
 * The end of a running bulk action, once: items never reached are `cancelled` (a cancel) or
 * `not_processed` (a failure), the progress is counted one last time, and the status is set.
 * Returns whether this call ended it.
 */
export async function finishBulkAction(
  em: EntityManager,
  bulkActionId: string,
  status: Exclude<BulkActionStatus, 'running'>,
) {
  return em.transactional(async (tx) => {
    const [row] = await sql(tx)<{ status: BulkActionStatus }[]>(
      'select status from bulk_actions where id = ? for update',
      [bulkActionId],
    );
    if (row?.status !== 'running') return false;
    if (status !== 'completed') {
      await sql(tx)(`update bulk_action_items set outcome = ? where bulk_action_id = ? and outcome is null`, [
        status === 'cancelled' ? 'cancelled' : 'not_processed',
        bulkActionId,
      ]);
    }
    await checkpointProgress(tx, bulkActionId);
    await sql(tx)(`update bulk_actions set status = ?, finished_at = now() where id = ?`, [
      status,
      bulkActionId,
    ]);
    return true;
  });
}
