import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ScheduledRule } from '../../domain/reminders';

/** The event reminder workflow's contract: the API imports this file, the workflow implements it. */

/** One workflow per event holds every rule's timer, so a new start date reschedules one workflow. */
export const remindersWorkflowId = (eventId: string) => `reminders/${eventId}`;

export const REMINDERS_WORKFLOW_TYPE = 'eventRemindersWorkflow';

/** A run of a rule: queued, or part-way through its pages (carried across continue-as-new). */
export interface PendingRun {
  runId: string;
  ruleId: string;
  trigger: 'scheduled' | 'manual';
  /** Keyset position: the last attendee id of the last page sent. */
  afterAttendeeId: string | null;
  sent: number;
  failed: number;
}

export interface RemindersWorkflowInput {
  eventId: string;
  /** Runs still in progress when the previous run continued as new. */
  pending?: PendingRun[];
}

export interface RemindersState {
  startsAt: string | null;
  rules: ScheduledRule[];
  pending: PendingRun[];
  /** The next due time (ISO), or null when no rule is waiting on a timer. */
  nextDueAt: string | null;
}

export interface RunNowResult {
  ruleId: string;
  runId: string;
  /** Matching attendees when the run started. */
  recipients: number;
}

/** Signal: the rules changed in the database (created or deleted); the caller does not wait. */
export const rulesChangedSignal = defineSignal<[]>('rulesChanged');
/** Signal: the event's start moved; the workflow reloads and recomputes every pending due time. */
export const eventRescheduledSignal = defineSignal<[{ startsAt: string }]>('eventRescheduled');
/** Update, because the API answers with the run's recipient count (or the reason it was refused). */
export const runNowUpdate = defineUpdate<RunNowResult, [{ ruleId: string }]>('runNow');
/** Query: the rules and due times the workflow holds, for operators and tests. */
export const remindersStateQuery = defineQuery<RemindersState>('state');
