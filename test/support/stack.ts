import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger as TemporalLogger } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { inject } from 'vitest';
import type { BulkActionFaults } from '../../activities/bulk-action.activities';
import type { WebhookDeliverySettings } from '../../activities/deps';
import { createPostmarkTransport } from '../../activities/email-transport';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import { EncryptionCodec, newKeyEntry, parseKeyring } from '../../config/payload-codec';
import { connectTemporal } from '../../config/services';
import { openOrm } from '../../db/orm';
import { ensureOrganizationKey } from '../../db/queries/organizations';
import { unsubscribeLinks } from '../../domain/list-unsubscribe';
import { hashSecret } from '../../domain/secrets';
import { temporalLogger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import type { Tracing } from '../../observability/tracing';
import { createWorker } from '../../worker/worker';
import { startPostmarkFake } from './postmark-fake';

export const EVENT_SITE_URL = 'https://events.example.test';
export const WEBHOOK_TOKEN = 'webhook-secret';

/**
 * The whole service for one test file: API on a real port, a worker on its own task queue,
 * the shared Temporal dev server and test database, and a Postmark fake.
 */
// Activity retries (injected Postmark failures) are expected here; keep the SDK's warnings out of the output.
// As in production, through pino (observability/logger.ts): errors only, unless a test gives
// startStack a logger, which then gets the SDK's, the workflows' and the activities' lines too.
let sdkLog = temporalLogger(pino({ level: 'error' }));
const sdkLogForward: TemporalLogger = {
  log: (level, message, meta) => sdkLog.log(level, message, meta),
  trace: (message, meta) => sdkLog.trace(message, meta),
  debug: (message, meta) => sdkLog.debug(message, meta),
  info: (message, meta) => sdkLog.info(message, meta),
  warn: (message, meta) => sdkLog.warn(message, meta),
  error: (message, meta) => sdkLog.error(message, meta),
};
Runtime.install({
  logger: sdkLogForward,
  telemetryOptions: {
    logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
  },
});

export const CODEC_TOKEN = `codec-${randomBytes(24).toString('base64url')}`;

export async function startStack(
  options: {
    publicRateLimitPerMinute?: number;
    logger?: pino.Logger;
    app?: Partial<AppDeps>;
    /** Test-only faults injected into the bulk actions' pages (worker/worker.ts). */
    bulkActionFaults?: BulkActionFaults;
    /** Webhook delivery settings; by default private networks are allowed (receivers on 127.0.0.1) and retries are short. */
    webhooks?: Partial<Omit<WebhookDeliverySettings, 'secrets'>>;
    /** POSTMARK_BROADCAST_STREAM: bulk sends on this stream with List-Unsubscribe links to this API. */
    broadcastStream?: string;
    /** Metrics and traces (observability/), as the composition roots pass them. */
    telemetry?: { metrics?: Metrics; tracing?: Tracing };
  } = {},
) {
  if (options.logger) sdkLog = temporalLogger(options.logger);
  const { metrics, tracing } = options.telemetry ?? {};
  const postmark = await startPostmarkFake();
  let baseUrl = '';
  const orm = await openOrm({ kind: 'postgres', url: inject('databaseUrl') }, { pool: 5 });
  const temporalAddress = inject('temporalAddress');
  const taskQueue = `test-${randomUUID()}`;
  // As in production, everything the API and the worker send to Temporal is encrypted.
  const payloadCodec = new EncryptionCodec(parseKeyring(newKeyEntry('test')));
  const temporal = await connectTemporal(temporalAddress, 'default', payloadCodec, { tracing });
  const logger = options.logger ?? pino({ level: 'silent' });
  const webhooks: WebhookDeliverySettings = {
    allowPrivateNetworks: true,
    attemptTimeoutMs: 2_000,
    retry: { initialMs: 200, maxIntervalMs: 2_000, windowMs: 60 * 60 * 1000 },
    disableAfterMs: 5 * 24 * 60 * 60 * 1000,
    ...options.webhooks,
    secrets: payloadCodec.secretBox(),
  };
  const { worker, connection, clientConnection } = await createWorker({
    temporalAddress,
    namespace: 'default',
    taskQueue,
    workflowBundle: { code: inject('workflowBundleCode') },
    payloadCodec,
    ...(options.bulkActionFaults ? { bulkActionFaults: options.bulkActionFaults } : {}),
    ...(tracing ? { tracing } : {}),
    activityDeps: {
      orm,
      ...(metrics ? { metrics } : {}),
      // Short, so calls that time out after Postmark took them are retried within a test.
      email: createPostmarkTransport(postmark.serverToken, postmark.url, 3),
      emailFrom: 'Roster <events@roster.test>',
      eventSiteUrl: EVENT_SITE_URL,
      webhooks,
      ...(options.broadcastStream
        ? {
            broadcast: {
              stream: options.broadcastStream,
              // This API's address is known once it listens, before anything is sent.
              unsubscribeUrl: (attendeeId: string, eventId: string) =>
                unsubscribeLinks(baseUrl, webhooks.secrets)(attendeeId, eventId),
            },
          }
        : {}),
      ...(options.app?.attendeeRetentionMs ? { attendeeRetentionMs: options.app.attendeeRetentionMs } : {}),
    },
  });
  const workerRun = worker.run();
  const app = createApp({
    orm,
    temporal: temporal.client,
    taskQueue,
    logger,
    temporalReady: temporal.ready,
    ...(metrics ? { metrics } : {}),
    ...(tracing ? { tracer: tracing.tracer } : {}),
    postmarkWebhookToken: WEBHOOK_TOKEN,
    // The OIDC provider fake runs on http://127.0.0.1: a development setting.
    allowInsecureIssuers: true,
    publicRateLimitPerMinute: options.publicRateLimitPerMinute ?? 10_000,
    rateLimitScope: `${taskQueue}:`,
    webhooks: { allowPrivateNetworks: webhooks.allowPrivateNetworks, secrets: webhooks.secrets },
    unsubscribeTokens: webhooks.secrets,
    ...options.app,
    codec: { codec: payloadCodec, token: CODEC_TOKEN, corsOrigins: ['http://localhost:8233'] },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** A new organization with its own API key, as a tenant. */
  async function createOrganization() {
    const key = `rk_${randomBytes(32).toString('base64url')}`;
    const slug = `org-${randomUUID()}`;
    const organizationId = await ensureOrganizationKey(orm.em.fork(), slug, slug, hashSecret(key));
    return { organizationId, key, client: client(key) };
  }

  /** fetch against the API with a bearer key and JSON. */
  function client(key?: string) {
    return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    };
  }

  async function close() {
    server.close();
    worker.shutdown();
    await workerRun;
    await connection.close();
    await clientConnection.close();
    await temporal.connection.close();
    await orm.close();
    await postmark.close();
  }

  /** What a replay of this stack's (encrypted) histories needs: the workers' bundle and codec. */
  const replayOptions = () => ({
    workflowBundle: { code: inject('workflowBundleCode') },
    dataConverter: { payloadCodecs: [payloadCodec] },
  });

  return {
    baseUrl,
    postmark,
    orm,
    temporal: temporal.client,
    payloadCodec,
    replayOptions,
    taskQueue,
    createOrganization,
    client,
    close,
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sampleEvent = (overrides: Record<string, unknown> = {}) => ({
  name: 'Launch Week',
  startsAt: '2027-03-01T09:00:00Z',
  endsAt: '2027-03-03T17:00:00Z',
  timezone: 'Europe/Berlin',
  ...overrides,
});
