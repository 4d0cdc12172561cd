import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ImportActivities, InvitePageInput } from '../../activities/import.activities';
import { IDEMPOTENT_PAGE } from '../retry';
import {
  BULK_INVITE_DEFAULTS,
  type BulkInviteInput,
  type BulkInviteProgress,
  cancelImportUpdate,
  type FinalStatus,
  progressQuery,
} from './definitions';
import { finishAndNotify } from './finish';
import { wholePagesWalk } from './whole-pages';

// A page's half is idempotent (retry.ts IDEMPOTENT_PAGE).
const { emailPage, startPage } = proxyActivities<ImportActivities>(IDEMPOTENT_PAGE);

/** Runs recorded before this marker walk whole pages (whole-pages.ts); later runs email first. */
export const EMAILS_FIRST_PATCH = 'bulk-invite-emails-first';
/**
 * Runs recorded before this marker start each emailed page's workflows while later pages are
 * still emailing; later runs start them once every page is emailed (or the emailing stopped), so
 * the starts and their first tasks do not slow the invitations down.
 */
export const STARTS_AFTER_EMAILS_PATCH = 'bulk-invite-starts-after-emails';

/**
 * Walks the valid rows of an import in pages through two pipelines: the email pipeline
 * (`emailPage`: rows and invitations, `maxPagesInFlight` at once) runs ahead, and the start
 * pipeline (`startPage`: lifecycle workflows and checkpoint, `startPagesInFlight` at once) takes
 * the emailed pages once the email pipeline is done (STARTS_AFTER_EMAILS_PATCH). A page is done when
 * both halves are. Continues as new every
 * `pagesPerRun` pages' worth of activities (or when the server suggests it), once nothing is in
 * flight, carrying both cursors.
 */
