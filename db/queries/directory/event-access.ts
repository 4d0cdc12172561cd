import type { EntityManager } from '@mikro-orm/core';
import type { AccessGroupFilter } from '../../../domain/access';
import { searchText } from '../../../domain/email-address';
import { sql } from '../../sql';

/** The directory groups granted to closed events, and who is outside them. */

export interface AccessGroupRow {
  id: string;
  display_name: string;
  display_name_key: string;
  member_count: string;
  granted: boolean;
}

/** The organization's groups with active member counts and whether the event grants each; keyset by name. */
export async function listAccessGroups(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  options: {
    filter: AccessGroupFilter;
    q?: string;
    limit: number;
    after: { value: string; id: string } | null;
  },
) {
  const clauses = ['g.organization_id = ?'];
  const params: unknown[] = [organizationId];
  const grantedSql =
    'exists (select 1 from event_group_grants gr where gr.event_id = ? and gr.group_id = g.id)';
  if (options.filter !== 'all') {
    clauses.push(options.filter === 'granted' ? grantedSql : `not ${grantedSql}`);
    params.push(eventId);
  }
  if (options.q) {
    clauses.push('g.search_text like ?');
    params.push(`%${searchText(options.q).replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  }
  const pageClauses = [...clauses];
  const pageParams = [...params];
  if (options.after) {
    pageClauses.push('(g.display_name_key, g.id) > (?, ?)');
    pageParams.push(options.after.value, options.after.id);
  }
  const [rows, total] = await Promise.all([
    sql(em)<AccessGroupRow[]>(
      `select g.id, g.display_name, g.display_name_key,
          (select count(*) from directory_memberships m join directory_users u on u.id = m.user_id and u.active
            where m.group_id = g.id) as member_count,
          ${grantedSql} as granted
         from directory_groups g where ${pageClauses.join(' and ')}
        order by g.display_name_key, g.id limit ?`,
      [eventId, ...pageParams, options.limit + 1],
    ),
    sql(em)<{ n: string }[]>(
      `select count(*) as n from directory_groups g where ${clauses.join(' and ')}`,
      params,
    ),
  ]);
  return {
    items: rows.slice(0, options.limit),
    hasMore: rows.length > options.limit,
    total: Number(total[0]?.n ?? 0),
  };
}

export async function findAccessGroup(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  groupId: string,
) {
  const [row] = await sql(em)<AccessGroupRow[]>(
    `select g.id, g.display_name, g.display_name_key,
        (select count(*) from directory_memberships m join directory_users u on u.id = m.user_id and u.active
          where m.group_id = g.id) as member_count,
        exists (select 1 from event_group_grants gr where gr.event_id = ? and gr.group_id = g.id) as granted
       from directory_groups g where g.organization_id = ? and g.id = ?`,
    [eventId, organizationId, groupId],
  );
  return row ?? null;
}

/** Grants the group access to the event; true when it was not granted before. */
export async function grantGroup(em: EntityManager, eventId: string, groupId: string, by: string) {
  const rows = await sql(em)<{ group_id: string }[]>(
    `insert into event_group_grants (event_id, group_id, granted_by, created_at) values (?, ?, ?, now())
     on conflict do nothing returning group_id`,
    [eventId, groupId, by],
  );
  return rows.length > 0;
}

/** Removes the group's access; true when it was granted. */
export async function revokeGroup(em: EntityManager, eventId: string, groupId: string) {
  const rows = await sql(em)<{ group_id: string }[]>(
    'delete from event_group_grants where event_id = ? and group_id = ? returning group_id',
    [eventId, groupId],
  );
  return rows.length > 0;
}

export async function setAllowOutsideIdpGroups(em: EntityManager, eventId: string, allow: boolean) {
  await sql(em)('update events set allow_outside_idp_groups = ?, updated_at = now() where id = ?', [
    allow,
    eventId,
  ]);
}

export const MATCHES_KEY = '(u.email_key = k or u.user_name_key = k)';
export const GRANTED_MEMBER = `exists (select 1 from directory_memberships m
  join event_group_grants gr on gr.group_id = m.group_id and gr.event_id = ? where m.user_id = u.id)`;

/**
 * The addresses (email keys) among `emailKeys` that are not active members of a group granted to
 * the event: the people whom `allowOutsideIdpGroups: false` keeps out. A directory user matches by
 * their email or their userName. For bulk rows: one query per page of keys.
 */
export async function outsiders(
  em: EntityManager,
  eventId: string,
  emailKeys: string[],
): Promise<Set<string>> {
  if (emailKeys.length === 0) return new Set();
  const rows = await sql(em)<{ k: string }[]>(
    `select k from unnest(array[?]::text[]) k
      where not exists (
        select 1 from directory_users u
         where u.organization_id = (select organization_id from events where id = ?)
           and u.active and ${MATCHES_KEY} and ${GRANTED_MEMBER})`,
    [emailKeys, eventId, eventId],
  );
  return new Set(rows.map((r) => r.k));
}
