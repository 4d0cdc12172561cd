import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { hasUnsentReminderRules } from '../../db/queries/reminders';
import {
  eventRescheduledSignal,
  REMINDERS_WORKFLOW_TYPE,
  type RemindersWorkflowInput,
  remindersWorkflowId,
  rulesChangedSignal,
  runNowUpdate,
} from '../../workflows/reminders/definitions';
import type { AppDeps } from '../context';

type Deps = Pick<AppDeps, 'temporal' | 'taskQueue' | 'orm'>;

const startOptions = (deps: Deps, eventId: string) => ({
  workflowId: remindersWorkflowId(eventId),
  taskQueue: deps.taskQueue,
  args: [{ eventId } satisfies RemindersWorkflowInput] as [RemindersWorkflowInput],
  workflowIdConflictPolicy: 'USE_EXISTING' as const,
});

/** Signal-with-start: the event's reminder workflow (re)loads its rules, starting if it is not running. */
export async function startOrWakeReminders(deps: Deps, eventId: string): Promise<void> {
  await deps.temporal.workflow.signalWithStart(REMINDERS_WORKFLOW_TYPE, {
    ...startOptions(deps, eventId),
    signal: rulesChangedSignal,
    signalArgs: [],
  });
}

/** After a rule is deleted: a running workflow reloads; a finished one has nothing to drop. */
export async function notifyRulesChanged(deps: Deps, eventId: string): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(remindersWorkflowId(eventId)).signal(rulesChangedSignal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/**
 * After a PATCH that carried startsAt: a running workflow recomputes every pending due time. Where
 * none runs, nothing waits on the old date, unless rules were left unsent because the event had
 * started: a new, later start makes them pending again, so the workflow is started for them.
 */
export async function notifyEventRescheduled(deps: Deps, eventId: string, startsAt: Date): Promise<void> {
  try {
    await deps.temporal.workflow
      .getHandle(remindersWorkflowId(eventId))
      .signal(eventRescheduledSignal, { startsAt: startsAt.toISOString() });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    if (startsAt.getTime() > Date.now() && (await hasUnsentReminderRules(deps.orm.em.fork(), eventId))) {
      await startOrWakeReminders(deps, eventId);
    }
  }
}

/** Update-with-start: runs the rule now (starting the workflow if it had finished). */
export async function runReminderNow(deps: Deps, eventId: string, ruleId: string) {
  const start = new WithStartWorkflowOperation(REMINDERS_WORKFLOW_TYPE, startOptions(deps, eventId));
  // An unknown rule fails the update with not_found, which the app's error table answers with 404.
  return deps.temporal.workflow.executeUpdateWithStart(runNowUpdate, {
    args: [{ ruleId }],
    startWorkflowOperation: start,
  });
}
