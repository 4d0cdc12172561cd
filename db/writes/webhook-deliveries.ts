/**
 * The one writer of webhook deliveries' progress and of endpoints' health: claiming due
 * deliveries with a lease (FOR UPDATE SKIP LOCKED, so two dispatcher runs never take the same
 * row, and a row whose lease ran out, its worker gone, is taken again), recording every attempt
 * with the delivery's next attempt or its end, the endpoint's backoff while it fails and its
 * disabling after failing for too long, and manual redeliveries. New deliveries are written with
 * their events (db/writes/webhook-events.ts).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WebhookDeliveryStatus } from '../entities/webhook.entity';
import { sql } from '../sql';

export interface EndpointForDelivery {
  id: string;
  url: string;
  enabled: boolean;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  consecutive_failures: number;
  retry_at: Date | null;
}

export async function loadEndpointForDelivery(em: EntityManager, endpointId: string) {
  const [row] = await sql(em)<EndpointForDelivery[]>(
    `select id, url, enabled, secret_sealed, previous_secret_sealed, previous_secret_expires_at, failing_since,
            consecutive_failures, retry_at
       from webhook_endpoints where id = ?`,
    [endpointId],
  );
  return row ?? null;
}

export interface ClaimedDelivery {
  id: string;
  event_id: string;
  attempts: number;
  retry_from: Date;
  type: string;
  data: unknown;
  event_created_at: Date;
}

/**
 * Takes up to `limit` due deliveries of the endpoint, oldest due first, leasing them for
 * `leaseMs` under `leaseToken`. Rows another run holds are skipped, not waited for.
 */
export function claimDueDeliveries(
  em: EntityManager,
  endpointId: string,
  limit: number,
  leaseMs: number,
  leaseToken: string,
) {
  return sql(em)<ClaimedDelivery[]>(
    `with due as (
       select id from webhook_deliveries
        where endpoint_id = ? and status = 'pending' and next_attempt_at <= now()
          and (lease_until is null or lease_until < now())
        order by next_attempt_at, id
        limit ?
        for update skip locked)
     update webhook_deliveries d
        set lease_until = now() + make_interval(secs => ? / 1000.0), lease_token = ?::uuid
       from due, webhook_events e
      where d.id = due.id and e.id = d.event_id
      returning d.id, d.event_id, d.attempts, d.retry_from, e.type, e.data, e.created_at as event_created_at`,
    [endpointId, limit, leaseMs, leaseToken],
  );
}

/**
 * When a delivery of the endpoint may next be claimed: the earliest due time among those not in
 * flight, or the end of the earliest lease; null when nothing is pending.
 */
