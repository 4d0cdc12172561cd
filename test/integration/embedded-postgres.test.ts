import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../db/embedded-postgres';

const root = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function newDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-embedded-pg-'));
  // Reachable by the user postgres, which runs the server when the tests run as root.
  chmodSync(dir, 0o755);
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function started(options: Parameters<typeof startEmbeddedPostgres>[0]) {
  const server = await startEmbeddedPostgres(options);
  cleanups.push(() => server.stop());
  return server;
}

describe('embedded PostgreSQL (npm start without DATABASE_URL)', () => {
  it('creates a password-protected PostgreSQL 18 cluster with pg_trgm, keeps its data and stops with nothing left running', async () => {
    const dataDir = path.join(newDir(), 'postgres');
    const first = await started({ dataDir, mode: 'durable', database: 'roster' });
    expect(first.version).toMatch(/^18\./);
    expect(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim()).toBe('18');
    await query(
      first.url(),
      "create extension pg_trgm; create table kept (v text); insert into kept values ('still here')",
    );
    expect(
      await query(
        first.url(),
        "select similarity('roster', 'rooster') > 0.3 as close, current_database() as db",
      ),
    ).toEqual([{ close: true, db: 'roster' }]);
    // Only with the generated password, kept 0600 inside the cluster's folder.
    const anonymous = new URL(first.url());
    anonymous.password = '';
    await expect(query(anonymous.toString(), 'select 1')).rejects.toThrow(/password/);
    expect(statSync(path.join(dataDir, 'roster.password')).mode & 0o077).toBe(0);

    await first.stop();
    expect(alive(first.pid)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = await started({ dataDir, mode: 'durable', database: 'roster' });
    expect(second.url()).not.toBe(first.url());
    expect(await query(second.url(), 'select v from kept')).toEqual([{ v: 'still here' }]);
  });

  it('starts over a stale postmaster.pid left by a crash of the server', async () => {
    const dataDir = path.join(newDir(), 'postgres');
    const first = await started({ dataDir, mode: 'durable', database: 'roster' });
    await query(first.url(), 'create table kept (v int); insert into kept values (1)');
    process.kill(first.pid, 'SIGKILL');
    await expect.poll(() => alive(first.pid)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);

    const second = await started({ dataDir, mode: 'durable', database: 'roster' });
    expect(await query(second.url(), 'select v from kept')).toEqual([{ v: 1 }]);
  });

  it('stops the server a killed Roster left running, and refuses a folder another live Roster uses', async () => {
    const dataDir = path.join(newDir(), 'postgres');
    // A Roster stand-in that starts the server and is then killed without a chance to stop it.
    const owner = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
         const s = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, mode: 'durable' });
         console.log(JSON.stringify({ pid: s.pid, url: s.url() }));
         setInterval(() => {}, 1000);`,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(async () => owner.exitCode === null && owner.kill('SIGKILL'));
    const orphan = await new Promise<{ pid: number; url: string }>((resolve, reject) => {
      owner.stdout.once('data', (d) => resolve(JSON.parse(String(d))));
      owner.once('exit', (code) => reject(new Error(`the owner exited with ${code}`)));
    });
    cleanups.push(async () => alive(orphan.pid) && process.kill(orphan.pid, 'SIGKILL'));

    await expect(startEmbeddedPostgres({ dataDir, mode: 'durable' })).rejects.toThrow(
      `is in use by process ${owner.pid}`,
    );
    expect(await query(orphan.url, 'select 1 as one')).toEqual([{ one: 1 }]);

    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    expect(alive(orphan.pid)).toBe(true);

    const next: EmbeddedPostgres = await started({ dataDir, mode: 'durable' });
    expect(alive(orphan.pid)).toBe(false);
    expect(await query(next.url(), 'select 1 as one')).toEqual([{ one: 1 }]);
  });
});
