import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { AppEnv } from '../context';

/**
 * Hono's `streamSSE`, known to the API's graceful stop (api/drain.ts): a stopping server waits
 * for the stream to finish, and when its grace runs out ends it (the stream's `onAbort`
 * listeners run, so its loop stops) after telling the client to reconnect within a second.
 */
export function eventStream(c: Context<AppEnv>, run: (stream: SSEStreamingApi) => Promise<void>) {
  return streamSSE(c, async (stream) => {
    const release = c.var.deps.drain?.hold(() => {
      // The server is stopping: an EventSource reconnects (to another instance) after a second.
      void stream.write('retry: 1000\n\n').finally(() => stream.abort());
    });
    try {
      await run(stream);
    } finally {
      release?.();
    }
  });
}

const FINAL = new Set(['completed', 'cancelled', 'failed']);

/**
 * A long-running job's progress as server-sent events, read from its checkpoints in PostgreSQL
 * (an import, a bulk action): `<name>` with the resource at once and whenever it changes (checked
 * every half second), a comment every 15 s on a quiet stream, then `finished` with the final
 * resource, and the stream ends.
 */
export function progressStream<Row extends { id: string; status: string }>(
  c: Context<AppEnv>,
  options: { name: string; first: Row; load: () => Promise<Row | null>; dto: (row: Row) => unknown },
) {
  return eventStream(c, async (stream) => {
    let closed = false;
    stream.onAbort(() => {
      closed = true;
    });
    let last = '';
    let quietSince = Date.now();
    let row: Row | null = options.first;
    while (!closed && row) {
      const data = JSON.stringify(options.dto(row));
      if (FINAL.has(row.status)) {
        await stream.writeSSE({ event: 'finished', data, id: row.id });
        break;
      }
      if (data !== last) {
        await stream.writeSSE({ event: options.name, data });
        last = data;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > 15_000) {
        await stream.write(': still running\n\n');
        quietSince = Date.now();
      }
      await stream.sleep(500);
      row = await options.load();
    }
  });
}
