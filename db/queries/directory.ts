import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { AccessGroupFilter } from '../../domain/access';
import { searchText } from '../../domain/email-address';
import type { FilterCondition } from '../../domain/scim-filter';
import { type GroupFields, MAX_GROUP_MEMBERS, type UserFields } from '../../domain/scim-resources';

/**
 * Reads and writes of the IdP directory (SCIM), the groups granted to closed events, the OIDC
 * settings and login attempts. Every query is scoped by organization in the SQL itself.
 */

type Params = unknown[];

/** Raw SQL inside the EntityManager's transaction, when it has one. */
const sql =
  (em: EntityManager) =>
  <T extends object[] = Record<string, unknown>[]>(query: string, params: Params = []): Promise<T> =>
    em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T>;

/** A unique constraint refused the write (PostgreSQL 23505); `constraint` names which. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' ? (e.constraint ?? 'unique') : null;
}

// ---------------------------------------------------------------- SCIM tokens

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

// ---------------------------------------------------------------- SCIM users

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

const USER_FILTER_SQL: Record<string, (value: string | boolean) => [string, unknown]> = {
  id: (v) => ['id::text = ?', String(v).toLowerCase()],
  userName: (v) => ['user_name_key = ?', String(v).trim().toLowerCase()],
  externalId: (v) => ['external_id = ?', v],
  displayName: (v) => ['lower(display_name) = ?', String(v).toLowerCase()],
  email: (v) => ['email_key = ?', String(v).trim().toLowerCase()],
  active: (v) => ['active = ?', v],
};

const GROUP_FILTER_SQL: Record<string, (value: string | boolean) => [string, unknown]> = {
  id: (v) => ['id::text = ?', String(v).toLowerCase()],
  displayName: (v) => ['display_name_key = ?', String(v).trim().toLowerCase()],
  externalId: (v) => ['external_id = ?', v],
};

function whereOf(
  organizationId: string,
  conditions: FilterCondition[],
  map: Record<string, (value: string | boolean) => [string, unknown]>,
) {
  const clauses = ['organization_id = ?'];
  const params: Params = [organizationId];
  for (const condition of conditions) {
    const build = map[condition.attribute];
    if (!build) throw new Error(`unsupported filter attribute ${condition.attribute}`);
    const [clause, param] = build(condition.value);
    clauses.push(clause);
    params.push(param);
  }
  return { where: clauses.join(' and '), params };
}

/** A SCIM page: 1-based startIndex over a stable order (creation, then id). */
export async function listUsers(
  em: EntityManager,
  organizationId: string,
  conditions: FilterCondition[],
  startIndex: number,
  count: number,
) {
  const { where, params } = whereOf(organizationId, conditions, USER_FILTER_SQL);
  const [rows, total] = await Promise.all([
    count > 0
      ? sql(em)<DirectoryUserRow[]>(
          `select ${USER_COLUMNS} from directory_users where ${where}
            order by created_at, id offset ? limit ?`,
          [...params, startIndex - 1, count],
        )
      : Promise.resolve([] as DirectoryUserRow[]),
    sql(em)<{ n: string }[]>(`select count(*) as n from directory_users where ${where}`, params),
  ]);
  return { rows, total: Number(total[0]?.n ?? 0) };
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

// ---------------------------------------------------------------- SCIM groups

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

export async function listGroups(
  em: EntityManager,
  organizationId: string,
  conditions: FilterCondition[],
  startIndex: number,
  count: number,
) {
  const { where, params } = whereOf(organizationId, conditions, GROUP_FILTER_SQL);
  const [rows, total] = await Promise.all([
    count > 0
      ? sql(em)<DirectoryGroupRow[]>(
          `select ${GROUP_COLUMNS} from directory_groups where ${where}
            order by created_at, id offset ? limit ?`,
          [...params, startIndex - 1, count],
        )
      : Promise.resolve([] as DirectoryGroupRow[]),
    sql(em)<{ n: string }[]>(`select count(*) as n from directory_groups where ${where}`, params),
  ]);
  return { rows, total: Number(total[0]?.n ?? 0) };
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

// ---------------------------------------------------------------- event access

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
  const params: Params = [organizationId];
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

const MATCHES_KEY = '(u.email_key = k or u.user_name_key = k)';
const GRANTED_MEMBER = `exists (select 1 from directory_memberships m
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

export interface DirectoryMatch {
  id: string;
  user_name: string;
  email: string | null;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  active: boolean;
  granted_member: boolean;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const MATCH_COLUMNS = `u.id, u.user_name, u.email, u.given_name, u.family_name, u.display_name, u.active,
  ${GRANTED_MEMBER} as granted_member, u.oidc_issuer, u.oidc_subject`;

/** The directory user bound to this IdP account (issuer + subject), with their grant for the event. */
export async function boundDirectoryUser(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  issuer: string,
  subject: string,
) {
  const [row] = await sql(em)<DirectoryMatch[]>(
    `select ${MATCH_COLUMNS} from directory_users u
      where u.organization_id = ? and u.oidc_issuer = ? and u.oidc_subject = ?`,
    [eventId, organizationId, issuer, subject],
  );
  return row ?? null;
}

/**
 * Candidates for a first OIDC login, best first: the user whose SCIM externalId is the IdP subject
 * (Okta pushes its user id, the ID token's `sub`), then users matching a trusted email (email or
 * userName) or a trusted username (userName only); active before inactive.
 */
export function directoryMatches(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  keys: { subject: string; emailKeys: string[]; userNameKeys: string[] },
) {
  return sql(em)<DirectoryMatch[]>(
    `select ${MATCH_COLUMNS} from directory_users u
      where u.organization_id = ?
        and (u.external_id = ? or u.email_key = any(array[?]::text[])
             or u.user_name_key = any(array[?]::text[]))
      order by (u.external_id = ?) is not true, u.active desc, u.created_at, u.id`,
    [
      eventId,
      organizationId,
      keys.subject,
      keys.emailKeys,
      [...keys.emailKeys, ...keys.userNameKeys],
      keys.subject,
    ],
  );
}

/**
 * Binds an IdP account to a directory user on its first login. Refused (false) when the user is
 * bound to another account of the same issuer, or the account to another user (unique constraint).
 * A binding made under another issuer (the organization changed its IdP) is replaced.
 */
export async function bindOidcSubject(
  em: EntityManager,
  organizationId: string,
  userId: string,
  issuer: string,
  subject: string,
) {
  try {
    const rows = await sql(em)<{ id: string }[]>(
      `update directory_users set oidc_issuer = ?, oidc_subject = ?
        where organization_id = ? and id = ?
          and (oidc_subject is null or oidc_issuer is distinct from ? or oidc_subject = ?)
        returning id`,
      [issuer, subject, organizationId, userId, issuer, subject],
    );
    return rows.length > 0;
  } catch (error) {
    if (uniqueViolation(error)) return false;
    throw error;
  }
}

/** Who put the attendee on the list: the actor of the first history row (`sso` for a group admission). */
export async function invitedBy(em: EntityManager, attendeeId: string) {
  const [row] = await sql(em)<{ actor: string }[]>(
    'select actor from attendee_history where attendee_id = ? order by at, id limit 1',
    [attendeeId],
  );
  return row?.actor ?? null;
}

// ---------------------------------------------------------------- reconciliation

export interface SessionHolderRow {
  attendee_id: string;
  event_id: string;
  closed: boolean;
  allow_outside_idp_groups: boolean;
  matched: boolean;
  any_active: boolean;
  granted_member: boolean;
  first_actor: string | null;
}

/**
 * Attendees of the organization's SSO events who hold a live session, with the directory facts
 * the entry rules read (see domain/access.ts).
 */
export function sessionHolders(em: EntityManager, organizationId: string) {
  return sql(em)<SessionHolderRow[]>(
    `select a.id as attendee_id, a.event_id, e.closed, e.allow_outside_idp_groups,
        exists (select 1 from directory_users u where u.organization_id = e.organization_id
                and (u.email_key = a.email_key or u.user_name_key = a.email_key)) as matched,
        exists (select 1 from directory_users u where u.organization_id = e.organization_id and u.active
                and (u.email_key = a.email_key or u.user_name_key = a.email_key)) as any_active,
        exists (select 1 from directory_users u
                  join directory_memberships m on m.user_id = u.id
                  join event_group_grants gr on gr.group_id = m.group_id and gr.event_id = e.id
                 where u.organization_id = e.organization_id and u.active
                   and (u.email_key = a.email_key or u.user_name_key = a.email_key)) as granted_member,
        (select h.actor from attendee_history h where h.attendee_id = a.id order by h.at, h.id limit 1)
          as first_actor
       from attendees a
       join events e on e.id = a.event_id and e.organization_id = ? and e.login_mode = 'sso'
      where a.removed_at is null
        and exists (select 1 from attendee_sessions s where s.attendee_id = a.id and s.expires_at > now())`,
    [organizationId],
  );
}

/** Ends the live sessions of the attendees (the rows stay, expired now). */
export async function endSessions(em: EntityManager, attendeeIds: string[]) {
  if (attendeeIds.length === 0) return 0;
  const rows = await sql(em)<{ id: string }[]>(
    `update attendee_sessions set expires_at = now()
      where attendee_id::text = any(array[?]::text[]) and expires_at > now() returning id`,
    [attendeeIds],
  );
  return rows.length;
}

/** Organizations with an SSO event: what the scheduled sweep walks. */
export async function organizationsWithSsoEvents(em: EntityManager) {
  const rows = await sql(em)<{ organization_id: string }[]>(
    "select distinct organization_id from events where login_mode = 'sso' order by organization_id",
  );
  return rows.map((r) => r.organization_id);
}

// ---------------------------------------------------------------- OIDC

export interface OidcSettingsRow {
  organization_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  scopes: string;
  match_claim: MatchClaim;
  created_at: Date;
  updated_at: Date;
}

/** Which claim may match a directory user at a first login (see docs/sso.md). */
export type MatchClaim = 'email' | 'preferred_username';

export async function findOidcSettings(em: EntityManager, organizationId: string) {
  const [row] = await sql(em)<OidcSettingsRow[]>('select * from oidc_settings where organization_id = ?', [
    organizationId,
  ]);
  return row ?? null;
}

/** Sets the organization's OIDC settings; a missing secret keeps the stored one. */
export async function upsertOidcSettings(
  em: EntityManager,
  organizationId: string,
  settings: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    scopes: string;
    matchClaim: MatchClaim;
  },
) {
  const [row] = await sql(em)<OidcSettingsRow[]>(
    `insert into oidc_settings (organization_id, issuer, client_id, client_secret, scopes, match_claim,
       created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, now(), now())
     on conflict (organization_id) do update set issuer = excluded.issuer, client_id = excluded.client_id,
       client_secret = case when ? then excluded.client_secret else oidc_settings.client_secret end,
       scopes = excluded.scopes, match_claim = excluded.match_claim, updated_at = now()
     returning *`,
    [
      organizationId,
      settings.issuer,
      settings.clientId,
      settings.clientSecret ?? '',
      settings.scopes,
      settings.matchClaim,
      settings.clientSecret !== undefined,
    ],
  );
  return row as OidcSettingsRow;
}

export async function deleteOidcSettings(em: EntityManager, organizationId: string) {
  const rows = await sql(em)<{ organization_id: string }[]>(
    'delete from oidc_settings where organization_id = ? returning organization_id',
    [organizationId],
  );
  return rows.length > 0;
}

export interface LoginAttemptRow {
  id: string;
  event_id: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
}

export async function insertLoginAttempt(
  em: EntityManager,
  attempt: {
    eventId: string;
    stateHash: string;
    bindingHash: string;
    codeVerifier: string;
    nonce: string;
    redirectUri: string;
    expiresAt: Date;
  },
) {
  // Expired attempts are of no use to anyone; clear a few on the way.
  await sql(em)(
    `delete from sso_login_attempts where id in
       (select id from sso_login_attempts where expires_at < now() - interval '1 hour' limit 100)`,
  );
  const id = randomUUID();
  await sql(em)(
    `insert into sso_login_attempts (id, event_id, state_hash, binding_hash, code_verifier, nonce, redirect_uri,
       expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, now())`,
    [
      id,
      attempt.eventId,
      attempt.stateHash,
      attempt.bindingHash,
      attempt.codeVerifier,
      attempt.nonce,
      attempt.redirectUri,
      attempt.expiresAt,
    ],
  );
  return id;
}

/**
 * Spends a login attempt: by its state, for this event, from the browser that started it, once,
 * before it expires. One statement, so of two concurrent callbacks exactly one gets it.
 */
export async function consumeLoginAttempt(
  em: EntityManager,
  eventId: string,
  stateHash: string,
  bindingHash: string,
) {
  const [row] = await sql(em)<LoginAttemptRow[]>(
    `update sso_login_attempts set used_at = now()
      where state_hash = ? and event_id = ? and binding_hash = ? and used_at is null and expires_at > now()
      returning id, event_id, code_verifier, nonce, redirect_uri`,
    [stateHash, eventId, bindingHash],
  );
  return row ?? null;
}
