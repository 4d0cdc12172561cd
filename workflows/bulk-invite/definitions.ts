import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** The bulk-invite workflow's contract: the API imports this file, the workflow implements it. */

export interface BulkInviteInput {
  importId: string;
  eventId: string;
  sendEmail: boolean;
  /** Valid rows of the import: `seq` 1..validRows. */
  validRows: number;
  /** Rows per page (one activity, one Postmark batch call): at most 500. */
  pageSize: number;
  /** Pages whose rows and emails are handled at once (the email pipeline). */
  maxPagesInFlight: number;
  /** Pages whose lifecycle workflows are started at once (the start pipeline, behind the emails). */
  startPagesInFlight?: number;
  /** Pages per run before continue-as-new, well below the history limits. */
  pagesPerRun: number;
  /** Who started it, for the attendees' history rows. */
  by: string;
  /** Carried across continue-as-new: every page before this one is emailed (and, before the
   * email pipeline, done). */
  nextPage?: number;
  /** Carried across continue-as-new: every page before this one is done (absent: `nextPage`). */
  nextStartPage?: number;
  cancelRequested?: boolean;
}

export type FinalStatus = 'completed' | 'cancelled' | 'failed';

export interface BulkInviteProgress {
  totalPages: number;
  /** Pages before this one are emailed (and any in flight after it may be too). */
  nextPage: number;
  /** Pages before this one are done: their workflows started too (absent in the old walk). */
  nextStartPage?: number;
  pagesInFlight: number;
  cancelRequested: boolean;
  status: 'running' | FinalStatus;
}

export const BULK_INVITE_DEFAULTS = {
  pageSize: 500,
  maxPagesInFlight: 4,
  startPagesInFlight: 2,
  pagesPerRun: 100,
} as const;

/** The workflow's type name, as registered by the worker (workflows/index.ts). */
export const BULK_INVITE_WORKFLOW_TYPE = 'bulkInviteWorkflow';

/** One workflow per import: a second start meets the first. */
export const importWorkflowId = (importId: string) => `import/${importId}`;

/** Update, so the API can answer once the import has stopped (pages in flight finish first). */
export const cancelImportUpdate = defineUpdate<{ status: FinalStatus }, []>('cancel');
/** Query: where the walk is now. */
export const progressQuery = defineQuery<BulkInviteProgress>('progress');
