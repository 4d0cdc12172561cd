/**
 * `npm start`: the whole service on one machine. Without TEMPORAL_ADDRESS it runs a Temporal
 * dev server of its own (SQLite file under ROSTER_DATA_DIR, Web UI on); without DATABASE_URL
 * it uses embedded PGlite, so the API and the worker share this one process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app';
import { loadEnv } from '../config/env';
import {
  appDeps,
  connectTemporal,
  createLogger,
  createPayloadCodec,
  openDatabase,
  workerConfig,
} from '../config/services';
import { createWorker } from '../worker/worker';
import { ensureTemporalCli } from './temporal-cli';

const env = loadEnv();
const logger = createLogger(env);
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
const dev = env.TEMPORAL_ADDRESS ? null : await startDevServer();
const temporalAddress = env.TEMPORAL_ADDRESS ?? (dev as { address: string }).address;

const orm = await openDatabase(env, logger);
const temporal = await connectTemporal(temporalAddress, env.TEMPORAL_NAMESPACE, payloadCodec);
const {
  worker,
  connection: workerConnection,
  clientConnection,
} = await createWorker(workerConfig(env, logger, { temporalAddress, orm, payloadCodec }));
const workerDone = worker.run();

const app = createApp(appDeps(env, { orm, temporal, logger, payloadCodec }));
const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => {
  // Printed whatever LOG_LEVEL says: this is how a person finds the service.
  const lines = [
    `Roster API      http://localhost:${info.port}   (reference: http://localhost:${info.port}/docs)`,
    dev
      ? `Temporal Web UI http://127.0.0.1:${UI_PORT}   (server ${dev.address})`
      : `Temporal        ${temporalAddress}`,
    env.POSTMARK_SERVER_TOKEN
      ? `Email           Postmark at ${env.POSTMARK_API_URL}`
      : `Email outbox    ${path.resolve(env.ROSTER_DATA_DIR, 'outbox')}`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  worker.shutdown();
  await workerDone.catch((error) => logger.error({ err: error }, 'worker stopped with an error'));
  await workerConnection.close();
  await clientConnection.close();
  await temporal.connection.close();
  await orm.close();
  if (dev) {
    dev.child.kill('SIGTERM');
    await new Promise((r) => dev.child.once('exit', r));
  }
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
