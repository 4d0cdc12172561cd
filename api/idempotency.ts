import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ProblemError } from './problem';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long a key is remembered; an expired key is a new key. */
const TTL = `interval '24 hours'`;
/** Expired records deleted per claimed key: more than one request ever adds, so none pile up. */
const PURGE_BATCH = 500;

/**
 * `Idempotency-Key`: the first answer to a (key, request) is stored and replayed for repeats
 * within 24 hours. Keys belong to the organization that sent them. The request is the method,
 * path, full query string and body: the same key with any other request is refused. The key is
 * claimed before the work runs, so two concurrent repeats cannot both do it. An answer that
 * carries a secret shown once (`secretAnswer`) is not stored: its repeat is refused instead.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (!key || !MUTATING.has(c.req.method)) return next();
  if (key.length > 255)
    throw new ProblemError(400, 'invalid_idempotency_key', 'Idempotency-Key is at most 255 characters.');

  const url = new URL(c.req.url);
  const requestHash = createHash('sha256')
    .update(`${c.req.method}\n${url.pathname}\n${url.search}\n`)
    .update(Buffer.from(await c.req.arrayBuffer()))
    .digest('hex');
  const conn = c.var.em.getConnection();
  const organizationId = c.var.organizationId;

  // A record past its 24 hours is taken over as if it were not there.
  const claimed = await conn.execute<{ key: string }[]>(
    `insert into idempotency_records (organization_id, key, request_hash, created_at)
     values (?, ?, ?, now())
     on conflict (organization_id, key) do update
       set request_hash = excluded.request_hash, created_at = excluded.created_at,
           status_code = null, response_body = null
       where idempotency_records.created_at < now() - ${TTL}
     returning key`,
    [organizationId, key, requestHash],
  );
  if (claimed.length === 0) {
    const [prior] = await conn.execute<
      { request_hash: string; status_code: number | null; response_body: unknown }[]
    >(
      `select request_hash, status_code, response_body from idempotency_records
       where organization_id = ? and key = ? and created_at >= now() - ${TTL}`,
      [organizationId, key],
    );
    if (prior && prior.request_hash !== requestHash) {
      throw new ProblemError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request.',
      );
    }
    if (!prior || prior.status_code === null) {
      throw new ProblemError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still running.',
      );
    }
    if (prior.response_body === null) {
      throw new ProblemError(
        409,
        'idempotency_answer_withheld',
        'This request was done; its answer carried a secret shown once, so it is not repeated. Send a new Idempotency-Key for a new one.',
      );
    }
    const replay = prior.response_body as { contentType: string; body: string };
    return c.body(replay.body, prior.status_code as 200, {
      'content-type': replay.contentType,
      'idempotent-replayed': 'true',
    });
  }
  await conn.execute(
    `delete from idempotency_records where ctid = any(array(
       select ctid from idempotency_records where created_at < now() - ${TTL} limit ${PURGE_BATCH}))`,
  );

  const release = () =>
    conn.execute(
      'delete from idempotency_records where organization_id = ? and key = ? and status_code is null',
      [organizationId, key],
    );
  try {
    await next();
  } catch (error) {
    await release();
    throw error;
  }
  // A server fault is not an answer: let the client retry with the same key.
  if (c.res.status >= 500) {
    await release();
    return;
  }
  const responseBody = c.get('secretAnswer')
    ? null
    : {
        contentType: c.res.headers.get('content-type') ?? 'application/json',
        body: await c.res.clone().text(),
      };
  await conn.execute(
    'update idempotency_records set status_code = ?, response_body = ? where organization_id = ? and key = ?',
    [c.res.status, responseBody === null ? null : JSON.stringify(responseBody), organizationId, key],
  );
});