export async function nextClaimAt(em: EntityManager, endpointId: string): Promise<Date | null> {
  const [row] = await sql(em)<{ due: Date | null; leased: Date | null }[]>(
    `select (select next_attempt_at from webhook_deliveries
              where endpoint_id = ? and status = 'pending' and (lease_until is null or lease_until < now())
              order by next_attempt_at limit 1) as due,
            (select min(lease_until) from webhook_deliveries
              where endpoint_id = ? and lease_until is not null and status = 'pending') as leased`,
    [endpointId, endpointId],
  );
  const times = [row?.due, row?.leased].filter((t): t is Date => !!t).map((t) => new Date(t).getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

export interface AttemptRecord {
  deliveryId: string;
  at: Date;
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
  /** The delivery's state after this attempt. */
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
}

/**
 * Keeps the attempts of one claim and moves their deliveries on (only rows still under this
 * lease: one whose lease ran out belongs to whoever claimed it next; its attempt is kept all
 * the same).
 */
export async function recordAttempts(
  em: EntityManager,
  leaseToken: string,
  records: readonly AttemptRecord[],
): Promise<void> {
  if (records.length === 0) return;
  const json = JSON.stringify(
    records.map((r) => ({
      delivery_id: r.deliveryId,
      at: r.at.toISOString(),
      succeeded: r.succeeded,
      status_code: r.statusCode,
      duration_ms: r.durationMs,
      error: r.error,
      response_body: r.responseBody,
      status: r.status,
      next_at: r.nextAttemptAt?.toISOString() ?? null,
    })),
  );
  await sql(em)(
    `insert into webhook_attempts (id, delivery_id, at, succeeded, status_code, duration_ms, error, response_body)
     select gen_random_uuid(), v.delivery_id, v.at, v.succeeded, v.status_code, v.duration_ms, v.error, v.response_body
       from jsonb_to_recordset(?::jsonb) as v(delivery_id uuid, at timestamptz, succeeded boolean, status_code int,
            duration_ms int, error text, response_body text)
      where exists (select 1 from webhook_deliveries d where d.id = v.delivery_id)`,
    [json],
  );
  await sql(em)(
    `update webhook_deliveries d
        set status = v.status, attempts = d.attempts + 1, next_attempt_at = v.next_at, last_attempt_at = v.at,
            lease_until = null, lease_token = null, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as v(delivery_id uuid, status text, next_at timestamptz, at timestamptz)
      where d.id = v.delivery_id and d.lease_token = ?::uuid`,
    [json, leaseToken],
  );
}

/** An attempt got through: the endpoint is healthy again (written only when it was not). */
export async function markEndpointHealthy(em: EntityManager, endpointId: string): Promise<void> {
  await sql(em)(
    `update webhook_endpoints set failing_since = null, consecutive_failures = 0, retry_at = null
      where id = ? and (failing_since is not null or consecutive_failures > 0 or retry_at is not null)`,
    [endpointId],
  );
}

/**
 * Every attempt of a claim failed: the endpoint backs off (`retryAt`), and when it has failed
 * since longer than `disableAfterMs` it is disabled with the reason stored. Answers the state.
 */
export async function markEndpointFailing(
  em: EntityManager,
  endpointId: string,
  failure: { at: Date; lastError: string },
  next: (consecutiveFailures: number, failingSince: Date) => { retryAt: Date; disableReason: string | null },
): Promise<{ disabled: boolean }> {
  const [row] = await sql(em)<{ failing_since: Date; consecutive_failures: number }[]>(
    `update webhook_endpoints set failing_since = coalesce(failing_since, ?), consecutive_failures = consecutive_failures + 1
      where id = ? returning failing_since, consecutive_failures`,
    [failure.at.toISOString(), endpointId],
  );
  if (!row) return { disabled: false };
  const decided = next(row.consecutive_failures, new Date(row.failing_since));
  const [after] = await sql(em)<{ enabled: boolean }[]>(
    `update webhook_endpoints
        set retry_at = ?,
            enabled = enabled and ?::text is null,
            disabled_at = case when enabled and ?::text is not null then now() else disabled_at end,
            disabled_reason = case when enabled and ?::text is not null then ?::text else disabled_reason end,
            updated_at = case when enabled and ?::text is not null then now() else updated_at end
      where id = ? returning enabled`,
    [
      decided.retryAt.toISOString(),
      decided.disableReason,
      decided.disableReason,
      decided.disableReason,
      decided.disableReason,
      decided.disableReason,
      endpointId,
    ],
  );
  return { disabled: after ? !after.enabled : false };
}

/**
 * Asks for a delivery again, now, with a fresh retry window (whatever its status); the endpoint's
 * backoff is lifted so it is tried at once. Null when the delivery is not the organization's
 * endpoint's.
 */
export async function redeliver(
  em: EntityManager,
  organizationId: string,
  endpointId: string,
  deliveryId: string,
): Promise<{ id: string } | null> {
  const [row] = await sql(em)<{ id: string }[]>(
    `update webhook_deliveries d
        set status = 'pending', next_attempt_at = now(), retry_from = now(), updated_at = now()
       from webhook_endpoints w
      where d.id = ? and d.endpoint_id = ? and w.id = d.endpoint_id and w.organization_id = ?
      returning d.id`,
    [deliveryId, endpointId, organizationId],
  );
  if (row) await liftBackoff(em, endpointId);
  return row ?? null;
}

/** A manual action (a redelivery, a test event): the endpoint is tried at once, backoff or not. */
export async function liftBackoff(em: EntityManager, endpointId: string): Promise<void> {
  await sql(em)('update webhook_endpoints set retry_at = null where id = ? and retry_at is not null', [
    endpointId,
  ]);
}
