/**
 * The bulk actions' side effects, a page of items at a time: each attendee's command through that
 * attendee's workflow (workflows/attendee/client.ts, the single-attendee API's own sender) with a
 * bounded number in flight, each item's outcome written once, and the progress checkpointed.
 *
 * A retried page acts on nobody twice: items with an outcome are not read again; a command whose
 * answer came but whose outcome was not written yet is sent again with the same update id
 * (`bulkActionUpdateId`), which the attendee's workflow answers with the first outcome instead of
 * applying it again (so a `resend_email` is not sent twice).
 */
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { getBulkAction, type PendingItem, pendingItems } from '../db/queries/bulk-actions';
import { eventRules, findEventById } from '../db/queries/events';
import { checkpointProgress, finishBulkAction, recordOutcomes } from '../db/writes/bulk-actions';
import type { EventRules } from '../domain/attendee-lifecycle';
import {
  type AttendeeStanding,
  type BulkAction,
  type CommandAction,
  commandOf,
  commandSkipReason,
  type ItemOutcome,
  isMessageAction,
  NOT_FOUND,
  notAllowedReason,
} from '../domain/bulk-actions';
import type { CustomMessage } from '../domain/custom-message';
import { FailureType, failureOf } from '../domain/errors';
import {
  type AttendeeWorkflowStart,
  sendAttendeeCommand,
  workflowStarts,
} from '../workflows/attendee/client';
import { bulkActionUpdateId } from '../workflows/bulk-action/definitions';
import { sendCustomMessages } from './custom-messages';
import type { ActivityDeps } from './deps';

export interface BulkActionPageInput {
  bulkActionId: string;
  eventId: string;
  action: BulkAction;
  /** The items at positions firstPosition..lastPosition. */
  firstPosition: number;
  lastPosition: number;
  /** Who acts, for the attendees' history rows. */
  by: string;
}

/** Test-only fault injection (test/support/stack.ts): never set in production. */
export interface BulkActionFaults {
  /** Called after an attendee's command was answered and before its outcome is written. */
  afterCommand?: (info: {
    bulkActionId: string;
    attendeeId: string;
    attempt: number;
  }) => void | Promise<void>;
}

export interface BulkActionActivityDeps extends ActivityDeps {
  /** Sends the attendees' commands. */
  temporal: Client;
  taskQueue: string;
  faults?: BulkActionFaults;
}

/** Commands in flight at once from one page. */
export const COMMAND_CONCURRENCY = 32;
/** Outcomes written per statement (an outcome not yet written is safe: its command is answered again). */
const OUTCOME_FLUSH = 50;

type Outcome = { position: number; outcome: ItemOutcome; reason?: string | null };

const standingOf = (item: PendingItem): AttendeeStanding | null =>
  item.status && item.detailed_status
    ? {
        status: item.status,
        detailedStatus: item.detailed_status,
        beforeBlockStatus: item.before_block_status,
        beforeBlockDetailedStatus: item.before_block_detailed_status,
        awaitingConfirmation: item.awaiting_confirmation ?? false,
        chatTermsAgreed: item.chat_terms_agreed ?? false,
        chatBlocked: item.chat_blocked ?? false,
      }
    : null;

/** Outcomes buffered and written in small batches, and whenever the page stops. */
function outcomeWriter(deps: BulkActionActivityDeps, bulkActionId: string) {
  const em = deps.orm.em.fork();
  let buffer: Outcome[] = [];
  let writing = Promise.resolve();
  let written = 0;
  const flush = () => {
    const batch = buffer;
    buffer = [];
    writing = writing.then(async () => {
      await recordOutcomes(em, bulkActionId, batch);
      written += batch.length;
      heartbeat({ written });
    });
    return writing;
  };
  return {
    add(outcome: Outcome) {
      buffer.push(outcome);
      if (buffer.length >= OUTCOME_FLUSH) void flush().catch(() => undefined);
    },
    /** Writes what is buffered; rejects if any write failed. */
    async close() {
      await flush();
    },
  };
}

/**
 * The page's commands: the fast check on the read model first (attempt 1 only, as the single
 * action's API does; the workflow's validator decides), then the command, `COMMAND_CONCURRENCY`
 * at once. A refusal by the rules is a skip with the validator's reason; an update that failed for
 * another reason is the item's failure; anything else (Temporal unreachable) fails the page,
 * after the commands in flight have answered and their outcomes are written.
 */
