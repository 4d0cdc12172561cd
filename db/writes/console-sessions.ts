/**
 * The one writer of `console_sessions`: the organizer console's sign-ins. A session is an API key
 * exchanged for a random token that only the browser's HttpOnly cookie holds; the table keeps its
 * sha256, the organization and the key (whose deletion ends the session).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { hashSecret, newToken } from '../../domain/secrets';
import { sql } from '../sql';

export interface ConsoleSession {
  id: string;
  organizationId: string;
  apiKeyId: string;
  expiresAt: Date;
}

/** Opens a session for the key; answers the token, which is shown to the browser once. */
export async function openConsoleSession(
  em: EntityManager,
  input: { organizationId: string; apiKeyId: string; ttlMs: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken('rcs_');
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await sql(em)(
    `insert into console_sessions (id, token_hash, organization_id, api_key_id, created_at, expires_at)
     values (?, ?, ?, ?, now(), ?)`,
    [randomUUID(), hashSecret(token), input.organizationId, input.apiKeyId, expiresAt],
  );
  // Expired sessions of the same organization go with each sign-in: the table stays small.
  await sql(em)('delete from console_sessions where organization_id = ? and expires_at < now()', [
    input.organizationId,
  ]);
  return { token, expiresAt };
}

/** The live session behind a cookie's token, or null (unknown, expired, or its key deleted). */
export async function findConsoleSession(em: EntityManager, token: string): Promise<ConsoleSession | null> {
  const rows = await sql(em)<{ id: string; organization_id: string; api_key_id: string; expires_at: Date }[]>(
    `select id, organization_id, api_key_id, expires_at from console_sessions
     where token_hash = ? and expires_at > now()`,
    [hashSecret(token)],
  );
  const row = rows[0];
  return row
    ? { id: row.id, organizationId: row.organization_id, apiKeyId: row.api_key_id, expiresAt: row.expires_at }
    : null;
}

/** Signs the session out; an unknown token is already signed out. */
export async function closeConsoleSession(em: EntityManager, token: string): Promise<void> {
  await sql(em)('delete from console_sessions where token_hash = ?', [hashSecret(token)]);
}
