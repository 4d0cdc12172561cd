/**
 * A real Temporal cluster for the cluster suite: the Temporal server (go.temporal.io/server, as
 * `npm run setup` installs it) on PostgreSQL persistence and visibility, started through the same
 * deploy/temporal/temporal.sh steps and config/base.yaml that deploy/compose.yaml runs, on free
 * ports and two fresh databases of the given PostgreSQL server, all removed by stop().
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findTemporalCli } from '../../scripts/temporal-cli';
import type { TemporalServerTools } from '../../scripts/temporal-server';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'deploy/temporal/temporal.sh');
async function admin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server of `adminUrl` (a superuser's URL); answers its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string) {
  await admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/**
 * A free port below 32768: Temporal keeps membership ports in a smallint column, and the
 * system's ephemeral ports (what port 0 gives) lie above it.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

export interface TemporalCluster {
  /** host:port of the frontend. */
  address: string;
  /** What the server has printed so far (warnings and errors). */
  log(): string;
  stop(): Promise<void>;
}

export async function startTemporalCluster(
  tools: TemporalServerTools,
  options: {
    /** A superuser's URL of the PostgreSQL server that gets Temporal's two databases. */
    adminUrl: string;
    shards: number;
    prefix: string;
    /** Custom search attributes the set-up adds, as `Name=Type` (temporal.sh). */
    searchAttributes?: string[];
  },
): Promise<TemporalCluster> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('the Temporal CLI is missing: run `npm run setup`');
  const id = randomUUID().replaceAll('-', '').slice(0, 10);
  const databases = [`${options.prefix}_${id}_temporal`, `${options.prefix}_${id}_visibility`];
  const pgUrl = new URL(options.adminUrl);
  const ports: Record<string, string> = {};
  const taken = new Set<number>();
  for (const name of [
    'FRONTEND_GRPC_PORT',
    'FRONTEND_HTTP_PORT',
    'FRONTEND_MEMBERSHIP_PORT',
    'HISTORY_GRPC_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'MATCHING_GRPC_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'WORKER_GRPC_PORT',
    'WORKER_MEMBERSHIP_PORT',
  ]) {
    ports[name] = String(await freeLowPort(taken));
  }
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const env = {
    PATH: [path.dirname(tools.server), path.dirname(cli), process.env.PATH ?? ''].join(':'),
    HOME: process.env.HOME ?? '',
    TEMPORAL_HOME: path.join(root, 'deploy/temporal'),
    TEMPORAL_SCHEMA_DIR: tools.schemaDir,
    POSTGRES_SEEDS: pgUrl.hostname,
    DB_PORT: pgUrl.port || '5432',
    POSTGRES_USER: decodeURIComponent(pgUrl.username) || 'postgres',
    POSTGRES_PWD: decodeURIComponent(pgUrl.password),
    DBNAME: databases[0] as string,
    VISIBILITY_DBNAME: databases[1] as string,
    NUM_HISTORY_SHARDS: String(options.shards),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_SEARCH_ATTRIBUTES: (options.searchAttributes ?? []).join(' '),
    ...ports,
  };
  const step = async (name: 'schema' | 'namespace') => {
    try {
      await promisify(execFile)('sh', [script, name], { env, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`temporal.sh ${name} failed:\n${stderr ?? ''}\n${(stdout ?? '').slice(-4000)}`);
    }
  };

  let server: ChildProcess | undefined;
  let output = '';
  const stop = async () => {
    const running = server;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    for (const name of databases) await dropDatabase(options.adminUrl, name);
  };
  try {
    // create-database, setup-schema and update-schema of both databases, as compose runs them.
    await step('schema');
    server = spawn('sh', [script, 'server'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200_000);
    };
    server.stdout?.on('data', collect);
    server.stderr?.on('data', collect);
    const died = new Promise<never>((_, reject) =>
      server?.once('exit', (code) => reject(new Error(`the Temporal server exited (${code}):\n${output}`))),
    );
    died.catch(() => undefined);
    // Waits for the frontend, creates the namespace and waits until the frontend serves it.
    await Promise.race([step('namespace'), died]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, log: () => output, stop };
}
