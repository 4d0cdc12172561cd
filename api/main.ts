/** `npm run start:api`: the API alone, against TEMPORAL_ADDRESS and DATABASE_URL (for scaling out). */
import { serve } from '@hono/node-server';
import { loadEnv } from '../config/env';
import { appDeps, connectTemporal, createLogger, createPayloadCodec, openDatabase } from '../config/services';
import { temporalConnection } from '../config/temporal-connection';
import { exitAfterLogs } from '../observability/logger';
import { addDatabaseGauges, createMetrics, serveMetrics } from '../observability/metrics';
import { tracingFromEnv } from '../observability/tracing';
import { createApp } from './app';
import { createDrain, onStopSignals, stopServer, trackRequests } from './drain';

const env = loadEnv();
const logger = createLogger(env);
if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
  throw new Error(
    'start:api runs against shared servers: set TEMPORAL_ADDRESS and DATABASE_URL (or use npm start).',
  );
}
const tracing = tracingFromEnv(env);
const metrics = env.METRICS_PORT ? createMetrics() : undefined;
const payloadCodec = createPayloadCodec(env, logger, { embedded: false });
const orm = await openDatabase(env, logger);
if (metrics) addDatabaseGauges(metrics, orm);
const temporal = await connectTemporal(
  temporalConnection(env, env.TEMPORAL_ADDRESS),
  env.TEMPORAL_NAMESPACE,
  payloadCodec,
  { tracing },
);
const drain = createDrain();
const app = createApp(
  appDeps(env, { orm, temporal, logger, payloadCodec, telemetry: { metrics, tracing }, drain }),
);
const server = serve({ fetch: app.fetch, port: env.PORT }, (info) =>
  logger.info(
    { metrics: env.METRICS_PORT ?? null, tracing: tracing ? env.OTEL_EXPORTER_OTLP_ENDPOINT : null },
    `Roster API on :${info.port}`,
  ),
);
trackRequests(server, drain);
const metricsServer =
  metrics && env.METRICS_PORT ? await serveMetrics(metrics.registry, env.METRICS_PORT) : null;

// Requests in flight and open event streams finish (SHUTDOWN_GRACE_MS at most) before the
// database and Temporal connections close.
onStopSignals(logger, async (signal, cut) => {
  logger.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
  await stopServer(server, drain, { graceMs: env.SHUTDOWN_GRACE_MS, logger, cut });
  metricsServer?.close();
  await tracing?.shutdown();
  await temporal.connection.close();
  await orm.close();
  logger.info('stopped');
  await exitAfterLogs(logger, 0);
});
