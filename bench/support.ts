import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { Agent, request } from 'undici';
import { devServerSearchAttributeArgs } from '../config/search-attributes';
import { migrate, openOrm } from '../db/orm';
import { ensureTemporalCli } from '../scripts/temporal-cli';
import { testPostgres } from '../test/support/postgres';
import { type PostmarkFake, startPostmarkFake } from '../test/support/postmark-fake';

const root = path.resolve(import.meta.dirname, '..');

export interface BenchServers {
  temporalAddress: string;
  databaseUrl: string;
  postmark: PostmarkFake;
  stop(): Promise<void>;
}

/** The real Temporal dev server, a fresh PostgreSQL database and a Postmark stand-in with latency. */
export async function startServers(postmarkLatencyMs = 20): Promise<BenchServers> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      log: { format: 'pretty', level: 'error' },
      // As a production server runs: the search-attribute cache on (the dev server turns it off),
      // and activities handed to the worker with its workflow task's answer (eager execution).
      extraArgs: [
        '--dynamic-config-value',
        'system.forceSearchAttributesCacheRefreshOnRead=false',
        '--dynamic-config-value',
        'system.enableActivityEagerExecution=true',
        ...devServerSearchAttributeArgs(),
      ],
    },
  });
  // The tests' server: 127.0.0.1:5432 when it answers, else an embedded one of this run's own.
  const postgres = await testPostgres();
  const adminUrl = postgres.adminUrl;
  const name = `roster_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const orm = await openOrm({ kind: 'postgres', url: url.toString() });
  await migrate(orm);
  await orm.close();
  // Envelopes only: a 100k import's bodies would hold gigabytes in the bench's own process.
  const postmark = await startPostmarkFake({ latencyMs: postmarkLatencyMs, keep: 'envelope' });
  return {
    temporalAddress: env.address,
    databaseUrl: url.toString(),
    postmark,
    async stop() {
      await postmark.close();
      await env.teardown();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
      await postgres.stop();
    },
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * How fast this machine's draw is, for comparing runs of different days (the same code's figures
 * differ by up to 2× between draws): fixed work timed in this process (JSON of 2 MB there and back,
 * SHA-256 of 16 MB) and in PostgreSQL (a sum over two million generated rows), median of five.
 */
export async function machineSpeed(databaseUrl: string) {
  const record = (i: number) => ({
    id: i,
    email: `person${i}@company${i % 500}.example.org`,
    tags: ['a', 'b'],
  });
  const json = Array.from({ length: 25_000 }, (_, i) => record(i));
  const bytes = Buffer.alloc(1024 * 1024, 7);
  const cpu = () => {
    const t0 = performance.now();
    if ((JSON.parse(JSON.stringify(json)) as unknown[]).length !== json.length)
      throw new Error('JSON round trip');
    const hash = createHash('sha256');
    for (let i = 0; i < 16; i++) hash.update(bytes);
    hash.digest();
    return performance.now() - t0;
  };
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const postgres = async () => {
    const t0 = performance.now();
    await db.query('select sum(i) from generate_series(1, 2000000) as i');
    return performance.now() - t0;
  };
  const cpuMs: number[] = [];
  const postgresMs: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      cpuMs.push(cpu());
      postgresMs.push(await postgres());
    }
  } finally {
    await db.end();
  }
  return { cpuMs: Math.round(median(cpuMs)), postgresMs: Math.round(median(postgresMs)) };
}

// Ports as the tests take them: below the kernel's ephemeral range.
export { freePort } from '../test/support/processes';

export interface RssSample {
  /** Seconds since the process started. */
  t: number;
  mb: number;
}

export interface RosterProcess {
  name: string;
  child: ChildProcess;
  /** Peak resident set size since the start or the last resetPeakRss(), in MB (VmHWM). */
  peakRssMb(): number;
  /** Starts a new peak (Linux: writing 5 to /proc/<pid>/clear_refs resets VmHWM). */
  resetPeakRss(): void;
  /** The peak over the whole life of the process, resets included. */
  maxRssMb(): number;
  /** Resident set size now. */
  rssMb(): number;
  /** Resident set size sampled every 500 ms since the start. */
  rssSamples(): RssSample[];
  stop(): Promise<void>;
}

const statusMb = (pid: number | undefined, field: 'VmHWM' | 'VmRSS') => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
};

/** One of Roster's entry points as its own process, as in production. */
export function startProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): RosterProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const started = performance.now();
  const samples: RssSample[] = [];
  let lifetimePeak = 0;
  const sampler = setInterval(() => {
    const t = Math.round((performance.now() - started) / 100) / 10;
    samples.push({ t, mb: statusMb(child.pid, 'VmRSS') });
  }, 500);
  sampler.unref();
  child.once('exit', () => clearInterval(sampler));
  return {
    name,
    child,
    peakRssMb: () => statusMb(child.pid, 'VmHWM'),
    resetPeakRss() {
      lifetimePeak = Math.max(lifetimePeak, statusMb(child.pid, 'VmHWM'));
      writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
    },
    maxRssMb: () => Math.max(lifetimePeak, statusMb(child.pid, 'VmHWM'), ...samples.map((s) => s.mb)),
    rssMb: () => statusMb(child.pid, 'VmRSS'),
    rssSamples: () => [...samples],
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * An npm script of the form `[VAR=value …] tsx [--node-flag …] entry.ts` as a RosterProcess, so
 * the bench measures the process exactly as `npm run <script>` starts it (memory flags included).
 */
export function startNpmScript(
  name: string,
  script: string,
  env: Record<string, string>,
  extraNodeArgs: string[] = [],
): RosterProcess {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (pkg.scripts[script] ?? '').split(/\s+/).filter(Boolean);
  const scriptEnv: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [key, ...value] = (words.shift() as string).split('=');
    scriptEnv[key as string] = value.join('=');
  }
  const entry = words.at(-1);
  if (
    words.shift() !== 'tsx' ||
    !entry?.endsWith('.ts') ||
    words.slice(0, -1).some((w) => !w.startsWith('--'))
  ) {
    throw new Error(`npm script ${script} is not "[VAR=value …] tsx [--flag …] entry.ts"`);
  }
  return startProcess(name, entry, { ...scriptEnv, ...env }, [...words.slice(0, -1), ...extraNodeArgs]);
}

export async function waitForReady(baseUrl: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/ready`)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl} not ready`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Percentiles of a list of durations (ms). */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { n: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

/** Runs `task` `total` times with `concurrency` at once; returns each duration and the errors. */
export async function load(total: number, concurrency: number, task: (i: number) => Promise<boolean>) {
  const durations: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        const ok = await task(i).catch((error: unknown) => {
          firstError ??= error;
          return false;
        });
        durations.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return { durations, errors, firstError, seconds: (performance.now() - started) / 1000 };
}

/**
 * `load` for a floor: a floor that fails even once is no floor (an error returns faster than the
 * work it stands for), so the bench stops there.
 */
export async function floorLoad(
  name: string,
  total: number,
  concurrency: number,
  task: (i: number) => Promise<boolean>,
) {
  const run = await load(total, concurrency, task);
  if (run.errors > 0) {
    const cause = run.firstError instanceof Error ? run.firstError.message : 'a sample answered false';
    throw new Error(`the ${name} failed ${run.errors} of ${total} times: ${cause}`);
  }
  return run;
}

/**
 * The client of every timed request: undici's own `request` on a pool of keep-alive connections.
 * `fetch` (undici's WHATWG layer over the same pool) cost this process 0.27–0.51 ms of CPU a
 * request against 0.10–0.12 ms, and at 50 clients on `/health` a p99 of 71–121 ms against
 * 23–26 ms: time of the bench's own, counted as Roster's (the SQL floors use a lean client, pg).
 */
const timedPool = new Agent({ connections: 128 });

export interface TimedAnswer {
  status: number;
  body: Buffer;
}

export async function timedRequest(
  url: string,
  init: {
    method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<TimedAnswer> {
  const res = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    dispatcher: timedPool,
  });
  return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
}

/** JSON calls to a running Roster with an API key, and a new event a minute's work away. */
export function apiCaller(base: string, apiKey: string) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', route: string, body?: unknown) => {
    const res = await timedRequest(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: JSON.parse(res.body.toString()) as Record<string, unknown> };
  };
  const newEvent = async (name: string) =>
    (
      await call('POST', '/v1/events', {
        name,
        startsAt: '2030-01-01T09:00:00Z',
        endsAt: '2030-01-02T17:00:00Z',
        timezone: 'UTC',
      })
    ).json.id as string;
  return { call, newEvent };
}

/**
 * Signs in to the organizer console as a browser does: GET the sign-in form (its
 * `roster_console_csrf` cookie and hidden `csrf` field), POST the form with the API key from
 * this origin, keep the `roster_console` session cookie. Answers the Cookie header to send.
 */
export async function consoleSignIn(base: string, apiKey: string): Promise<string> {
  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] ?? '')
      .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);
  const form = await fetch(`${base}/console/sign-in`);
  const html = await form.text();
  const csrfCookie = cookieOf(form, 'roster_console_csrf');
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (form.status !== 200 || !csrfCookie || !csrf) throw new Error('console sign-in: no form or CSRF token');
  const res = await fetch(`${base}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: csrfCookie,
      origin: base,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ csrf, next: '/console/events', apiKey }).toString(),
  });
  await res.arrayBuffer();
  const session = cookieOf(res, 'roster_console');
  if (res.status !== 303 || !session) throw new Error(`console sign-in: answered ${res.status}, no session`);
  return session;
}
