import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import {
  ACCESS_RECONCILE_WORKFLOW_TYPE,
  ACCESS_SWEEP_WORKFLOW_TYPE,
  type AccessReconcileInput,
  accessChangedSignal,
  accessReconcileWorkflowId,
  accessSweepScheduleId,
} from '../../workflows/access/definitions';
import type { AppDeps } from '../context';

export const DEFAULT_ACCESS_SWEEP_MINUTES = 15;

/**
 * Signal-with-start: the organization's reconciliation runs (or runs again) soon. Best effort: a
 * SCIM push or a grant change succeeds even when Temporal is briefly unreachable, because logins
 * read the directory live and the scheduled sweep ends stale sessions anyway.
 */
export async function requestAccessReconciliation(deps: AppDeps, organizationId: string, reason: string) {
  try {
    await deps.temporal.workflow.signalWithStart(ACCESS_RECONCILE_WORKFLOW_TYPE, {
      workflowId: accessReconcileWorkflowId(organizationId),
      taskQueue: deps.taskQueue,
      args: [{ organizationId } satisfies AccessReconcileInput] as [AccessReconcileInput],
      signal: accessChangedSignal,
      signalArgs: [{ reason }],
    });
  } catch (error) {
    deps.logger.warn(
      { err: error, organizationId, reason },
      'access reconciliation not requested; the scheduled sweep will catch up',
    );
  }
}

const ensured = new WeakSet<AppDeps>();

/**
 * Creates the sweep schedule of this task queue if it is missing (idempotent: an existing one is
 * brought to the configured interval). Called on the first grant and the first SCIM token of a
 * process, so deployments without closed events never get it.
 */
export async function ensureAccessSweepSchedule(deps: AppDeps): Promise<void> {
  if (ensured.has(deps)) return;
  const every = `${deps.accessSweepMinutes ?? DEFAULT_ACCESS_SWEEP_MINUTES} minutes` as const;
  const scheduleId = accessSweepScheduleId(deps.taskQueue);
  try {
    await deps.temporal.schedule.create({
      scheduleId,
      spec: { intervals: [{ every }] },
      action: {
        type: 'startWorkflow',
        workflowType: ACCESS_SWEEP_WORKFLOW_TYPE,
        workflowId: scheduleId,
        taskQueue: deps.taskQueue,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) {
      deps.logger.warn({ err: error }, 'access sweep schedule not created; will try again');
      return;
    }
    try {
      await deps.temporal.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec: { intervals: [{ every }] },
      }));
    } catch (updateError) {
      deps.logger.warn({ err: updateError }, 'access sweep schedule not updated');
      return;
    }
  }
  ensured.add(deps);
}
