import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import pino, { type Logger } from 'pino';
import {
  createOutboxTransport,
  createPostmarkTransport,
  type EmailTransport,
} from '../activities/email-transport';
import type { AppDeps } from '../api/context';
import { databaseTarget, migrate, type Orm, openOrm } from '../db/orm';
import { ensureOrganizationKey } from '../db/queries/organizations';
import { hashSecret } from '../domain/secrets';
import type { WorkerConfig } from '../worker/worker';
import { allowInsecureIssuers, type Env } from './env';
import { EncryptionCodec, newKeyEntry, parseKeyring } from './payload-codec';

export function createLogger(env: Pick<Env, 'LOG_LEVEL'>): Logger {
  return pino({
    level: env.LOG_LEVEL,
    // Secrets never reach the logs.
    redact: ['req.headers.authorization', '*.apiKey', '*.token', '*.serverToken'],
  });
}

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

/** A bootstrap key shorter than this is accepted (the quick start's) but warned about. */
export const MIN_API_KEY_LENGTH = 32;

export function warnIfWeakApiKey(key: string, logger: Logger) {
  if (key.length >= MIN_API_KEY_LENGTH) return;
  logger.warn(
    { length: key.length, minimum: MIN_API_KEY_LENGTH },
    `ROSTER_API_KEY is shorter than ${MIN_API_KEY_LENGTH} characters and can be guessed: outside a local trial, use a random key (openssl rand -base64 32)`,
  );
}

/** Opens the database, applies committed migrations and provisions the ROSTER_API_KEY bootstrap key. */
export async function openDatabase(env: Env, logger: Logger): Promise<Orm> {
  const target = databaseTarget(env.DATABASE_URL, env.ROSTER_DATA_DIR);
  const orm = await openOrm(target);
  await migrate(orm, target);
  if (env.ROSTER_API_KEY) {
    warnIfWeakApiKey(env.ROSTER_API_KEY, logger);
    await ensureOrganizationKey(
      orm.em.fork(),
      'default',
      'Default organization',
      hashSecret(env.ROSTER_API_KEY),
    );
  }
  logger.info(
    { database: target.kind === 'postgres' ? 'postgres' : `pglite:${target.dataDir}` },
    'database ready',
  );
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

/** The worker's settings from the environment: one place for `npm start` and `npm run start:worker`. */
export function workerConfig(
  env: Env,
  logger: Logger,
  parts: { temporalAddress: string; orm: Orm; payloadCodec: PayloadCodec },
): WorkerConfig {
  return {
    temporalAddress: parts.temporalAddress,
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
    },
  };
}

export async function connectTemporal(address: string, namespace: string, payloadCodec?: PayloadCodec) {
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace,
    dataConverter: payloadCodec ? { payloadCodecs: [payloadCodec] } : undefined,
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
  },
): AppDeps {
  return {
    orm: services.orm,
    temporal: services.temporal.client,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger: services.logger,
    temporalReady: services.temporal.ready,
    postmarkWebhookToken: env.POSTMARK_WEBHOOK_TOKEN,
    publicRateLimitPerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustedProxies: env.TRUSTED_PROXIES,
    apiKeyFailuresPerMinute: env.API_KEY_FAILURES_PER_MINUTE,
    attendeeRetentionMs: env.ATTENDEE_WORKFLOW_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    eventSiteUrl: env.EVENT_SITE_URL,
    publicApiUrl: env.PUBLIC_API_URL,
    accessSweepMinutes: env.ACCESS_SWEEP_INTERVAL_MINUTES,
    allowInsecureIssuers: allowInsecureIssuers(env),
    codec: {
      codec: services.payloadCodec,
      token: env.ROSTER_CODEC_TOKEN,
      corsOrigins: env.ROSTER_CODEC_CORS_ORIGINS,
    },
  };
}
