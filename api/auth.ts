import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { hashSecret } from '../domain/secrets';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { clientBucket, hit, tooMany, windowJoin } from './rate-limit';

/**
 * Who the organizer console signed in as. It reaches the API in process (`app.fetch(request,
 * { [CONSOLE_PRINCIPAL]: principal })`): a symbol key no request from the network can carry.
 */
export const CONSOLE_PRINCIPAL = Symbol('roster.console-principal');
export interface ConsolePrincipal {
  organizationId: string;
  apiKeyId: string;
}

/**
 * An API key → its id and organization. Keys are looked up by their sha256; the key itself is
 * never stored. Wrong keys count against the client address; past the limit every key from it
 * waits (429), so guessing stops even when a guess would be right. Valid keys are never counted.
 */
export async function verifyApiKey(
  c: Context<AppEnv>,
  key: string,
): Promise<{ apiKeyId: string; organizationId: string }> {
  const { deps } = c.var;
  const failures = { name: 'api-key-failures', limit: deps.apiKeyFailuresPerMinute ?? 20, windowSeconds: 60 };
  const client = clientBucket(c);
  // The failures so far and the key, in one statement: one round trip per request.
  const counted = windowJoin(deps, failures, client, 'f');
  const [row] = await c.var.em
    .getConnection()
    .execute<{ id: string | null; organization_id: string | null; failures: number | null }[]>(
      `select k.id, k.organization_id, f.count as failures
         from (select 1) as one
         left join api_keys k on k.key_hash = ?
         ${counted.sql}`,
      [hashSecret(key), ...counted.params],
    );
  const blocked = counted.over(row?.failures);
  if (blocked.over) throw tooMany(c, blocked.retryAfter);
  if (!row?.id || !row.organization_id) {
    const failed = await hit(deps, failures, client);
    if (failed.over) throw tooMany(c, failed.retryAfter);
    throw new ProblemError(401, 'unauthorized', 'The API key is not valid.');
  }
  return { apiKeyId: row.id, organizationId: row.organization_id };
}

/** Bearer API key (or the console's in-process principal) → organization and actor. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const principal = (c.env as Record<symbol, ConsolePrincipal | undefined> | undefined)?.[CONSOLE_PRINCIPAL];
  if (principal) {
    c.set('organizationId', principal.organizationId);
    c.set('actor', `api_key:${principal.apiKeyId}`);
    return next();
  }
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw new ProblemError(401, 'unauthorized', 'An API key is required: Authorization: Bearer <key>.');
  const key = await verifyApiKey(c, match[1]);
  c.set('organizationId', key.organizationId);
  c.set('actor', `api_key:${key.apiKeyId}`);
  await next();
});
