/**
 * Fixed-window counters in PostgreSQL, so every API instance shares them: per client address
 * (rateLimit), per recipient (login-link emails) and per address for failed API keys.
 */
import type { BlockList } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { addressBucket, clientAddress, trustedProxyList } from './client-address';
import type { AppDeps, AppEnv } from './context';
import { ProblemError } from './problem';

const proxyLists = new WeakMap<readonly string[], BlockList | null>();

/** The client's bucket: its address (through trusted proxies only), IPv6 by /64. */
export function clientBucket(c: Context<AppEnv>): string {
  const entries = c.var.deps.trustedProxies ?? [];
  let trusted = proxyLists.get(entries);
  if (trusted === undefined) {
    trusted = trustedProxyList(entries);
    proxyLists.set(entries, trusted);
  }
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    socket = undefined;
  }
  return addressBucket(clientAddress(socket, c.req.header('x-forwarded-for'), trusted));
}

export interface Window {
  name: string;
  limit: number;
  windowSeconds: number;
}

function windowOf(options: Window, now = Date.now()) {
  const ms = options.windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  return {
    start: new Date(start),
    end: new Date(start + ms),
    retryAfter: Math.max(1, Math.ceil((start + ms - now) / 1000)),
  };
}

const keyOf = (deps: AppDeps, options: Window, subject: string) =>
  `${deps.rateLimitScope ?? ''}${options.name}:${subject}`;

/**
 * Counts one hit on `subject` and answers whether it is over the limit. The first hit of a
 * window also purges windows that have ended (a few hundred rows at a time, never waiting on
 * a row another request holds), so the table stays as small as the set of recent clients.
 */
export async function hit(deps: AppDeps, options: Window, subject: string) {
  const window = windowOf(options);
  const conn = deps.orm.em.fork().getConnection();
  const [row] = await conn.execute<{ count: number }[]>(
    `insert into rate_limits (key, window_start, expires_at, count) values (?, ?, ?, 1)
     on conflict (key, window_start) do update set count = rate_limits.count + 1
     returning count`,
    [keyOf(deps, options, subject), window.start, window.end],
  );
  const count = row?.count ?? 0;
  if (count === 1) {
    void conn
      .execute(
        `delete from rate_limits where ctid = any(array(
           select ctid from rate_limits where expires_at < now() limit 500 for update skip locked))`,
      )
      .catch((error: unknown) => deps.logger.warn({ err: String(error) }, 'rate-limit purge failed'));
  }
  return { over: count > options.limit, retryAfter: window.retryAfter };
}

/**
 * Whether `subject` is already over the limit in this window, without counting: a join to put in
 * another statement (`left join rate_limits <alias> on …`), so a request reads the count with what
 * it reads anyway; `over` reads the joined count.
 */
export function windowJoin(deps: AppDeps, options: Window, subject: string, alias: string) {
  const window = windowOf(options);
  return {
    sql: `left join rate_limits ${alias} on ${alias}.key = ? and ${alias}.window_start = ?`,
    params: [keyOf(deps, options, subject), window.start] as unknown[],
    over: (count: number | null | undefined) => ({
      over: (count ?? 0) >= options.limit,
      retryAfter: window.retryAfter,
    }),
  };
}

export function tooMany(c: Context, retryAfter: number): ProblemError {
  c.header('Retry-After', String(retryAfter));
  return new ProblemError(429, 'rate_limited', `Too many attempts; try again in ${retryAfter} s.`);
}

/** Per client address and route: answers 429 with Retry-After past the limit. */
export function rateLimit(options: Window) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { over, retryAfter } = await hit(c.var.deps, options, clientBucket(c));
    if (over) throw tooMany(c, retryAfter);
    await next();
  });
}
