import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { searchText } from '../../../domain/email-address';
import type { FilterCondition } from '../../../domain/scim-filter';
import { type GroupFields, MAX_GROUP_MEMBERS } from '../../../domain/scim-resources';
import { sql } from '../../sql';
import { GROUP_FILTER_SQL, scimPage } from './scim-filter';

/** SCIM groups and their memberships, scoped by organization in every statement. */

export interface DirectoryGroupRow {
  id: string;
  organization_id: string;
  display_name: string;
  external_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const GROUP_COLUMNS = 'id, organization_id, display_name, external_id, version, created_at, updated_at';

export interface MemberRow {
  group_id: string;
  user_id: string;
  display: string;
}

export async function insertGroup(em: EntityManager, organizationId: string, fields: GroupFields) {
  return em.transactional(async (tx) => {
    const [row] = await sql(tx)<DirectoryGroupRow[]>(
      `insert into directory_groups (id, organization_id, display_name, display_name_key, search_text,
         external_id, version, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 1, now(), now()) returning ${GROUP_COLUMNS}`,
      [
        randomUUID(),
        organizationId,
        fields.displayName,
        fields.displayNameKey,
        searchText(fields.displayName),
        fields.externalId,
      ],
    );
    const group = row as DirectoryGroupRow;
    await addMembers(tx, group.id, fields.memberIds);
    await assertGroupSize(tx, group.id, MAX_GROUP_MEMBERS);
    return group;
  });
}

export async function findGroup(em: EntityManager, organizationId: string, id: string) {
  const [row] = await sql(em)<DirectoryGroupRow[]>(
    `select ${GROUP_COLUMNS} from directory_groups where organization_id = ? and id = ?`,
    [organizationId, id],
  );
  return row ?? null;
}

export function listGroups(
  em: EntityManager,
  organizationId: string,
  conditions: FilterCondition[],
  startIndex: number,
  count: number,
) {
  const from = { table: 'directory_groups', columns: GROUP_COLUMNS, filters: GROUP_FILTER_SQL } as const;
  return scimPage<DirectoryGroupRow>(em, from, organizationId, conditions, startIndex, count);
}

/**
 * Members of the groups, with the name a SCIM `display` shows: at most `perGroup` of each group,
 * the earliest added first.
 */
export async function groupMembers(em: EntityManager, groupIds: string[], perGroup: number) {
  if (groupIds.length === 0) return [];
  return sql(em)<MemberRow[]>(
    `select group_id, user_id, display from (
        select m.group_id, m.user_id, coalesce(u.display_name, u.user_name) as display,
            row_number() over (partition by m.group_id order by m.created_at, m.user_id) as n
          from directory_memberships m join directory_users u on u.id = m.user_id
         where m.group_id::text = any(array[?]::text[])) ranked
      where n <= ? order by group_id, n`,
    [groupIds, perGroup],
  );
}

/** Every member id of one group (what a PATCH applies its member operations to). */
export async function groupMemberIds(em: EntityManager, groupId: string) {
  const rows = await sql(em)<{ user_id: string }[]>(
    'select user_id from directory_memberships where group_id = ?',
    [groupId],
  );
  return rows.map((r) => r.user_id);
}

/** How many members each of the groups has. */
export async function memberCounts(em: EntityManager, groupIds: string[]) {
  if (groupIds.length === 0) return new Map<string, number>();
  const rows = await sql(em)<{ group_id: string; n: string }[]>(
    `select group_id, count(*) as n from directory_memberships
      where group_id::text = any(array[?]::text[]) group by group_id`,
    [groupIds],
  );
  return new Map(rows.map((r) => [r.group_id, Number(r.n)]));
}

/** A write would take a group over its member limit (concurrent PATCHes included); rolled back. */
export class GroupTooLarge extends Error {}

async function assertGroupSize(em: EntityManager, groupId: string, max: number) {
  const [row] = await sql(em)<{ n: string }[]>(
    'select count(*) as n from directory_memberships where group_id = ?',
    [groupId],
  );
  if (Number(row?.n ?? 0) > max) throw new GroupTooLarge(`A group has at most ${max} members.`);
}

async function addMembers(em: EntityManager, groupId: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await sql(em)(
    `insert into directory_memberships (group_id, user_id, created_at)
     select ?, k::uuid, now() from unnest(array[?]::text[]) k
     on conflict do nothing`,
    [groupId, userIds],
  );
}

async function removeMembers(em: EntityManager, groupId: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await sql(em)(
    'delete from directory_memberships where group_id = ? and user_id::text = any(array[?]::text[])',
    [groupId, userIds],
  );
}

/**
 * Writes a group's attributes and its member changes in one transaction; null when the group is
 * not the organization's. `members` is either the full new list (PUT) or a delta (PATCH).
 */
export async function updateGroup(
  em: EntityManager,
  organizationId: string,
  id: string,
  fields: Omit<GroupFields, 'memberIds'>,
  members: { replace: string[] } | { add: string[]; remove: string[] },
) {
  return em.transactional(async (tx) => {
    const [row] = await sql(tx)<DirectoryGroupRow[]>(
      `update directory_groups set display_name = ?, display_name_key = ?, search_text = ?, external_id = ?,
          version = version + 1, updated_at = now()
        where organization_id = ? and id = ? returning ${GROUP_COLUMNS}`,
      [
        fields.displayName,
        fields.displayNameKey,
        searchText(fields.displayName),
        fields.externalId,
        organizationId,
        id,
      ],
    );
    if (!row) return null;
    if ('replace' in members) {
      await sql(tx)(
        `delete from directory_memberships where group_id = ?
           and not (user_id::text = any(array[?]::text[]))`,
        [id, members.replace],
      );
      await addMembers(tx, id, members.replace);
    } else {
      await removeMembers(tx, id, members.remove);
      await addMembers(tx, id, members.add);
    }
    await assertGroupSize(tx, id, MAX_GROUP_MEMBERS);
    return row;
  });
}

export async function deleteGroup(em: EntityManager, organizationId: string, id: string) {
  const rows = await sql(em)<{ id: string }[]>(
    'delete from directory_groups where organization_id = ? and id = ? returning id',
    [organizationId, id],
  );
  return rows.length > 0;
}
