/**
 * Bulk actions on a subset of an event's attendees: the actions, the outcomes of each attendee's
 * item, and who would be skipped and why. The rules themselves are the attendee state machine's
 * (attendee-lifecycle.ts `decide`), asked exactly as the attendee's workflow asks it, so a dry
 * run, the fast check before a command and the workflow's own refusal give the same reason.
 */
import {
  type Command,
  type DetailedStatus,
  decide,
  type EventRules,
  type LifecycleState,
  type Status,
} from './attendee-lifecycle';

export const BULK_ACTIONS = [
  'resend_email',
  'send_reminder',
  'send_message',
  'block',
  'unblock',
  'remove',
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Actions that are a command of each attendee's workflow, with its rules. */
export const COMMAND_ACTIONS = ['resend_email', 'block', 'unblock', 'remove'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

/** Actions that send an organizer-written message (they need `message`; the others refuse one). */
export const MESSAGE_ACTIONS = ['send_message', 'send_reminder'] as const;
export type MessageAction = (typeof MESSAGE_ACTIONS)[number];

export const isMessageAction = (action: BulkAction): action is MessageAction =>
  (MESSAGE_ACTIONS as readonly string[]).includes(action);

export const BULK_ACTION_STATUSES = ['running', 'completed', 'cancelled', 'failed'] as const;
export type BulkActionStatus = (typeof BULK_ACTION_STATUSES)[number];

/**
 * Each attendee's outcome: `done` (the command applied, the message sent), `skipped` (with the
 * reason: not found, or the rules refused), `failed` (tried and failed for good, with the reason),
 * `cancelled` (not reached before a cancel), `not_processed` (not reached before the run failed).
 */
export const ITEM_OUTCOMES = ['done', 'skipped', 'failed', 'cancelled', 'not_processed'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

/** At most this many ids in one request's `attendeeIds`. */
export const MAX_BULK_ATTENDEE_IDS = 10_000;

/** An id that is not a live attendee of the event (unknown, another event's, removed). */
export const NOT_FOUND = 'not_found';

/** The reason recorded for a refusal by the rules: the code and the state machine's sentence. */
export const notAllowedReason = (message: string) => `action_not_allowed: ${message}`;

/** What the rules read of a live attendee, as the attendee row stores it. */
export interface AttendeeStanding {
  status: Status;
  detailedStatus: DetailedStatus;
  beforeBlockStatus: Status | null;
  beforeBlockDetailedStatus: DetailedStatus | null;
  awaitingConfirmation: boolean;
  chatTermsAgreed: boolean;
  chatBlocked: boolean;
}

/** The lifecycle state the attendee's workflow holds, as its stored row has it. */
export function lifecycleOf(a: AttendeeStanding): LifecycleState {
  return {
    position: { status: a.status, detailedStatus: a.detailedStatus },
    beforeBlock:
      a.beforeBlockStatus && a.beforeBlockDetailedStatus
        ? { status: a.beforeBlockStatus, detailedStatus: a.beforeBlockDetailedStatus }
        : null,
    awaitingConfirmation: a.awaitingConfirmation,
    chatTermsAgreed: a.chatTermsAgreed,
    chatBlocked: a.chatBlocked,
  };
}

/** The command a command action sends to the attendee's workflow. */
export const commandOf = (action: CommandAction): Command => ({ type: action });

/**
 * Whether the rules allow the action for this attendee now: null when they do, else the skip
 * reason, in the words the attendee workflow's validator would refuse it with.
 */
export function commandSkipReason(
  action: CommandAction,
  attendee: AttendeeStanding,
  event: EventRules,
): string | null {
  const decision = decide(lifecycleOf(attendee), commandOf(action), event);
  return decision.ok ? null : notAllowedReason(decision.reason);
}

/** Skip counts per reason, most frequent first (ties by reason, byte order), as the API lists them. */
export function reasonCounts(counts: ReadonlyMap<string, number>): { reason: string; count: number }[] {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}
