import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { FilterCondition } from '../../../domain/scim-filter';
import type { UserFields } from '../../../domain/scim-resources';
import { sql } from '../../sql';
import { scimPage, USER_FILTER_SQL } from './scim-filter';

/** SCIM users: the IdP directory's people, scoped by organization in every statement. */

export interface DirectoryUserRow {
  id: string;
  organization_id: string;
  user_name: string;
  external_id: string | null;
  display_name: string | null;
  email: string | null;
  given_name: string | null;
  family_name: string | null;
  active: boolean;
  resource: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS = `id, organization_id, user_name, external_id, display_name, email, given_name, family_name,
  active, resource, version, created_at, updated_at`;

const userValues = (f: UserFields) => [
  f.userName,
  f.userNameKey,
  f.externalId,
  f.displayName,
  f.givenName,
  f.familyName,
  f.email,
  f.emailKey,
  f.active,
];

export async function insertUser(
  em: EntityManager,
  organizationId: string,
  fields: UserFields,
  resource: Record<string, unknown>,
) {
  const [row] = await sql(em)<DirectoryUserRow[]>(
    `insert into directory_users (id, organization_id, user_name, user_name_key, external_id, display_name,
       given_name, family_name, email, email_key, active, resource, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 1, now(), now()) returning ${USER_COLUMNS}`,
    [randomUUID(), organizationId, ...userValues(fields), JSON.stringify(resource)],
  );
  return row as DirectoryUserRow;
}

export async function findUser(em: EntityManager, organizationId: string, id: string) {
  const [row] = await sql(em)<DirectoryUserRow[]>(
    `select ${USER_COLUMNS} from directory_users where organization_id = ? and id = ?`,
    [organizationId, id],
  );
  return row ?? null;
}

/** Replaces a user's attributes; null when the user is not the organization's. */
export async function replaceUser(
  em: EntityManager,
  organizationId: string,
  id: string,
  fields: UserFields,
  resource: Record<string, unknown>,
) {
  const [row] = await sql(em)<DirectoryUserRow[]>(
    `update directory_users set user_name = ?, user_name_key = ?, external_id = ?, display_name = ?,
        given_name = ?, family_name = ?, email = ?, email_key = ?, active = ?, resource = ?::jsonb,
        version = version + 1, updated_at = now()
      where organization_id = ? and id = ? returning ${USER_COLUMNS}`,
    [...userValues(fields), JSON.stringify(resource), organizationId, id],
  );
  return row ?? null;
}

export async function deleteUser(em: EntityManager, organizationId: string, id: string) {
  const rows = await sql(em)<{ id: string }[]>(
    'delete from directory_users where organization_id = ? and id = ? returning id',
    [organizationId, id],
  );
  return rows.length > 0;
}

export function listUsers(
  em: EntityManager,
  organizationId: string,
  conditions: FilterCondition[],
  startIndex: number,
  count: number,
) {
  const from = { table: 'directory_users', columns: USER_COLUMNS, filters: USER_FILTER_SQL } as const;
  return scimPage<DirectoryUserRow>(em, from, organizationId, conditions, startIndex, count);
}

/** The ids among `ids` that are not users of the organization. */
export async function unknownUsers(em: EntityManager, organizationId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await sql(em)<{ id: string }[]>(
    `select k as id from unnest(array[?]::text[]) k
      where not exists (select 1 from directory_users u where u.organization_id = ? and u.id::text = k)`,
    [ids, organizationId],
  );
  return rows.map((r) => r.id);
}
