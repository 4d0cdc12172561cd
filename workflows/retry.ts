import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Short database writes a caller (the API) is waiting on: retried quickly and bounded, so a
 * database outage fails the request, not the workflow.
 */
export const AWAITED_WRITE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 8,
  },
};
