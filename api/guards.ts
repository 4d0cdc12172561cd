import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ProblemError, problemBody } from './problem';

/** JSON bodies are small; uploads (CSV imports, images) check their own, larger limits. */
export const JSON_BODY_LIMIT = 1024 * 1024;

export const limitJsonBodies = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (!/json/i.test(type)) return next();
  return bodyLimit({
    maxSize: JSON_BODY_LIMIT,
    // Answered before the body is read: close the connection so no client reuses a half-read socket.
    onError: (ctx) =>
      ctx.body(
        JSON.stringify(
          problemBody(413, 'too_large', `A JSON body is at most ${JSON_BODY_LIMIT / 1024} KiB.`),
        ),
        413,
        {
          'content-type': 'application/problem+json',
          connection: 'close',
        },
      ),
  })(c, next);
});

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Fixed-window rate limit per client address and route, counted in PostgreSQL so that every
 * API instance shares it. Answers 429 with Retry-After.
 */
export function rateLimit(options: { name: string; limit: number; windowSeconds: number }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const windowMs = options.windowSeconds * 1000;
    const start = Math.floor(Date.now() / windowMs) * windowMs;
    const key = `${c.var.deps.rateLimitScope ?? ''}${options.name}:${clientAddress(c)}`;
    const [row] = await c.var.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ count: number }[]>(
        `insert into rate_limits (key, window_start, count) values (?, ?, 1)
         on conflict (key, window_start) do update set count = rate_limits.count + 1
         returning count`,
        [key, new Date(start)],
      );
    if ((row?.count ?? 0) > options.limit) {
      const retryAfter = Math.max(1, Math.ceil((start + windowMs - Date.now()) / 1000));
      c.header('Retry-After', String(retryAfter));
      throw new ProblemError(429, 'rate_limited', `Too many attempts; try again in ${retryAfter} s.`);
    }
    await next();
  });
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVENT_IN_PATH = /^\/v1\/events\/([0-9a-f-]{36})/;

/** Records every mutating organizer request that was answered (not a 5xx): who, what, when. */
export const auditLog = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!MUTATING.has(c.req.method) || c.res.status >= 500 || !c.var.organizationId) return;
  const eventId = EVENT_IN_PATH.exec(c.req.path)?.[1] ?? null;
  await c.var.deps.orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into audit_log (id, organization_id, event_id, actor, method, path, status, at)
       values (?, ?, ?, ?, ?, ?, ?, now())`,
      [
        randomUUID(),
        c.var.organizationId,
        eventId,
        c.var.actor,
        c.req.method,
        c.req.path.slice(0, 500),
        c.res.status,
      ],
    );
});
