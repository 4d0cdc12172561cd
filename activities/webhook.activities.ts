/**
 * The webhook dispatcher's one activity: delivers an endpoint's due deliveries in batches, each
 * batch claimed from PostgreSQL with a lease, posted with bounded concurrency, signed as Standard
 * Webhooks says (the same `webhook-id`, the event's id, on every attempt), and every attempt
 * recorded with the delivery's next attempt. A worker that dies mid-batch loses nothing: the
 * lease runs out and the deliveries are claimed again (receivers dedupe by webhook-id).
 */
import { randomUUID } from 'node:crypto';
import { heartbeat, log } from '@temporalio/activity';
import { Webhook } from 'standardwebhooks';
import {
  type AttemptRecord,
  type ClaimedDelivery,
  claimDueDeliveries,
  type EndpointForDelivery,
  loadEndpointForDelivery,
  markEndpointFailing,
  markEndpointHealthy,
  nextClaimAt,
  recordAttempts,
} from '../db/writes/webhook-deliveries';
import { failedTooLong, nextAttemptAt, retryDelayMs } from '../domain/webhooks';
import type { ActivityDeps, WebhookDeliverySettings } from './deps';
import { type AttemptResult, postWebhook } from './webhook-http';

/** Deliveries posted at once per endpoint (one claim). */
export const DELIVERY_CONCURRENCY = 16;
/** An activity hands back to its workflow after this long, so its history stays short. */
const RUN_BUDGET_MS = 60_000;
const HEARTBEAT_EVERY_MS = 3_000;

export interface DispatchResult {
  /** The endpoint is gone or disabled: the dispatcher ends (a re-enable starts it again). */
  stop: boolean;
  /** Stopped for its time budget with deliveries still due: run again at once. */
  more: boolean;
  /** When something may next be due (ISO); null when nothing is pending. */
  nextAt: string | null;
  attempted: number;
}

/** The payload as sent: the same bytes for every attempt of an event. */
export const payloadOf = (d: Pick<ClaimedDelivery, 'event_id' | 'type' | 'data' | 'event_created_at'>) =>
  JSON.stringify({
    id: d.event_id,
    type: d.type,
    createdAt: new Date(d.event_created_at).toISOString(),
    data: d.data,
  });

/** The secrets that sign now: the current one, and the previous one during its overlap. */
function signingSecrets(endpoint: EndpointForDelivery, settings: WebhookDeliverySettings, now: Date) {
  const secrets = [settings.secrets.open(endpoint.secret_sealed, endpoint.id)];
  if (
    endpoint.previous_secret_sealed &&
    endpoint.previous_secret_expires_at &&
    new Date(endpoint.previous_secret_expires_at) > now
  ) {
    secrets.push(settings.secrets.open(endpoint.previous_secret_sealed, endpoint.id));
  }
  return secrets.map((s) => new Webhook(s));
}

/** Standard Webhooks headers: one `v1,` signature per valid secret, space-separated. */
export function signedHeaders(signers: readonly Webhook[], eventId: string, body: string, at: Date) {
  return {
    'content-type': 'application/json',
    'user-agent': 'Roster-Webhooks/1',
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signers.map((w) => w.sign(eventId, at, body)).join(' '),
  };
}

