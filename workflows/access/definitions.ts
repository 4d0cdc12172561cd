import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The access reconciliation contract: the API imports this file, the workflows implement it.
 *
 * One workflow per organization (`access-reconcile/<organizationId>`) is signalled-with-start
 * whenever a change can take access away (a user deactivated or deleted, a membership removed,
 * a group's grant removed, outsiders disallowed). It ends the live sessions of everyone the
 * entry rules now refuse, then waits a moment for more changes before it finishes. A Temporal
 * schedule runs the sweep workflow over every organization with SSO events as a safety net.
 */

export const ACCESS_RECONCILE_WORKFLOW_TYPE = 'accessReconcileWorkflow';
export const ACCESS_SWEEP_WORKFLOW_TYPE = 'accessSweepWorkflow';

export const accessReconcileWorkflowId = (organizationId: string) => `access-reconcile/${organizationId}`;
/** One schedule per task queue, so every deployment (and every test file) has its own. */
export const accessSweepScheduleId = (taskQueue: string) => `access-sweep/${taskQueue}`;

export interface AccessReconcileInput {
  organizationId: string;
  /** How long to wait for more changes after a run before finishing (default 2 s). */
  settleMs?: number;
  /** Carried across continue-as-new. */
  totals?: ReconcileTotals;
}

/** What one reconciliation of an organization found and did. */
export interface ReconcileResult {
  /** Attendees of SSO events holding a live session. */
  checked: number;
  /** Of those, the ones the entry rules now refuse. */
  revoked: number;
  sessionsEnded: number;
}

export interface ReconcileTotals extends ReconcileResult {
  runs: number;
}

/** Signal: the caller (a SCIM push, a grant change) does not wait; bursts coalesce into one run. */
export const accessChangedSignal = defineSignal<[{ reason: string }]>('accessChanged');
/** Query: what the runs so far did, for operators and tests. */
export const reconcileTotalsQuery = defineQuery<ReconcileTotals>('totals');
