import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ProblemError } from './problem';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Bearer API key → organization. Keys are looked up by their sha256; the key itself is never stored. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw new ProblemError(401, 'unauthorized', 'An API key is required: Authorization: Bearer <key>.');
  const rows = await c.var.deps.orm.em
    .fork()
    .getConnection()
    .execute<{ id: string; organization_id: string }[]>(
      'select id, organization_id from api_keys where key_hash = ?',
      [hashApiKey(match[1])],
    );
  const row = rows[0];
  if (!row) throw new ProblemError(401, 'unauthorized', 'The API key is not valid.');
  c.set('organizationId', row.organization_id);
  c.set('actor', `api_key:${row.id}`);
  await next();
});
