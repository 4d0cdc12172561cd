import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { newKeyEntry } from '../../config/payload-codec';
import { openOrm } from '../../db/orm';
import { ensureOrganizationKey } from '../../db/queries/organizations';
import { hashSecret } from '../../domain/secrets';

const root = path.resolve(import.meta.dirname, '../..');

/** Listens on `port` (0: any) and lets it go: the port it got, or null when it was taken. */
function tryPort(port: number): Promise<number | null> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: got } = server.address() as { port: number };
      server.close(() => resolve(got));
    });
  });
}

/** Where `freePort` starts looking: above the ports servers are usually given (a taken one is skipped). */
const PORTS_FROM = 10_000;

/** The low end of the kernel's ephemeral range, from which outgoing connections take their ports. */
function ephemeralLow(): number | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return low > PORTS_FROM + 1000 ? low : null;
  } catch {
    return null;
  }
}

/**
 * A port that was free a moment ago, for a process about to listen on it: below the kernel's
 * ephemeral range where it has one. A port from that range (what `listen(0)` gives) can be taken
 * by any outgoing connection before the process listens, as parallel tests' connections did.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let attempt = 0; low !== null && attempt < 50; attempt++) {
    const port = await tryPort(PORTS_FROM + Math.floor(Math.random() * (low - PORTS_FROM)));
    if (port !== null) return port;
  }
  const port = await tryPort(0);
  if (port === null) throw new Error('no free port');
  return port;
}

/** Runs one of the project's entry points as its own process, the way `npm start` would. */
export function runEntry(entry: string, env: Record<string, string>) {
  // As the npm scripts run them: `__proto__` throws (defence against prototype pollution).
  const child = spawn(process.execPath, ['--disable-proto=throw', '--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

export async function waitForHttp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not up within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGINT',
): Promise<number | null> {
  // Ended already (a signal leaves exitCode null): no exit event is coming.
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

/** An HTTP call to a Roster process with an API key; JSON bodies unless a type is given. */
export async function callApi(
  base: string,
  key: string,
  method: string,
  route: string,
  body?: string | object,
  type = 'application/json',
) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  return { status: res.status, json: (await res.json().catch(() => undefined)) as any };
}

/**
 * The environment of `start:api` / `start:worker` against the test's Temporal, database and
 * Postmark fake, with an API key of an organization of the test's own, made in the database
 * (the run's database is shared with files running at the same time, and ROSTER_API_KEY's
 * "default" organization would be theirs too: an organization's webhooks would see their events).
 * `bootstrapKey`: a database of the test's own, still empty, where the processes' ROSTER_API_KEY
 * makes the organization once they have migrated it.
 */
export async function sharedServersEnv(
  postmark: { serverToken: string; url: string },
  queuePrefix: string,
  shared: { databaseUrl: string; temporalAddress: string },
  options: { bootstrapKey?: boolean } = {},
) {
  const port = await freePort();
  const key = `rk_${randomUUID()}`;
  if (!options.bootstrapKey) {
    const orm = await openOrm({ kind: 'postgres', url: shared.databaseUrl }, { pool: 1 });
    try {
      const slug = `org-${randomUUID()}`;
      await ensureOrganizationKey(orm.em.fork(), slug, slug, hashSecret(key));
    } finally {
      await orm.close();
    }
  }
  const env = {
    PORT: String(port),
    DATABASE_URL: shared.databaseUrl,
    TEMPORAL_ADDRESS: shared.temporalAddress,
    TEMPORAL_TASK_QUEUE: `${queuePrefix}-${randomUUID()}`,
    POSTMARK_SERVER_TOKEN: postmark.serverToken,
    POSTMARK_API_URL: postmark.url,
    ...(options.bootstrapKey ? { ROSTER_API_KEY: key } : {}),
    // The API and the worker processes share it, as every process of one deployment must.
    ROSTER_PAYLOAD_KEYS: newKeyEntry('test'),
    // Webhook receivers of the tests listen on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  return { env, key, base: `http://127.0.0.1:${port}` };
}