async function runCommands(
  deps: BulkActionActivityDeps,
  input: BulkActionPageInput,
  action: CommandAction,
  rules: EventRules,
  items: PendingItem[],
) {
  const attempt = Context.current().info.attempt;
  const writer = outcomeWriter(deps, input.bulkActionId);
  const live = items.filter((item) => standingOf(item) !== null);
  const starts = await workflowStarts(
    deps,
    deps.orm.em.fork(),
    live.map((item) => item.attendee_id),
  );
  const toSend: { item: PendingItem; start: AttendeeWorkflowStart }[] = [];
  for (const item of items) {
    const standing = standingOf(item);
    const start = starts.get(item.attendee_id);
    if (!standing || !start) {
      // Removed since the snapshot. On a retry that may have been this action's own `remove`,
      // whose answer came too late to be written: the attendee is removed as asked.
      const doneBefore = attempt > 1 && action === 'remove';
      writer.add({
        position: item.position,
        ...(doneBefore ? { outcome: 'done' } : { outcome: 'skipped', reason: NOT_FOUND }),
      });
      continue;
    }
    // A retry sends everything not written yet: an earlier attempt may have applied it already.
    const skip = attempt === 1 ? commandSkipReason(action, standing, rules) : null;
    if (skip) writer.add({ position: item.position, outcome: 'skipped', reason: skip });
    else toSend.push({ item, start });
  }

  let next = 0;
  let stop: unknown = null;
  const send = async ({ item, start }: (typeof toSend)[number]): Promise<Outcome> => {
    try {
      await sendAttendeeCommand(
        deps,
        start,
        { command: commandOf(action), event: rules, by: input.by },
        { updateId: bulkActionUpdateId(input.bulkActionId, item.attendee_id) },
      );
      return { position: item.position, outcome: 'done' };
    } catch (error) {
      const failure = failureOf(error);
      if (failure?.type === FailureType.actionNotAllowed)
        return { position: item.position, outcome: 'skipped', reason: notAllowedReason(failure.message) };
      if (error instanceof WorkflowUpdateFailedError)
        return {
          position: item.position,
          outcome: 'failed',
          reason: failure?.message ?? String(error.cause ?? error),
        };
      throw error;
    }
  };
  const lane = async () => {
    while (stop === null && next < toSend.length) {
      const entry = toSend[next++] as (typeof toSend)[number];
      try {
        const outcome = await send(entry);
        heartbeat({ position: entry.item.position });
        await deps.faults?.afterCommand?.({
          bulkActionId: input.bulkActionId,
          attendeeId: entry.item.attendee_id,
          attempt,
        });
        writer.add(outcome);
      } catch (error) {
        stop ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(COMMAND_CONCURRENCY, toSend.length) }, lane));
  await writer.close();
  if (stop !== null) throw stop;
}

/**
 * The page's messages (`send_message`, `send_reminder`): the organizer's message, stored with the
 * bulk action, to every item's attendee who may receive one, in one Postmark batch call, once per
 * ledger key `bulk-action/<id>/<attendee>` (custom-messages.ts): a retried page sends nothing
 * twice. The ineligible are skipped with the sender's reason.
 */
async function runMessages(deps: BulkActionActivityDeps, input: BulkActionPageInput, items: PendingItem[]) {
  const row = await getBulkAction(deps.orm.em.fork(), input.bulkActionId);
  if (!row?.message) {
    throw ApplicationFailure.create({
      type: 'invalid_message',
      message: `bulk action ${input.bulkActionId} has no message`,
      nonRetryable: true,
    });
  }
  const results = await sendCustomMessages(deps, {
    eventId: input.eventId,
    kind: input.action === 'send_reminder' ? 'reminder' : 'message',
    message: row.message as unknown as CustomMessage,
    attendeeIds: items.map((item) => item.attendee_id),
    ledgerScope: `bulk-action/${input.bulkActionId}`,
  });
  const byAttendee = new Map(results.map((r) => [r.attendeeId, r]));
  const outcomes: Outcome[] = [];
  for (const item of items) {
    const result = byAttendee.get(item.attendee_id);
    if (!result) continue;
    outcomes.push({
      position: item.position,
      outcome: result.outcome === 'sent' ? 'done' : result.outcome,
      reason: result.reason ?? null,
    });
  }
  await recordOutcomes(deps.orm.em.fork(), input.bulkActionId, outcomes);
}

async function runPage(deps: BulkActionActivityDeps, input: BulkActionPageInput) {
  const em = deps.orm.em.fork();
  const event = await findEventById(em, input.eventId, { sessions: false });
  if (!event) {
    throw ApplicationFailure.create({
      type: FailureType.eventGone,
      message: `event ${input.eventId} is gone`,
      nonRetryable: true,
    });
  }
  const items = await pendingItems(
    em,
    { id: input.bulkActionId, eventId: input.eventId },
    input.firstPosition,
    input.lastPosition,
  );
  if (items.length > 0) {
    if (isMessageAction(input.action)) await runMessages(deps, input, items);
    else await runCommands(deps, input, input.action, eventRules(event), items);
  }
  await checkpointProgress(em, input.bulkActionId);
}

export const createBulkActionActivities = (deps: BulkActionActivityDeps) => ({
  /** One page of a bulk action's items (safe to run again). */
  runBulkActionPage: (input: BulkActionPageInput) => runPage(deps, input),

  /** The bulk action's end (once): items not reached marked, progress counted, status set. */
  async finishBulkAction(input: { bulkActionId: string; status: 'completed' | 'cancelled' | 'failed' }) {
    return { finished: await finishBulkAction(deps.orm.em.fork(), input.bulkActionId, input.status) };
  },
});

export type BulkActionActivities = ReturnType<typeof createBulkActionActivities>;
