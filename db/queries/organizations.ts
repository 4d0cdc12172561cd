import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';

/** Creates the organization (by slug) if missing and registers the key hash for it. Idempotent. */
export async function ensureOrganizationKey(em: EntityManager, slug: string, name: string, keyHash: string) {
  const conn = em.getConnection();
  await conn.execute(
    `insert into organizations (id, slug, name, created_at) values (?, ?, ?, now()) on conflict (slug) do nothing`,
    [randomUUID(), slug, name],
  );
  const [org] = await conn.execute<{ id: string }[]>('select id from organizations where slug = ?', [slug]);
  if (!org) throw new Error(`organization ${slug} could not be created`);
  await conn.execute(
    `insert into api_keys (id, organization_id, key_hash, label, created_at) values (?, ?, ?, ?, now())
     on conflict (key_hash) do nothing`,
    [randomUUID(), org.id, keyHash, 'bootstrap'],
  );
  return org.id;
}
