import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ImportActivities } from '../../activities/import.activities';
import { IDEMPOTENT_PAGE } from '../retry';
import {
  type BulkInviteInput,
  type BulkInviteProgress,
  cancelImportUpdate,
  type FinalStatus,
  progressQuery,
} from './definitions';
import { finishAndNotify } from './finish';

const { invitePage } = proxyActivities<ImportActivities>(IDEMPOTENT_PAGE);

/**
 * The walk as it ran before emails went first (one `invitePage` activity per page, emails after
 * the workflow starts), kept unchanged so runs recorded with it replay: only such runs take it
 * (`patched` in bulk-invite.workflow.ts); their continuation runs the new walk. Walks the valid
 * rows in pages, a bounded number in flight, and continues as new every `pagesPerRun` pages.
 */
export async function wholePagesWalk(input: BulkInviteInput): Promise<{ status: FinalStatus }> {
  const totalPages = Math.ceil(input.validRows / input.pageSize);
  let nextPage = input.nextPage ?? 1;
  let cancelRequested = input.cancelRequested ?? false;
  let status: BulkInviteProgress['status'] = 'running';
  let failure: unknown = null;
  let pagesThisRun = 0;
  const inFlight = new Set<number>();

  setHandler(cancelImportUpdate, async () => {
    cancelRequested = true;
    await condition(() => status !== 'running');
    return { status: status as FinalStatus };
  });
  setHandler(progressQuery, () => ({
    totalPages,
    nextPage,
    pagesInFlight: inFlight.size,
    cancelRequested,
    status,
  }));

  const launch = (page: number) => {
    inFlight.add(page);
    pagesThisRun++;
    invitePage({
      importId: input.importId,
      eventId: input.eventId,
      firstSeq: (page - 1) * input.pageSize + 1,
      lastSeq: Math.min(page * input.pageSize, input.validRows),
      sendEmail: input.sendEmail,
      by: input.by,
    })
      .catch((error: unknown) => {
        if (!isCancellation(error)) log.error('page failed for good', { page, error: String(error) });
        failure ??= error;
      })
      .finally(() => inFlight.delete(page));
  };
  const rotate = () => pagesThisRun >= input.pagesPerRun || workflowInfo().continueAsNewSuggested;

  let final: FinalStatus;
  try {
    for (;;) {
      while (
        !cancelRequested &&
        failure === null &&
        !rotate() &&
        inFlight.size < input.maxPagesInFlight &&
        nextPage <= totalPages
      ) {
        launch(nextPage++);
      }
      if (inFlight.size === 0) {
        if (failure !== null) final = 'failed';
        else if (cancelRequested) final = 'cancelled';
        else if (nextPage > totalPages) final = 'completed';
        else if (allHandlersFinished()) {
          // Every page before nextPage is done: the next run starts there.
          return await continueAsNew<typeof wholePagesWalk>({ ...input, nextPage, cancelRequested });
        } else {
          await condition(allHandlersFinished);
          continue;
        }
        break;
      }
      const before = inFlight.size;
      await condition(() => inFlight.size < before);
    }
  } catch (error) {
    // Cancelled through Temporal itself: pages in flight finish (WAIT_CANCELLATION_COMPLETED).
    if (!isCancellation(error)) throw error;
    final = 'cancelled';
    await CancellationScope.nonCancellable(() => condition(() => inFlight.size === 0));
  }

  await finishAndNotify(input.importId, final, () => {
    status = final;
  });
  await condition(allHandlersFinished);
  return { status: final };
}
