import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { FailureType } from '../domain/errors';

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

/**
 * One page of a bulk run (an import's or a bulk action's): idempotent, so retried with backoff (a
 * database blip, Temporal or Postmark unavailable, a lost worker found by the heartbeat timeout)
 * for up to a day; a cancel lets the page in flight finish. An event gone is final.
 */
export const IDEMPOTENT_PAGE: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [FailureType.eventGone],
  },
};

/** The end of a bulk run (its final status): nobody waits on it, so it outlasts any outage. */
export const FINISH_WRITE: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};
