/**
 * The PostgreSQL server the tests and the bench create their databases on: TEST_DATABASE_ADMIN_URL
 * when set; else the server on 127.0.0.1:5432 when one answers there; else (or always, with
 * TEST_EMBEDDED_POSTGRES=1) an embedded PostgreSQL of the run's own (db/embedded-postgres.ts) in
 * a temporary folder, stopped and removed by stop(). So `npm test` needs no PostgreSQL installed.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';

export const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPostgres {
  /** A superuser URL of the server's `postgres` database. */
  adminUrl: string;
  /** Where it came from, for the run's log. */
  kind: 'configured' | 'local' | 'embedded';
  stop(): Promise<void>;
}

async function answers(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function testPostgres(): Promise<TestPostgres> {
  const none = async () => undefined;
  const configured = process.env.TEST_DATABASE_ADMIN_URL;
  const forceEmbedded = ['1', 'true'].includes(process.env.TEST_EMBEDDED_POSTGRES ?? '');
  if (configured && !forceEmbedded) return { adminUrl: configured, kind: 'configured', stop: none };
  if (!forceEmbedded && (await answers(LOCAL_ADMIN_URL))) {
    return { adminUrl: LOCAL_ADMIN_URL, kind: 'local', stop: none };
  }
  // Traversable by the user postgres, which runs the server when the tests run as root.
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-test-postgres-'));
  chmodSync(dir, 0o755);
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), mode: 'throwaway' });
    return {
      adminUrl: server.url('postgres'),
      kind: 'embedded',
      async stop() {
        try {
          await server.stop();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
