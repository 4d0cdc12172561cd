import {
  CancellationScope,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { ImportActivities } from '../../activities/import.activities';
import { FINISH_WRITE } from '../retry';
import { SA } from '../search-attributes';
import type { FinalStatus } from './definitions';

const { finishImport, notifyImportFinished } = proxyActivities<ImportActivities>(FINISH_WRITE);

/**
 * The end of an import, whichever walk ran it: its final status and time (once), then the
 * organizer's note. Not cancellable: a cancelled import still records that it ended.
 */
export function finishAndNotify(importId: string, final: FinalStatus, onFinished: () => void) {
  return CancellationScope.nonCancellable(async () => {
    await finishImport({ importId, status: final });
    onFinished();
    // The Web UI's RosterRunStatus; runs recorded before the attribute existed go on without it.
    if (patched('run-search-attributes')) upsertSearchAttributes([{ key: SA.runStatus, value: final }]);
    try {
      await notifyImportFinished({ importId });
    } catch (error) {
      // The organizer's note is no reason to fail the import.
      log.warn('import_finished email not sent', { error: String(error) });
    }
  });
}
