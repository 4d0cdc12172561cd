import type { SecretBox } from '../config/payload-codec';
import type { Orm } from '../db/orm';
import type { RetrySchedule } from '../domain/webhooks';
import type { Metrics } from '../observability/metrics';
import type { EmailTransport } from './email-transport';

/** How webhooks are delivered (WEBHOOK_* settings) and the box their secrets are sealed in. */
export interface WebhookDeliverySettings {
  allowPrivateNetworks: boolean;
  attemptTimeoutMs: number;
  retry: RetrySchedule;
  disableAfterMs: number;
  secrets: SecretBox;
}

/**
 * Bulk emails (import invitations, reminders, organizer messages) on Postmark's broadcast stream,
 * each with a List-Unsubscribe link (POSTMARK_BROADCAST_STREAM; domain/list-unsubscribe.ts).
 */
export interface BroadcastSettings {
  /** The broadcast message stream's id, e.g. `broadcast`. */
  stream: string;
  /** The attendee's one-click unsubscribe URL. */
  unsubscribeUrl: (attendeeId: string, eventId: string) => string;
}

/** What every activity factory is given by the worker's composition root: no client is made inside. */
export interface ActivityDeps {
  orm: Orm;
  email: EmailTransport;
  emailFrom: string;
  eventSiteUrl: string;
  /** How long an attendee's workflow stays open after its event ends (ATTENDEE_WORKFLOW_RETENTION_DAYS). */
  attendeeRetentionMs?: number;
  now?: () => Date;
  /** Outgoing webhooks' delivery settings (absent: the dispatcher's activity refuses to run). */
  webhooks?: WebhookDeliverySettings;
  /** Absent: every email on the transactional stream (`outbound`), without List-Unsubscribe. */
  broadcast?: BroadcastSettings;
  /** Wakes the dispatchers of endpoints given new deliveries, after the commit (worker/worker.ts sets it). */
  wakeWebhooks?: (endpointIds: ReadonlySet<string>) => Promise<void>;
  /** The process's Prometheus metrics: emails and webhook attempts are counted where they settle. */
  metrics?: Metrics;
}
