/** `npm run start:worker`: one worker process against TEMPORAL_ADDRESS and DATABASE_URL; run as many as needed. */
import { loadEnv } from '../config/env';
import { createLogger, createPayloadCodec, openDatabase, workerConfig } from '../config/services';
import { createMetrics, serveMetrics } from '../observability/metrics';
import { installTemporalRuntime } from '../observability/temporal';
import { tracingFromEnv } from '../observability/tracing';
import { serveWorkerHealth } from './health';
import { createWorker } from './worker';

const env = loadEnv();
const logger = createLogger(env);
if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
  throw new Error(
    'start:worker runs against shared servers: set TEMPORAL_ADDRESS and DATABASE_URL (or use npm start).',
  );
}
// Before any connection: the SDK's, Core's, workflows' and activities' lines through pino.
installTemporalRuntime(logger, { metricsAddress: env.WORKER_METRICS_ADDRESS });
const tracing = tracingFromEnv(env);
const metrics = env.METRICS_PORT ? createMetrics() : undefined;
const payloadCodec = createPayloadCodec(env, logger, { embedded: false });
const orm = await openDatabase(env, logger);
const { worker, connection, clientConnection } = await createWorker(
  workerConfig(env, logger, {
    temporalAddress: env.TEMPORAL_ADDRESS,
    orm,
    payloadCodec,
    telemetry: { metrics, tracing },
  }),
);
const health = env.WORKER_HEALTH_PORT
  ? await serveWorkerHealth(env.WORKER_HEALTH_PORT, { orm, connection, worker })
  : null;
const metricsServer =
  metrics && env.METRICS_PORT ? await serveMetrics(metrics.registry, env.METRICS_PORT) : null;
logger.info(
  {
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    health: env.WORKER_HEALTH_PORT ?? null,
    metrics: env.METRICS_PORT ?? null,
    sdkMetrics: env.WORKER_METRICS_ADDRESS ?? null,
    tracing: tracing ? env.OTEL_EXPORTER_OTLP_ENDPOINT : null,
  },
  'Roster worker running',
);
// The SDK's worker stops on SIGINT/SIGTERM by itself, finishing the tasks it holds (/ready: 503).
await worker.run();
health?.close();
metricsServer?.close();
await tracing?.shutdown();
await connection.close();
await clientConnection.close();
await orm.close();
