import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import {
  createOutboxTransport,
  createPostmarkTransport,
  type EmailTransport,
} from '../activities/email-transport';
import { hashApiKey } from '../api/auth';
import type { AppDeps } from '../api/context';
import { databaseTarget, migrate, type Orm, openOrm } from '../db/orm';
import { ensureOrganizationKey } from '../db/queries/organizations';
import type { Env } from './env';

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

/** Opens the database, applies committed migrations and provisions the ROSTER_API_KEY bootstrap key. */
export async function openDatabase(env: Env, logger: Logger): Promise<Orm> {
  const target = databaseTarget(env.DATABASE_URL, env.ROSTER_DATA_DIR);
  const orm = await openOrm(target);
  await migrate(orm, target);
  if (env.ROSTER_API_KEY) {
    await ensureOrganizationKey(
      orm.em.fork(),
      'default',
      'Default organization',
      hashApiKey(env.ROSTER_API_KEY),
    );
  }
  logger.info(
    { database: target.kind === 'postgres' ? 'postgres' : `pglite:${target.dataDir}` },
    'database ready',
  );
  return orm;
}

export async function connectTemporal(address: string, namespace: string) {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
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
  services: { orm: Orm; temporal: Awaited<ReturnType<typeof connectTemporal>>; logger: Logger },
): AppDeps {
  return {
    orm: services.orm,
    temporal: services.temporal.client,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger: services.logger,
    temporalReady: services.temporal.ready,
    postmarkWebhookToken: env.POSTMARK_WEBHOOK_TOKEN,
    publicRateLimitPerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE,
    eventSiteUrl: env.EVENT_SITE_URL,
    publicApiUrl: env.PUBLIC_API_URL,
    accessSweepMinutes: env.ACCESS_SWEEP_INTERVAL_MINUTES,
  };
}
