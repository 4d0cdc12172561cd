import type { EntityManager } from '@mikro-orm/core';
import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import type { SecretBox } from '../config/payload-codec';
import type { Orm } from '../db/orm';
import type { Metrics } from '../observability/metrics';
import type { Drain } from './drain';

/** What the HTTP layer needs; built by the composition root, never imported as singletons. */
export interface AppDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** Answers whether Temporal is reachable, for /ready. */
  temporalReady: () => Promise<boolean>;
  /** Prometheus metrics of this process (observability/metrics.ts); absent: nothing is counted. */
  metrics?: Metrics;
  /** With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): a server span per request. */
  tracer?: Tracer;
  /** The graceful stop of the server (api/drain.ts): /ready answers 503 while it runs. */
  drain?: Drain;
  /** Password that Postmark's webhooks must send (basic auth); unset disables the webhook. */
  postmarkWebhookToken?: string;
  /** Event site base (EVENT_SITE_URL): where an SSO login lands with its session. */
  eventSiteUrl?: string;
  /** Public base URL of this API (PUBLIC_API_URL), for OIDC redirect URIs and SCIM locations; else the request's origin. */
  publicApiUrl?: string;
  /** Minutes between runs of the scheduled access sweep (ACCESS_SWEEP_INTERVAL_MINUTES, default 15). */
  accessSweepMinutes?: number;
  /** OIDC issuers over http or on loopback addresses are accepted (development; default false). */
  allowInsecureIssuers?: boolean;
  /** Requests a minute per client address on each public token endpoint (default 30). */
  publicRateLimitPerMinute?: number;
  /** The Temporal payload codec served at /codec for the Web UI and CLI; the endpoint is off without a token. */
  codec?: { codec: PayloadCodec; token?: string; corsOrigins?: string[] };
  /** Prefix of the rate-limit counters: deployments sharing a database but not limits set one each. */
  rateLimitScope?: string;
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses and CIDRs); none by default. */
  trustedProxies?: readonly string[];
  /** Failed API-key attempts a minute per client address before 429 (default 20). */
  apiKeyFailuresPerMinute?: number;
  /** How long an attendee's workflow stays open after its event's end, in ms (ATTENDEE_WORKFLOW_RETENTION_DAYS; default 30 days). */
  attendeeRetentionMs?: number;
  /**
   * Outgoing webhook endpoints: whether their URLs may be on private networks
   * (WEBHOOK_ALLOW_PRIVATE_NETWORKS), and the box their signing secrets are sealed in (the payload
   * keys). Without it the webhook-endpoint routes answer 501.
   */
  webhooks?: { allowPrivateNetworks: boolean; secrets: SecretBox };
  /**
   * Opens the tokens of List-Unsubscribe links (domain/list-unsubscribe.ts): the payload keys'
   * box. Without it the unsubscribe endpoint and page answer 404.
   */
  unsubscribeTokens?: SecretBox;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** This request's EntityManager (api/shared/request-em.ts). */
    em: EntityManager;
    organizationId: string;
    /** Who is acting, for history rows: `api_key:<id>`. */
    actor: string;
    /** On attendee-facing routes that need a login: whose session this is. */
    attendeeSession: { attendeeId: string; eventId: string; organizationId: string };
    /** Set by a handler whose answer carries a secret shown once: the idempotency layer keeps no copy. */
    secretAnswer: boolean;
  };
};
