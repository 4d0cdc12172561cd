/**
 * Servers the chaos run owns outright, so it can restart them without disturbing anything else:
 * a PostgreSQL cluster of its own (initdb into a temporary folder) and a Temporal dev server on a
 * SQLite file that outlives its restarts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { connectTemporal } from '../../config/services';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { freePort } from '../support/processes';

/** The newest PostgreSQL server binaries: Debian's layout, else whatever is on PATH. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? path.join(root, versions[0], 'bin') : '';
}

export interface PrivatePostgres {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(dir: string): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const tool = (name: string) => (bin ? path.join(bin, name) : name);
  // initdb refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const run = (name: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', tool(name), ...args], { stdio: 'pipe' })
      : execFileSync(tool(name), args, { stdio: 'pipe' });
  mkdirSync(dir, { recursive: true });
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const ctl = (...args: string[]) =>
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', ...args]);
  ctl('-o', options, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      // Fast: open connections are cut, as in a failover or an upgrade.
      ctl('-m', 'fast', '-o', options, 'restart');
    },
    async stop() {
      try {
        ctl('-m', 'immediate', 'stop');
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
