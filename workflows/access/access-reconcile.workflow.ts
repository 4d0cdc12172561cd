import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccessActivities } from '../../activities/access.activities';
import {
  type AccessReconcileInput,
  accessChangedSignal,
  type ReconcileResult,
  type ReconcileTotals,
  reconcileTotalsQuery,
} from './definitions';

const { reconcileOrganizationAccess, listSsoOrganizations } = proxyActivities<AccessActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const DEFAULT_SETTLE_MS = 2_000;

const add = (totals: ReconcileTotals, result: ReconcileResult) => {
  totals.runs += 1;
  totals.checked += result.checked;
  totals.revoked += result.revoked;
  totals.sessionsEnded += result.sessionsEnded;
};

/**
 * One organization's access reconciliation, signalled-with-start on every change that can take
 * access away. A burst of SCIM pushes coalesces: the run after a change sees all changes made
 * before it, and changes arriving while it runs or within `settleMs` after it cause one more run.
 */
export async function accessReconcileWorkflow(input: AccessReconcileInput): Promise<ReconcileTotals> {
  const totals: ReconcileTotals = input.totals ?? { runs: 0, checked: 0, revoked: 0, sessionsEnded: 0 };
  // Started by signal-with-start, or continued as new with changes pending: run at once.
  let pending = true;
  setHandler(accessChangedSignal, () => {
    pending = true;
  });
  setHandler(reconcileTotalsQuery, () => totals);

  while (pending) {
    pending = false;
    add(totals, await reconcileOrganizationAccess({ organizationId: input.organizationId }));
    if (!pending) await condition(() => pending, input.settleMs ?? DEFAULT_SETTLE_MS);
    if (pending && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof accessReconcileWorkflow>({ ...input, totals });
    }
  }
  await condition(allHandlersFinished);
  return totals;
}

/** The scheduled safety net: reconciles every organization that has SSO events, a few at a time. */
export async function accessSweepWorkflow(): Promise<ReconcileTotals> {
  const totals: ReconcileTotals = { runs: 0, checked: 0, revoked: 0, sessionsEnded: 0 };
  const organizations = await listSsoOrganizations();
  for (let i = 0; i < organizations.length; i += 10) {
    const results = await Promise.all(
      organizations.slice(i, i + 10).map((organizationId) => reconcileOrganizationAccess({ organizationId })),
    );
    for (const result of results) add(totals, result);
  }
  return totals;
}
