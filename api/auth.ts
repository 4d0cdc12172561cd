import { createMiddleware } from 'hono/factory';
import { hashSecret } from '../domain/secrets';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { clientBucket, hit, isOver, tooMany } from './rate-limit';

/**
 * Bearer API key → organization. Keys are looked up by their sha256; the key itself is never stored.
 * Wrong keys count against the client address; past the limit every key from it waits (429), so
 * guessing stops even when a guess would be right. Valid keys are never counted.
 */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw new ProblemError(401, 'unauthorized', 'An API key is required: Authorization: Bearer <key>.');
  const { deps } = c.var;
  const failures = { name: 'api-key-failures', limit: deps.apiKeyFailuresPerMinute ?? 20, windowSeconds: 60 };
  const client = clientBucket(c);
  const blocked = await isOver(deps, failures, client);
  if (blocked.over) throw tooMany(c, blocked.retryAfter);
  const rows = await c.var.em
    .getConnection()
    .execute<{ id: string; organization_id: string }[]>(
      'select id, organization_id from api_keys where key_hash = ?',
      [hashSecret(match[1])],
    );
  const row = rows[0];
  if (!row) {
    const counted = await hit(deps, failures, client);
    if (counted.over) throw tooMany(c, counted.retryAfter);
    throw new ProblemError(401, 'unauthorized', 'The API key is not valid.');
  }
  c.set('organizationId', row.organization_id);
  c.set('actor', `api_key:${row.id}`);
  await next();
});
