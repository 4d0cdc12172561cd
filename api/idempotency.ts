import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ProblemError } from './problem';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `Idempotency-Key`: the first answer to a (key, request) is stored and replayed for repeats.
 * The key is claimed before the work runs, so two concurrent repeats cannot both do it.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (!key || !MUTATING.has(c.req.method)) return next();
  if (key.length > 255)
    throw new ProblemError(400, 'invalid_idempotency_key', 'Idempotency-Key is at most 255 characters.');

  const body = await c.req.text();
  const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
  const conn = c.var.deps.orm.em.fork().getConnection();
  const organizationId = c.var.organizationId;

  const claimed = await conn.execute<{ key: string }[]>(
    `insert into idempotency_records (organization_id, key, request_hash, created_at)
     values (?, ?, ?, now()) on conflict do nothing returning key`,
    [organizationId, key, requestHash],
  );
  if (claimed.length === 0) {
    const [prior] = await conn.execute<
      { request_hash: string; status_code: number | null; response_body: unknown }[]
    >(
      'select request_hash, status_code, response_body from idempotency_records where organization_id = ? and key = ?',
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
    const replay = prior.response_body as { contentType: string; body: string };
    return c.body(replay.body, prior.status_code as 200, {
      'content-type': replay.contentType,
      'idempotent-replayed': 'true',
    });
  }

  try {
    await next();
  } catch (error) {
    await conn.execute('delete from idempotency_records where organization_id = ? and key = ?', [
      organizationId,
      key,
    ]);
    throw error;
  }
  if (c.res.status >= 500) {
    // A server fault is not an answer: let the client retry with the same key.
    await conn.execute('delete from idempotency_records where organization_id = ? and key = ?', [
      organizationId,
      key,
    ]);
    return;
  }
  const responseBody = {
    contentType: c.res.headers.get('content-type') ?? 'application/json',
    body: await c.res.clone().text(),
  };
  await conn.execute(
    'update idempotency_records set status_code = ?, response_body = ? where organization_id = ? and key = ?',
    [c.res.status, JSON.stringify(responseBody), organizationId, key],
  );
});
