/**
 * A graceful stop of the API's HTTP server (`start:api`, `npm start`): on SIGTERM/SIGINT it stops
 * accepting connections and answers /ready with 503, waits for the requests in flight and the
 * open event streams (imports', bulk actions') to finish, at most SHUTDOWN_GRACE_MS; then it ends
 * the streams still open (cleanly: the client sees the stream end and reconnects elsewhere) and
 * cuts what is left. Only then does the caller close Temporal and the database.
 */
import type { Server } from 'node:http';
import type { ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import { exitAfterLogs } from '../observability/logger';

export interface Drain {
  /** True once the stop has begun: /ready answers 503 so load balancers move on. */
  readonly draining: boolean;
  /**
   * One piece of work the stop waits for; `end` stops it early when the grace has run out (an
   * event stream). Answers its release (idempotent).
   */
  hold(end?: () => void): () => void;
}

export function createDrain(): Drain & {
  /**
   * Waits for the held work, at most `graceMs` or until `cut` settles. Answers what it waited for
   * (requests, streams among them) and how many streams it had to end.
   */
  drain(graceMs: number, cut?: Promise<void>): Promise<{ requests: number; streams: number; ended: number }>;
} {
  let draining = false;
  let active = 0;
  const ends = new Set<() => void>();
  const idleWaiters = new Set<() => void>();
  const whenIdle = () =>
    active === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.add(resolve));
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms).unref();
    });
  return {
    get draining() {
      return draining;
    },
    hold(end) {
      active += 1;
      const token = end ? () => end() : null;
      if (token) ends.add(token);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (token) ends.delete(token);
        active -= 1;
        if (active === 0) for (const resolve of idleWaiters) resolve();
      };
    },
    async drain(graceMs, cut) {
      draining = true;
      // A stream is held twice: as a request (its response) and as a stream (its loop).
      const streams = ends.size;
      const requests = active - streams;
      await Promise.race([whenIdle(), sleep(graceMs), ...(cut ? [cut] : [])]);
      const ended = active > 0 ? ends.size : 0;
      if (active > 0) {
        // Streams end at their next turn (they poll every half second); give them a moment.
        for (const end of [...ends]) end();
        await Promise.race([whenIdle(), sleep(2_000)]);
      }
      return { requests, streams, ended };
    },
  };
}

/** Holds every request on `server` until its response is done (streamed bodies included). */
export function trackRequests(server: ServerType, drain: Drain) {
  (server as Server).on('request', (_req, res) => {
    res.once('close', drain.hold());
  });
}

/**
 * Stops `server` gracefully (see the module's comment); `cut` (a second signal) stops waiting.
 * Resolves when no request is left.
 */
export async function stopServer(
  server: ServerType,
  drain: ReturnType<typeof createDrain>,
  options: { graceMs: number; logger: Logger; cut?: Promise<void> },
) {
  const http = server as Server;
  // No new connections; idle keep-alive connections close now.
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  const { requests, streams, ended } = await drain.drain(options.graceMs, options.cut);
  if (requests > 0)
    options.logger.info({ requests, streams, ended, graceMs: options.graceMs }, 'requests drained');
  http.closeAllConnections();
  await closed;
}

/**
 * Runs `stop` on the first SIGINT/SIGTERM; a second one settles `cut`: stop waiting (Ctrl-C twice).
 */
export function onStopSignals(
  logger: Logger,
  stop: (signal: NodeJS.Signals, cut: Promise<void>) => Promise<void>,
) {
  let cutNow: () => void = () => {};
  const cut = new Promise<void>((resolve) => {
    cutNow = resolve;
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn({ signal }, 'stopping now, without waiting for requests in flight');
        cutNow();
        return;
      }
      stopping = true;
      // Holds the event loop until `stop` has exited the process: once the servers and pools are
      // closed, nothing else may, and Node would end the process (code 0) in the middle of `stop`,
      // before its last steps and log lines.
      const alive = setInterval(() => {}, 60_000);
      stop(signal, cut)
        .catch((error: unknown) => {
          logger.error({ err: error }, 'stopping failed');
          return exitAfterLogs(logger, 1);
        })
        .finally(() => clearInterval(alive));
    });
  }
}
