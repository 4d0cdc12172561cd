/**
 * `start:worker`'s probes on WORKER_HEALTH_PORT: `/health` (the process answers) and `/ready`
 * (PostgreSQL and Temporal reachable, and the worker polling: 503 while it starts or stops).
 */
import { type ServerType, serve } from '@hono/node-server';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { Hono } from 'hono';
import type { Orm } from '../db/orm';

const CHECK_TIMEOUT_MS = 3_000;

async function passes(check: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function workerHealthApp(parts: { orm: Orm; connection: NativeConnection; worker: Worker }) {
  return new Hono()
    .get('/health', (c) => c.json({ status: 'ok' as const }))
    .get('/ready', async (c) => {
      const [postgres, temporal] = await Promise.all([
        passes(() => parts.orm.em.fork().getConnection().execute('select 1')),
        passes(() => parts.connection.healthService.check({})),
      ]);
      const state = parts.worker.getState();
      const worker = state === 'RUNNING';
      const ok = postgres && temporal && worker;
      return c.json(
        {
          status: ok ? ('ready' as const) : ('not_ready' as const),
          checks: { postgres, temporal, worker },
          state,
        },
        ok ? 200 : 503,
      );
    });
}

/** Serves the probes on `port`; answers the listening server. */
export async function serveWorkerHealth(
  port: number,
  parts: { orm: Orm; connection: NativeConnection; worker: Worker },
): Promise<ServerType> {
  const server = serve({ fetch: workerHealthApp(parts).fetch, port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}
