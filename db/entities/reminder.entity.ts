import { defineEntity, p } from '@mikro-orm/core';
import type { CustomMessage } from '../../domain/custom-message';
import { MAX_OFFSET_MINUTES, REMINDER_AUDIENCES } from '../../domain/reminders';
import { Event } from './event.entity';

/**
 * A reminder rule of an event: an audience and how long before the start it goes out.
 * Deleted rules are kept (with deletedAt) so their runs stay readable.
 */
export const ReminderRule = defineEntity({
  name: 'ReminderRule',
  tableName: 'reminder_rules',
  properties: {
    id: p.uuid().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    audience: p.enum(REMINDER_AUDIENCES),
    offsetMinutes: p.integer(),
    includeLoginLink: p.boolean(),
    // The organizer's own text in place of the standard reminder (domain/custom-message.ts); null: standard.
    message: p.json<CustomMessage>().nullable(),
    // When the scheduled send started; null while it is pending.
    sentAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'reminder_rules_event_created_idx', properties: ['event', 'createdAt', 'id'] }],
  checks: [
    {
      name: 'reminder_rules_offset_check',
      expression: `offset_minutes >= 1 and offset_minutes <= ${MAX_OFFSET_MINUTES}`,
    },
  ],
});

/** One send of a rule: on its schedule or by `POST …/reminders/run`. */
export const ReminderRun = defineEntity({
  name: 'ReminderRun',
  tableName: 'reminder_runs',
  properties: {
    id: p.uuid().primary(),
    rule: () => p.manyToOne(ReminderRule).deleteRule('cascade'),
    trigger: p.enum(['scheduled', 'manual'] as const),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    // Matching attendees when the run started; sent + failed may differ if people change meanwhile.
    recipients: p.integer(),
    sent: p.integer().default(0),
    failed: p.integer().default(0),
  },
  indexes: [{ name: 'reminder_runs_rule_started_idx', properties: ['rule', 'startedAt'] }],
});
