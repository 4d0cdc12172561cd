import { CancellationScope, log, proxyActivities } from '@temporalio/workflow';
import type { ImportActivities } from '../../activities/import.activities';
import type { FinalStatus } from './definitions';

const { finishImport, notifyImportFinished } = proxyActivities<ImportActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * The end of an import, whichever walk ran it: its final status and time (once), then the
 * organizer's note. Not cancellable: a cancelled import still records that it ended.
 */
export function finishAndNotify(importId: string, final: FinalStatus, onFinished: () => void) {
  return CancellationScope.nonCancellable(async () => {
    await finishImport({ importId, status: final });
    onFinished();
    try {
      await notifyImportFinished({ importId });
    } catch (error) {
      // The organizer's note is no reason to fail the import.
      log.warn('import_finished email not sent', { error: String(error) });
    }
  });
}
