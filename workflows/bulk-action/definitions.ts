import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BulkAction } from '../../domain/bulk-actions';

/** The bulk-action workflow's contract: the API imports this file, the workflow implements it. */

export interface BulkActionInput {
  bulkActionId: string;
  eventId: string;
  action: BulkAction;
  /** Items of the snapshot: positions 1..items. */
  items: number;
  /** Items per page (one activity; for messages, one Postmark batch call): at most 500. */
  pageSize: number;
  /** Pages handled at once. */
  maxPagesInFlight: number;
  /** Pages per run before continue-as-new, well below the history limits. */
  pagesPerRun: number;
  /** Who started it, for the attendees' history rows. */
  by: string;
  /** Carried across continue-as-new: every page before this one is done. */
  nextPage?: number;
  cancelRequested?: boolean;
}

export type FinalStatus = 'completed' | 'cancelled' | 'failed';

export interface BulkActionProgress {
  totalPages: number;
  /** Pages before this one are done or in flight. */
  nextPage: number;
  pagesInFlight: number;
  cancelRequested: boolean;
  status: 'running' | FinalStatus;
}

export const BULK_ACTION_DEFAULTS = {
  pageSize: 500,
  maxPagesInFlight: 2,
  pagesPerRun: 100,
} as const;

/** The workflow's type name, as registered by the worker (workflows/index.ts). */
export const BULK_ACTION_WORKFLOW_TYPE = 'bulkActionWorkflow';

/** One workflow per bulk action: a repeated start meets the first. */
export const bulkActionWorkflowId = (bulkActionId: string) => `bulk-action/${bulkActionId}`;

/**
 * The update id of one attendee's command within a bulk action: a retried page sends the same
 * id, and the attendee's workflow answers it with the first outcome instead of acting twice.
 */
export const bulkActionUpdateId = (bulkActionId: string, attendeeId: string) =>
  `bulk-action/${bulkActionId}/${attendeeId}`;

/** Update, so the API can answer once the bulk action has stopped (pages in flight finish first). */
export const cancelBulkActionUpdate = defineUpdate<{ status: FinalStatus }, []>('cancel');
/** Query: where the walk is now. */
export const bulkActionProgressQuery = defineQuery<BulkActionProgress>('progress');
