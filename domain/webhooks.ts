/**
 * Outgoing webhooks (Standard Webhooks): the event types, the retry schedule and when an endpoint
 * is disabled. Pure rules; the delivery is activities/webhook.activities.ts.
 */
import { randomBytes } from 'node:crypto';

export const WEBHOOK_EVENT_TYPES = [
  'attendee.invited',
  'attendee.registered',
  'attendee.status_changed',
  'attendee.removed',
  'attendee.erased',
  'import.completed',
  'import.failed',
  'import.cancelled',
  'email.delivered',
  'email.bounced',
  'email.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by `POST /v1/webhook-endpoints/{id}/test` to that endpoint only, whatever it subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** After a rotation the old secret still signs (beside the new one) this long. */
export const SECRET_OVERLAP_HOURS = 24;

/** A signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export interface RetrySchedule {
  /** The wait after the first failed attempt; each later one doubles, up to maxIntervalMs. */
  initialMs: number;
  maxIntervalMs: number;
  /** A delivery is retried for this long after it was first due (or asked for again). */
  windowMs: number;
}

/** Three days of exponential backoff: 5 s, 10 s, 20 s, ... up to an hour between attempts. */
export const DEFAULT_RETRY: RetrySchedule = {
  initialMs: 5_000,
  maxIntervalMs: 60 * 60 * 1000,
  windowMs: 3 * 24 * 60 * 60 * 1000,
};

/**
 * The wait after the n-th failure in a row (n ≥ 1): initial × 2^(n-1), capped, with ±10 % jitter
 * so that many deliveries failing together do not come back together.
 */
export function retryDelayMs(schedule: RetrySchedule, failures: number, random = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 40);
  const base = Math.min(schedule.initialMs * 2 ** exponent, schedule.maxIntervalMs);
  return Math.round(base * (0.9 + 0.2 * random()));
}

/**
 * When a delivery that just failed its n-th attempt is tried again; null when the next attempt
 * would fall outside its retry window (it has failed for good).
 */
export function nextAttemptAt(
  schedule: RetrySchedule,
  failures: number,
  retryFrom: Date,
  now: Date,
  random = Math.random,
): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(schedule, failures, random));
  return next.getTime() - retryFrom.getTime() > schedule.windowMs ? null : next;
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled. */
export const failedTooLong = (failingSince: Date, now: Date, disableAfterMs: number) =>
  now.getTime() - failingSince.getTime() >= disableAfterMs;
