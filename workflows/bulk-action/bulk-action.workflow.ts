import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { BulkActionActivities, BulkActionPageInput } from '../../activities/bulk-action.activities';
import { FINISH_WRITE, IDEMPOTENT_PAGE } from '../retry';
import { SA } from '../search-attributes';
import {
  type BulkActionInput,
  type BulkActionProgress,
  bulkActionProgressQuery,
  cancelBulkActionUpdate,
  type FinalStatus,
} from './definitions';

// A page is idempotent (each item's outcome is written once, each command carries its update id,
// each message its ledger key): retry.ts IDEMPOTENT_PAGE.
const { runBulkActionPage } = proxyActivities<BulkActionActivities>(IDEMPOTENT_PAGE);
const { finishBulkAction } = proxyActivities<BulkActionActivities>(FINISH_WRITE);

/**
 * Walks a bulk action's snapshot in pages of items, `maxPagesInFlight` at once; each page
 * checkpoints its items' outcomes and the progress in PostgreSQL. A cancel stops the walk between
 * pages (the pages in flight finish); a page that fails for good stops it as `failed`, keeping
 * what got done. Continues as new every `pagesPerRun` pages (or when the server suggests it),
 * once nothing is in flight, carrying the next page.
 */
export async function bulkActionWorkflow(input: BulkActionInput): Promise<{ status: FinalStatus }> {
  const totalPages = Math.ceil(input.items / input.pageSize);
  let nextPage = input.nextPage ?? 1;
  let cancelRequested = input.cancelRequested ?? false;
  let status: BulkActionProgress['status'] = 'running';
  let failure: unknown = null;
  let pagesThisRun = 0;
  const inFlight = new Set<number>();

  setHandler(cancelBulkActionUpdate, async () => {
    cancelRequested = true;
    await condition(() => status !== 'running');
    return { status: status as FinalStatus };
  });
  setHandler(bulkActionProgressQuery, () => ({
    totalPages,
    nextPage,
    pagesInFlight: inFlight.size,
    cancelRequested,
    status,
  }));

  const pageInput = (page: number): BulkActionPageInput => ({
    bulkActionId: input.bulkActionId,
    eventId: input.eventId,
    action: input.action,
    firstPosition: (page - 1) * input.pageSize + 1,
    lastPosition: Math.min(page * input.pageSize, input.items),
    by: input.by,
  });
  const launch = (page: number) => {
    inFlight.add(page);
    pagesThisRun++;
    runBulkActionPage(pageInput(page))
      .catch((error: unknown) => {
        if (isCancellation(error)) return;
        log.error('page failed for good', { page, error: String(error) });
        failure ??= error;
      })
      .finally(() => inFlight.delete(page));
  };
  const rotate = () => pagesThisRun >= input.pagesPerRun || workflowInfo().continueAsNewSuggested;
  const stopped = () => cancelRequested || failure !== null;

  let final: FinalStatus;
  try {
    for (;;) {
      while (!stopped() && !rotate() && inFlight.size < input.maxPagesInFlight && nextPage <= totalPages) {
        launch(nextPage++);
      }
      if (inFlight.size === 0) {
        if (stopped() || nextPage > totalPages) {
          final = failure !== null ? 'failed' : cancelRequested ? 'cancelled' : 'completed';
          break;
        }
        // Every page before nextPage is done: a new run carries on from there.
        if (allHandlersFinished()) {
          return await continueAsNew<typeof bulkActionWorkflow>({ ...input, nextPage, cancelRequested });
        }
        await condition(() => allHandlersFinished() || cancelRequested);
        continue;
      }
      const before = inFlight.size;
      await condition(() => inFlight.size < before);
    }
  } catch (error) {
    // Cancelled through Temporal itself: the pages in flight finish (WAIT_CANCELLATION_COMPLETED).
    if (!isCancellation(error)) throw error;
    final = 'cancelled';
    await CancellationScope.nonCancellable(() => condition(() => inFlight.size === 0));
  }

  // Not cancellable: a cancelled bulk action still records that it ended, and how far it got.
  await CancellationScope.nonCancellable(() =>
    finishBulkAction({ bulkActionId: input.bulkActionId, status: final }),
  );
  status = final;
  // The Web UI's RosterRunStatus (runs recorded before the attribute existed go on without it).
  if (patched('run-search-attributes')) upsertSearchAttributes([{ key: SA.runStatus, value: final }]);
  await condition(allHandlersFinished);
  return { status: final };
}
