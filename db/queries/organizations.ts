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

/** The event-site origins the organization lists (CORS for the public endpoints). */
export async function eventSiteOrigins(em: EntityManager, organizationId: string): Promise<string[]> {
  const [row] = await em
    .getConnection()
    .execute<{ origins: string[] }[]>(
      'select event_site_origins as origins from organizations where id = ?',
      [organizationId],
    );
  return row?.origins ?? [];
}

export async function setEventSiteOrigins(em: EntityManager, organizationId: string, origins: string[]) {
  await em.getConnection().execute(
    // As JSON: the driver would spread a bound array into a list of values.
    'update organizations set event_site_origins = array(select jsonb_array_elements_text(?::jsonb)) where id = ?',
    [JSON.stringify(origins), organizationId],
  );
}

/** Every origin any organization lists: the public endpoints serve browsers on any of them. */
export async function allEventSiteOrigins(em: EntityManager): Promise<Set<string>> {
  const rows = await em
    .getConnection()
    .execute<{ origin: string }[]>('select distinct unnest(event_site_origins) as origin from organizations');
  return new Set(rows.map((r: { origin: string }) => r.origin));
}
