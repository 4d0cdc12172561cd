import { defineEntity, p } from '@mikro-orm/core';
import { BULK_ACTION_STATUSES, BULK_ACTIONS, ITEM_OUTCOMES } from '../../domain/bulk-actions';
import { Event } from './event.entity';

/**
 * A bulk action on a subset of an event's attendees (docs/bulk-actions.md): its selection, the
 * totals of its snapshot, and the progress its workflow's pages checkpoint. Written only through
 * db/writes/bulk-actions.ts.
 */
export const BulkAction = defineEntity({
  name: 'BulkAction',
  tableName: 'bulk_actions',
  properties: {
    id: p.uuid().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    action: p.enum(BULK_ACTIONS),
    status: p.enum(BULK_ACTION_STATUSES),
    // The attendee list's filter as given; null when the request named attendeeIds.
    filter: p.json<Record<string, string>>().nullable(),
    // send_message / send_reminder: the organizer's message.
    message: p.json<Record<string, unknown>>().nullable(),
    createdBy: p.string().length(200),
    totalMatched: p.integer().default(0),
    totalEligible: p.integer().default(0),
    totalSkipped: p.integer().default(0),
    totalSkipReasons: p.json<{ reason: string; count: number }[]>().default('[]'),
    processed: p.integer().default(0),
    done: p.integer().default(0),
    skipped: p.integer().default(0),
    failed: p.integer().default(0),
    cancelled: p.integer().default(0),
    notProcessed: p.integer().default(0),
    skipReasons: p.json<{ reason: string; count: number }[]>().default('[]'),
    createdAt: p.datetime().onCreate(() => new Date()),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'bulk_actions_event_created_idx', properties: ['event', 'createdAt', 'id'] }],
  triggers: [
    {
      name: 'bulk_actions_delete_items',
      timing: 'after',
      events: ['delete'],
      forEach: 'statement',
      expression: `create trigger bulk_actions_delete_items after delete on bulk_actions referencing old table as gone
      for each statement execute function bulk_action_items_cascade()`,
    },
  ],
});

/** One attendee of a bulk action's snapshot, at its position, and what became of it. */
export const BulkActionItem = defineEntity({
  name: 'BulkActionItem',
  tableName: 'bulk_action_items',
  properties: {
    // No foreign key: a trigger deletes the items of deleted bulk actions (Migration20261130190000_bulk_actions).
    bulkAction: () => p.manyToOne(BulkAction).primary().createForeignKeyConstraint(false),
    position: p.integer().primary(),
    // Not a foreign key either: an id given that is no attendee of the event is kept, skipped as not_found.
    attendeeId: p.uuid(),
    outcome: p.enum(ITEM_OUTCOMES).nullable(),
    reason: p.text().nullable(),
  },
});
