import type { EntityManager } from '@mikro-orm/core';
import type { Context } from 'hono';
import { uniqueViolation } from '../../db/sql';
import { type FilterCondition, parseScimFilter } from '../../domain/scim-filter';
import type { Read } from '../../domain/scim-resources';
import { requestAccessReconciliation } from '../access/access.temporal';
import type { AppEnv } from '../context';
import { resourceId, ScimError } from './scim.http';

/** What Users and Groups handle alike: reads, lookups, filters, meta, uniqueness and deletes. */

type C = Context<AppEnv>;
type ResourceType = 'User' | 'Group';

/** A read of a request (domain/scim-resources) or a SCIM 400 with its scimType. */
export function orFail<T>(read: Read<T>): T {
  if (!read.ok) throw new ScimError(400, read.detail, read.scimType);
  return read.value;
}

/** A write refused by a unique index is SCIM's 409 `uniqueness`. */
export const uniqueOr409 =
  (detail: string) =>
  (error: unknown): never => {
    if (uniqueViolation(error)) throw new ScimError(409, detail, 'uniqueness');
    throw error;
  };

/** The `filter` query as conditions on the attributes the resource can be filtered by. */
export function filterConditions(c: C, attributes: Parameters<typeof parseScimFilter>[1]): FilterCondition[] {
  const filter = c.req.query('filter');
  if (!filter) return [];
  const parsed = parseScimFilter(filter, attributes);
  if (!parsed.ok) throw new ScimError(400, parsed.detail, 'invalidFilter');
  return parsed.conditions;
}

/** A resource's `meta` (RFC 7644 §3.1); the version is its row version as a weak ETag. */
export function resourceMeta(
  type: ResourceType,
  row: { id: string; created_at: Date | string; updated_at: Date | string; version: number },
  base: string,
) {
  return {
    resourceType: type,
    created: new Date(row.created_at).toISOString(),
    lastModified: new Date(row.updated_at).toISOString(),
    location: `${base}/${type}s/${row.id}`,
    version: `W/"${row.version}"`,
  };
}

/** The resource the path names, or SCIM's 404. */
export async function existing<T>(
  c: C,
  type: ResourceType,
  find: (em: EntityManager, organizationId: string, id: string) => Promise<T | null>,
): Promise<T> {
  const row = await find(c.var.em, c.var.organizationId, resourceId(c, type));
  if (!row) throw new ScimError(404, `${type} ${c.req.param('id')} not found.`);
  return row;
}

/** DELETE: 204, or 404; a deletion can take access away, so access is reconciled after it. */
export async function deleteResource(
  c: C,
  type: ResourceType,
  remove: (em: EntityManager, organizationId: string, id: string) => Promise<boolean>,
) {
  const id = resourceId(c, type);
  if (!(await remove(c.var.em, c.var.organizationId, id)))
    throw new ScimError(404, `${type} ${id} not found.`);
  await requestAccessReconciliation(c.var.deps, c.var.organizationId, `${type.toLowerCase()} ${id} deleted`);
  return c.body(null, 204);
}
