/**
 * The Temporal server and its SQL schema tool, for the cluster tests (test/cluster) and anyone who
 * runs a real cluster from deploy/: built from the same Go module as the CLI's embedded dev server
 * (go.temporal.io/server) into .tools/bin, with the module's PostgreSQL schema copied next to them.
 * `npm run setup` installs them once; later runs find them and return at once.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { toolsBin } from './temporal-cli';

/** The server the Temporal CLI v1.5.1 embeds as its dev server. */
export const SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const tools = path.dirname(toolsBin);

export interface TemporalServerTools {
  /** `temporal-server` (go.temporal.io/server/cmd/server). */
  server: string;
  /** `temporal-sql-tool` (go.temporal.io/server/cmd/tools/sql). */
  sqlTool: string;
  /** The module's schema/postgresql/v12: `temporal/versioned` and `visibility/versioned`. */
  schemaDir: string;
}

const installed = (): TemporalServerTools => ({
  server: path.join(toolsBin, 'temporal-server'),
  sqlTool: path.join(toolsBin, 'temporal-sql-tool'),
  // Versioned: it is copied last, so it also says the binaries beside it are of this version.
  schemaDir: path.join(tools, 'temporal-schema', SERVER_VERSION, 'postgresql', 'v12'),
});

/** The installed server, SQL tool and schema of SERVER_VERSION, or undefined. */
export function findTemporalServer(): TemporalServerTools | undefined {
  const found = installed();
  return existsSync(found.server) && existsSync(found.sqlTool) && existsSync(found.schemaDir)
    ? found
    : undefined;
}

function goBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined;
}

/** Makes a copy out of Go's read-only module cache writable, so `rm -rf .tools` works for anyone. */
function makeWritable(dir: string) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) makeWritable(file);
    else chmodSync(file, 0o644);
  }
}

export function ensureTemporalServer(log: (line: string) => void = console.error): TemporalServerTools {
  const found = findTemporalServer();
  if (found) return found;
  const go = goBinary();
  if (!go) {
    throw new Error(
      [
        `The Temporal server ${SERVER_VERSION} (for the cluster tests and deploy/) is built with Go:`,
        'install Go (https://go.dev/dl) and run `npm run setup`.',
      ].join('\n'),
    );
  }
  const target = installed();
  log(
    `Installing the Temporal server and SQL tool ${SERVER_VERSION} into ${toolsBin} with Go (a few minutes, once)...`,
  );
  // Built aside and renamed: `server` and `sql` are too generic for a bin folder.
  const gobin = path.join(tools, `.go-install-${process.pid}`);
  rmSync(gobin, { recursive: true, force: true });
  try {
    // One `go install` for both: they share most packages, built once.
    execFileSync(
      go,
      ['install', `${MODULE}/cmd/server@${SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${SERVER_VERSION}`],
      { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: gobin } },
    );
    mkdirSync(toolsBin, { recursive: true });
    renameSync(path.join(gobin, 'server'), target.server);
    renameSync(path.join(gobin, 'sql'), target.sqlTool);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  const modCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const source = path.join(modCache, `${MODULE}@${SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  const staging = `${target.schemaDir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const part of ['temporal', 'visibility'])
    cpSync(path.join(source, part), path.join(staging, part), { recursive: true });
  makeWritable(staging);
  rmSync(target.schemaDir, { recursive: true, force: true });
  renameSync(staging, target.schemaDir);
  return target;
}

if (import.meta.main) {
  console.log(ensureTemporalServer().server);
}