export const createWebhookActivities = (deps: ActivityDeps) => {
  const now = deps.now ?? (() => new Date());

  /** One claim: post each delivery, then record every attempt and the endpoint's health. */
  async function deliverBatch(
    settings: WebhookDeliverySettings,
    endpoint: EndpointForDelivery,
    claimed: ClaimedDelivery[],
    leaseToken: string,
  ) {
    let signers: Webhook[] | null = null;
    let secretError: string | null = null;
    try {
      signers = signingSecrets(endpoint, settings, now());
    } catch (error) {
      secretError = `the signing secret cannot be opened: ${(error as Error).message}`;
    }
    const results = await Promise.all(
      claimed.map(async (d): Promise<[ClaimedDelivery, Date, AttemptResult]> => {
        const at = now();
        if (!signers) {
          return [
            d,
            at,
            { ok: false, statusCode: null, durationMs: 0, error: secretError, responseBody: null },
          ];
        }
        const body = payloadOf(d);
        const result = await postWebhook(endpoint.url, signedHeaders(signers, d.event_id, body, at), body, {
          timeoutMs: settings.attemptTimeoutMs,
          allowPrivateNetworks: settings.allowPrivateNetworks,
        });
        return [d, at, result];
      }),
    );
    const after = now();
    const records: AttemptRecord[] = results.map(([d, at, result]) => {
      const next = result.ok
        ? null
        : nextAttemptAt(settings.retry, d.attempts + 1, new Date(d.retry_from), after);
      return {
        deliveryId: d.id,
        at,
        succeeded: result.ok,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error,
        responseBody: result.responseBody,
        status: result.ok ? 'succeeded' : next ? 'pending' : 'failed',
        nextAttemptAt: next,
      };
    });
    const em = deps.orm.em.fork();
    await em.transactional(async (tx) => {
      await recordAttempts(tx, leaseToken, records);
      if (records.some((r) => r.succeeded)) {
        await markEndpointHealthy(tx, endpoint.id);
        return;
      }
      const first = records.reduce((a, b) => (a.at < b.at ? a : b));
      const last = records[records.length - 1] as AttemptRecord;
      const { disabled } = await markEndpointFailing(
        tx,
        endpoint.id,
        { at: first.at, lastError: last.error ?? 'failed' },
        (failures, failingSince) => ({
          retryAt: new Date(after.getTime() + retryDelayMs(settings.retry, failures)),
          disableReason: failedTooLong(failingSince, after, settings.disableAfterMs)
            ? `Every delivery attempt failed from ${failingSince.toISOString()} to ${after.toISOString()} ` +
              `(longer than ${formatDuration(settings.disableAfterMs)}); the last one: ${last.error ?? 'failed'}.`
            : null,
        }),
      );
      if (disabled) log.warn('webhook endpoint disabled after failing', { endpointId: endpoint.id });
    });
    // Counted once recorded: succeeded, retrying (failed, another attempt is due) or failed for good.
    if (deps.metrics) {
      const outcomes = { succeeded: 0, retrying: 0, failed: 0 };
      for (const r of records) outcomes[r.status === 'pending' ? 'retrying' : r.status] += 1;
      for (const [outcome, n] of Object.entries(outcomes))
        if (n > 0) deps.metrics.webhookDeliveryAttempts.inc({ outcome }, n);
    }
    return records.length;
  }

  return {
    /**
     * Delivers the endpoint's due deliveries until none is due or the time budget is spent.
     * While the endpoint fails, one delivery at a time probes it, when its backoff allows.
     */
    async deliverDueWebhooks(input: { endpointId: string }): Promise<DispatchResult> {
      const settings = deps.webhooks;
      if (!settings) throw new Error('webhook delivery settings are missing from the worker');
      const em = deps.orm.em.fork();
      const started = Date.now();
      // Leased long enough for the slowest attempt of the batch and its record.
      const leaseMs = settings.attemptTimeoutMs * 2 + 10_000;
      const beat = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
      let attempted = 0;
      try {
        for (;;) {
          const endpoint = await loadEndpointForDelivery(em, input.endpointId);
          if (!endpoint?.enabled) return { stop: true, more: false, nextAt: null, attempted };
          const retryAt = endpoint.retry_at ? new Date(endpoint.retry_at) : null;
          const backingOff = retryAt !== null && retryAt > now();
          const leaseToken = randomUUID();
          const claimed = backingOff
            ? []
            : await claimDueDeliveries(
                em,
                endpoint.id,
                endpoint.failing_since ? 1 : DELIVERY_CONCURRENCY,
                leaseMs,
                leaseToken,
              );
          if (claimed.length === 0) {
            const due = await nextClaimAt(em, endpoint.id);
            const at = due && retryAt && retryAt > due ? retryAt : due;
            return { stop: false, more: false, nextAt: at?.toISOString() ?? null, attempted };
          }
          attempted += await deliverBatch(settings, endpoint, claimed, leaseToken);
          heartbeat({ attempted });
          if (Date.now() - started > RUN_BUDGET_MS)
            return { stop: false, more: true, nextAt: null, attempted };
        }
      } finally {
        clearInterval(beat);
      }
    },
  };
};

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;

function formatDuration(ms: number): string {
  const days = ms / 86_400_000;
  if (days >= 1) return `${Number(days.toFixed(2))} days`;
  const hours = ms / 3_600_000;
  if (hours >= 1) return `${Number(hours.toFixed(2))} hours`;
  return `${Math.round(ms / 1000)} seconds`;
}
