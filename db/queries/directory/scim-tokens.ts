import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../../sql';

/** SCIM tokens of an organization: stored as hashes, revocable. */

export async function createScimToken(
  em: EntityManager,
  organizationId: string,
  tokenHash: string,
  label: string | null,
) {
  const id = randomUUID();
  const [row] = await sql(em)<{ id: string; label: string | null; created_at: Date }[]>(
    `insert into scim_tokens (id, organization_id, token_hash, label, created_at)
     values (?, ?, ?, ?, now()) returning id, label, created_at`,
    [id, organizationId, tokenHash, label],
  );
  return row as { id: string; label: string | null; created_at: Date };
}

export function listScimTokens(em: EntityManager, organizationId: string) {
  return sql(em)<
    {
      id: string;
      label: string | null;
      created_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
    }[]
  >(
    `select id, label, created_at, last_used_at, revoked_at from scim_tokens
      where organization_id = ? order by created_at desc, id desc`,
    [organizationId],
  );
}

export async function revokeScimToken(em: EntityManager, organizationId: string, id: string) {
  const rows = await sql(em)<{ id: string }[]>(
    `update scim_tokens set revoked_at = coalesce(revoked_at, now())
      where organization_id = ? and id = ? returning id`,
    [organizationId, id],
  );
  return rows.length > 0;
}

/** The organization of a live SCIM token, by the token's sha256; notes the use (at most once a minute). */
export async function scimTokenOrganization(em: EntityManager, tokenHash: string) {
  const [row] = await sql(em)<{ id: string; organization_id: string; stale: boolean }[]>(
    `select id, organization_id, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
       from scim_tokens where token_hash = ? and revoked_at is null`,
    [tokenHash],
  );
  if (!row) return null;
  if (row.stale) await sql(em)('update scim_tokens set last_used_at = now() where id = ?', [row.id]);
  return row.organization_id;
}
