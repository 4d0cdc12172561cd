import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { migrate, openOrm } from '../db/orm';
import { ensureTemporalCli } from '../scripts/temporal-cli';
import { type PostmarkFake, startPostmarkFake } from '../test/support/postmark-fake';

const root = path.resolve(import.meta.dirname, '..');
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
      ],
    },
  });
  const name = `roster_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const orm = await openOrm({ kind: 'postgres', url: url.toString() });
  await migrate(orm, { kind: 'postgres', url: url.toString() });
  await orm.close();
  const postmark = await startPostmarkFake({ latencyMs: postmarkLatencyMs });
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
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RosterProcess {
  name: string;
  child: ChildProcess;
  /** Peak resident set size so far, in MB (VmHWM). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** One of Roster's entry points as its own process, as in production. */
export function startProcess(name: string, entry: string, env: Record<string, string>): RosterProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    name,
    child,
    peakRssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return Math.round(kb / 1024);
      } catch {
        return 0;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
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
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        const ok = await task(i).catch(() => false);
        durations.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return { durations, errors, seconds: (performance.now() - started) / 1000 };
}
