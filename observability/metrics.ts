/**
 * Prometheus metrics of one process (prom-client), in a registry of its own that the
 * composition root makes and passes on: the API counts its requests, the worker's activities
 * count emails and webhook attempts where they are settled (activities/send-once.ts,
 * activities/webhook.activities.ts), and imports and bulk actions are read from PostgreSQL at
 * scrape time (their rows are the facts; a handful per event, so counting them is cheap).
 * Every name is listed in docs/observability.md.
 */
import { serve } from '@hono/node-server';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { IMPORT_STATUSES } from '../db/entities/import.entity';
import type { Orm } from '../db/orm';
import { sql } from '../db/sql';
import { BULK_ACTION_STATUSES, BULK_ACTIONS } from '../domain/bulk-actions';

export interface Metrics {
  registry: Registry;
  /** Requests by method, route pattern (never the concrete path: paths carry tokens) and status. */
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  httpRequestsInFlight: Gauge;
  /** Messages Postmark (or the outbox) took, by kind; counted once, when the ledger settles them. */
  emailsSent: Counter<'kind'>;
  /** Final refusals (inactive recipient, invalid address, ...), by kind. */
  emailsFailed: Counter<'kind'>;
  /** Not sent: the address is on the organization's suppression list. */
  emailsSuppressed: Counter<'kind'>;
  /** Postmark's Delivery and Bounce webhooks applied to the ledger. */
  emailsDelivered: Counter;
  emailsBounced: Counter;
  /** Outgoing webhook delivery attempts: succeeded, failed for now (retried later), failed for good. */
  webhookDeliveryAttempts: Counter<'outcome'>;
}

/** Buckets from a cached list page (a few ms) to a 100k-row CSV upload (seconds). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(): Metrics {
  const registry = new Registry();
  // CPU, memory, event-loop lag, GC and handles of this process, as roster_process_* / roster_nodejs_*.
  collectDefaultMetrics({ register: registry, prefix: 'roster_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'roster_http_request_duration_seconds',
      help: 'HTTP requests answered, by method, route pattern and status, and how long the handler took',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
    httpRequestsInFlight: new Gauge({
      name: 'roster_http_requests_in_flight',
      help: 'HTTP requests being handled now',
      registers: [registry],
    }),
    emailsSent: new Counter({
      name: 'roster_emails_sent_total',
      help: 'Emails the provider accepted (Postmark, or the local outbox), by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    emailsFailed: new Counter({
      name: 'roster_emails_failed_total',
      help: 'Emails refused for good by the provider (inactive recipient, invalid address), by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    emailsSuppressed: new Counter({
      name: 'roster_emails_suppressed_total',
      help: "Emails not sent because the address is on the organization's suppression list, by kind",
      labelNames: ['kind'],
      registers: [registry],
    }),
    emailsDelivered: new Counter({
      name: 'roster_emails_delivered_total',
      help: 'Postmark Delivery webhooks applied to an email',
      registers: [registry],
    }),
    emailsBounced: new Counter({
      name: 'roster_emails_bounced_total',
      help: 'Postmark Bounce webhooks applied to an email',
      registers: [registry],
    }),
    webhookDeliveryAttempts: new Counter({
      name: 'roster_webhook_delivery_attempts_total',
      help: 'Outgoing webhook delivery attempts, by outcome (succeeded, retrying, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/**
 * Imports and bulk actions by status (and action), counted in PostgreSQL at each scrape: the
 * same numbers in every API process (aggregate with max(), not sum()). Registered by the API only.
 */
export function addDatabaseGauges(metrics: Metrics, orm: Orm) {
  const query = <T>(text: string) => sql(orm.em.fork())<T[]>(text);
  new Gauge({
    name: 'roster_imports',
    help: 'Bulk imports by status (validated: checked, not started; running; completed; cancelled; failed)',
    labelNames: ['status'],
    registers: [metrics.registry],
    async collect() {
      const rows = await query<{ status: string; n: number }>(
        'select status, count(*)::int as n from imports group by status',
      );
      const counts = new Map(rows.map((r) => [r.status, r.n]));
      for (const status of IMPORT_STATUSES) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'roster_bulk_actions',
    help: 'Bulk actions by action and status (running, completed, cancelled, failed)',
    labelNames: ['action', 'status'],
    registers: [metrics.registry],
    async collect() {
      const rows = await query<{ action: string; status: string; n: number }>(
        'select action, status, count(*)::int as n from bulk_actions group by action, status',
      );
      const counts = new Map(rows.map((r) => [`${r.action}/${r.status}`, r.n]));
      for (const action of BULK_ACTIONS)
        for (const status of BULK_ACTION_STATUSES)
          this.set({ action, status }, counts.get(`${action}/${status}`) ?? 0);
    },
  });
}

/**
 * `GET /metrics` on a port of its own (METRICS_PORT), never on the API's port: keep it off the
 * load balancer and let only Prometheus reach it. Answers the listening server.
 */
export async function serveMetrics(registry: Registry, port: number) {
  const server = serve({
    port,
    fetch: async (request) => {
      if (new URL(request.url).pathname !== '/metrics') return new Response('Not found\n', { status: 404 });
      return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}
