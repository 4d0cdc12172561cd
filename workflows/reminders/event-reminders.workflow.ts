import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReminderActivities } from '../../activities/reminder.activities';
import { FailureType } from '../../domain/errors';
import { planReminders, type ScheduledRule } from '../../domain/reminders';
import { AWAITED_WRITE } from '../retry';
import {
  eventRescheduledSignal,
  type PendingRun,
  type RemindersWorkflowInput,
  type RunNowResult,
  remindersStateQuery,
  rulesChangedSignal,
  runNowUpdate,
} from './definitions';

/** One Postmark batch call per page. */
const PAGE_SIZE = 500;

// The main loop's database work: retried until the database answers, however long that takes.
const { loadReminderPlan, startReminderRun, finishReminderRun } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// The API waits on runNow: bounded, so a database outage fails the request, not the workflow.
const { startReminderRun: startRequestedRun } = proxyActivities<ReminderActivities>(AWAITED_WRITE);

// Postmark 429 / 5xx are retried with backoff for as long as a day; the ledger keeps retries from resending.
const { sendReminderBatch } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One workflow per event (`reminders/<eventId>`): holds the event's start and its rules, sleeps
 * until the next rule is due, and sends each due rule to its audience page by page. The rules
 * live in the database; `rulesChanged` and `eventRescheduled` make it reload and recompute.
 * It ends when no rule can come due without a change (all sent, or the event has started);
 * the API starts it again when one is created, run now, or the event moves.
 */
export async function eventRemindersWorkflow(input: RemindersWorkflowInput): Promise<void> {
  const { eventId } = input;
  const pending: PendingRun[] = [...(input.pending ?? [])];
  let startsAt: string | null = null;
  let rules: ScheduledRule[] = [];
  let nextAt: number | null = null;
  // The database holds the truth; reload before the next decision whenever something changed.
  let stale = true;

  setHandler(rulesChangedSignal, () => {
    stale = true;
  });

  setHandler(eventRescheduledSignal, (change: { startsAt: string }) => {
    startsAt = change.startsAt;
    stale = true;
  });

  setHandler(
    runNowUpdate,
    async ({ ruleId }: { ruleId: string }): Promise<RunNowResult> => {
      const runId = uuid4();
      const started = await startRequestedRun({ eventId, ruleId, runId, trigger: 'manual' });
      if (!started) {
        throw ApplicationFailure.create({
          type: FailureType.notFound,
          message: 'The reminder rule was not found.',
          nonRetryable: true,
        });
      }
      pending.push({ runId, ruleId, trigger: 'manual', afterAttendeeId: null, sent: 0, failed: 0 });
      return { ruleId, runId, recipients: started.recipients };
    },
    {
      validator: (request: { ruleId: string }) => {
        if (typeof request?.ruleId !== 'string' || request.ruleId === '') {
          throw ApplicationFailure.create({ type: FailureType.notFound, message: 'ruleId is required.' });
        }
      },
    },
  );

  setHandler(remindersStateQuery, () => ({
    startsAt,
    rules,
    pending,
    nextDueAt: nextAt === null ? null : new Date(nextAt).toISOString(),
  }));

  /** Sends the next page of the first pending run; closes the run after its last page. */
  async function sendNextPage(run: PendingRun) {
    let done: boolean;
    try {
      const page = await sendReminderBatch({
        eventId,
        ruleId: run.ruleId,
        runId: run.runId,
        afterAttendeeId: run.afterAttendeeId,
        limit: PAGE_SIZE,
      });
      run.sent += page.sent;
      run.failed += page.failed;
      run.afterAttendeeId = page.lastAttendeeId;
      done = page.done;
    } catch (error) {
      // A day of failed attempts: the run ends with what it sent; the next runs are not held up.
      log.error('reminder page not sent', { ruleId: run.ruleId, runId: run.runId, error: String(error) });
      done = true;
    }
    if (done) {
      await finishReminderRun({ runId: run.runId, sent: run.sent, failed: run.failed });
      pending.shift();
    }
  }

  for (;;) {
    if (stale) {
      stale = false;
      const plan = await loadReminderPlan({ eventId });
      if (!plan) {
        log.info('event gone; reminders end', { eventId });
        break;
      }
      startsAt = plan.startsAt;
      rules = plan.rules;
    }

    const plan = planReminders(startsAt as string, rules, Date.now());
    nextAt = plan.nextAt;
    for (const ruleId of plan.due) {
      const runId = uuid4();
      const started = await startReminderRun({ eventId, ruleId, runId, trigger: 'scheduled' });
      const rule = rules.find((r) => r.id === ruleId);
      if (rule) rule.sentAt = new Date().toISOString();
      if (started)
        pending.push({ runId, ruleId, trigger: 'scheduled', afterAttendeeId: null, sent: 0, failed: 0 });
    }

    if (pending.length > 0) {
      // One page per turn, so signals and newly due rules are looked at between pages.
      await sendNextPage(pending[0] as PendingRun);
    } else if (plan.nextAt !== null) {
      // Asleep until the next rule is due, or until the rules or the start change.
      await condition(
        () => stale || pending.length > 0 || workflowInfo().continueAsNewSuggested,
        Math.max(plan.nextAt - Date.now(), 1),
      );
    } else if (plan.due.length === 0) {
      // Nothing can come due without a change: finish, unless a message arrived meanwhile.
      await condition(allHandlersFinished);
      if (!stale && pending.length === 0) break;
      continue;
    }

    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof eventRemindersWorkflow>({ eventId, pending });
    }
  }
  await condition(allHandlersFinished);
}