export async function bulkInviteWorkflow(input: BulkInviteInput): Promise<{ status: FinalStatus }> {
  if (!patched(EMAILS_FIRST_PATCH)) return wholePagesWalk(input);
  const startsAfterEmails = patched(STARTS_AFTER_EMAILS_PATCH);

  const totalPages = Math.ceil(input.validRows / input.pageSize);
  const startPagesInFlight = input.startPagesInFlight ?? BULK_INVITE_DEFAULTS.startPagesInFlight;
  let nextPage = input.nextPage ?? 1;
  let cancelRequested = input.cancelRequested ?? false;
  let status: BulkInviteProgress['status'] = 'running';
  let emailFailure: unknown = null;
  let startFailure: unknown = null;
  let activitiesThisRun = 0;
  const emailing = new Set<number>();
  const starting = new Set<number>();
  /** Emailed pages whose workflows are not started yet (the first run after a rotation: all of them). */
  const toStart = new Set<number>();
  for (let page = input.nextStartPage ?? nextPage; page < nextPage; page++) toStart.add(page);

  setHandler(cancelImportUpdate, async () => {
    cancelRequested = true;
    await condition(() => status !== 'running');
    return { status: status as FinalStatus };
  });
  setHandler(progressQuery, () => ({
    totalPages,
    nextPage,
    nextStartPage: Math.min(nextPage, ...toStart, ...starting),
    pagesInFlight: emailing.size + starting.size,
    cancelRequested,
    status,
  }));

  const pageInput = (page: number): InvitePageInput => ({
    importId: input.importId,
    eventId: input.eventId,
    firstSeq: (page - 1) * input.pageSize + 1,
    lastSeq: Math.min(page * input.pageSize, input.validRows),
    sendEmail: input.sendEmail,
    by: input.by,
  });
  const failed = (page: number, error: unknown) => {
    if (!isCancellation(error)) log.error('page failed for good', { page, error: String(error) });
  };
  const launchEmails = (page: number) => {
    emailing.add(page);
    activitiesThisRun++;
    emailPage(pageInput(page))
      .then(
        () => toStart.add(page),
        (error: unknown) => {
          failed(page, error);
          // A cancelled page may have run: its start is a no-op for rows it did not reach.
          if (isCancellation(error)) toStart.add(page);
          else emailFailure ??= error;
        },
      )
      .finally(() => emailing.delete(page));
  };
  const launchStarts = (page: number) => {
    toStart.delete(page);
    starting.add(page);
    activitiesThisRun++;
    startPage(pageInput(page))
      .catch((error: unknown) => {
        failed(page, error);
        // Cancelled through Temporal before it ran: the drain below starts it again.
        if (isCancellation(error)) toStart.add(page);
        else startFailure ??= error;
      })
      .finally(() => starting.delete(page));
  };
  const rotate = () => activitiesThisRun >= 2 * input.pagesPerRun || workflowInfo().continueAsNewSuggested;
  const idle = () => emailing.size === 0 && starting.size === 0;
  /** Pages are still to be emailed, or being emailed, and nothing stopped the emailing. */
  const emailsPending = () =>
    !cancelRequested &&
    emailFailure === null &&
    startFailure === null &&
    (emailing.size > 0 || nextPage <= totalPages);
  /** Starts the lowest emailed pages, up to the start pipeline's bound. */
  const fillStarts = (rotating: () => boolean) => {
    while (startFailure === null && !rotating() && starting.size < startPagesInFlight && toStart.size > 0) {
      launchStarts(Math.min(...toStart));
    }
  };

  let final: FinalStatus;
  try {
    for (;;) {
      // Shown in the Web UI (a query, not a history event).
      setCurrentDetails(
        `Bulk invite ${input.importId}: ${Math.max(0, nextPage - 1 - emailing.size)} of ${totalPages} pages emailed, ` +
          `${emailing.size} emailing, ${starting.size + toStart.size} waiting for their lifecycle workflows.`,
      );
      while (
        !cancelRequested &&
        emailFailure === null &&
        startFailure === null &&
        // While the starts in flight drain for a rotation, emails go on: they never wait for one.
        (!rotate() || starting.size > 0) &&
        emailing.size < input.maxPagesInFlight &&
        nextPage <= totalPages
      ) {
        launchEmails(nextPage++);
      }
      // Cancelled or failed, the pages already emailed still get their lifecycle workflows.
      if (!startsAfterEmails || !emailsPending()) fillStarts(rotate);
      if (idle()) {
        const startsLeft = startFailure === null && toStart.size > 0;
        const emailsLeft =
          !cancelRequested && emailFailure === null && startFailure === null && nextPage <= totalPages;
        if (!startsLeft && !emailsLeft) {
          final =
            emailFailure !== null || startFailure !== null
              ? 'failed'
              : cancelRequested
                ? 'cancelled'
                : 'completed';
          break;
        }
        if (allHandlersFinished()) {
          // Every page before nextPage is emailed; those in toStart still need their workflows.
          return await continueAsNew<typeof bulkInviteWorkflow>({
            ...input,
            startPagesInFlight,
            nextPage,
            nextStartPage: Math.min(nextPage, ...toStart),
            cancelRequested,
          });
        }
        await condition(allHandlersFinished);
        continue;
      }
      const before = { emailing: emailing.size, starting: starting.size };
      await condition(() => emailing.size < before.emailing || starting.size < before.starting);
    }
  } catch (error) {
    // Cancelled through Temporal itself: pages in flight finish (WAIT_CANCELLATION_COMPLETED),
    // then the pages already emailed get their workflows, whatever the history's length.
    if (!isCancellation(error)) throw error;
    final = 'cancelled';
    await CancellationScope.nonCancellable(async () => {
      for (;;) {
        fillStarts(() => false);
        if (idle()) break;
        const before = { emailing: emailing.size, starting: starting.size };
        await condition(() => emailing.size < before.emailing || starting.size < before.starting);
      }
    });
  }

  await finishAndNotify(input.importId, final, () => {
    status = final;
  });
  await condition(allHandlersFinished);
  return { status: final };
}
