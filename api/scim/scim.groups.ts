import type { Context } from 'hono';
import {
  type DirectoryGroupRow,
  deleteGroup,
  findGroup,
  GroupTooLarge,
  groupMemberIds,
  groupMembers,
  insertGroup,
  listGroups,
  type MemberRow,
  memberCounts,
  updateGroup,
} from '../../db/queries/directory/groups';
import { unknownUsers } from '../../db/queries/directory/users';
import { GROUP_FILTER_ATTRIBUTES } from '../../domain/scim-filter';
import { applyGroupPatch, readPatchRequest } from '../../domain/scim-patch';
import { readGroup, SCIM_SCHEMAS } from '../../domain/scim-resources';
import { requestAccessReconciliation } from '../access/access.temporal';
import type { AppEnv } from '../context';
import { listResponse, paging, projection, ScimError, scimBase, scimBody, scimJson } from './scim.http';
import {
  deleteResource,
  existing,
  filterConditions,
  orFail,
  resourceMeta,
  uniqueOr409,
} from './scim.resource';

type C = Context<AppEnv>;

/**
 * Members one response carries at most (a group GET, or all groups of a list page together). A
 * list page ends early rather than cut a group's members (RFC 7644 §3.4.2.4 lets it answer fewer
 * than `count`); a single group larger than this shows its earliest members. Okta and Entra ID
 * read groups with `excludedAttributes=members` and change members with PATCH, which has no bound
 * but MAX_GROUP_MEMBERS.
 */
export const MAX_MEMBERS_RETURNED = 10_000;

function toGroupResource(row: DirectoryGroupRow, members: MemberRow[] | null, base: string) {
  return {
    schemas: [SCIM_SCHEMAS.group],
    id: row.id,
    displayName: row.display_name,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.user_id,
            display: m.display,
            type: 'User',
            $ref: `${base}/Users/${m.user_id}`,
          })),
        }
      : {}),
    meta: resourceMeta('Group', row, base),
  };
}

const displayNameTaken = uniqueOr409('A group with this displayName exists already.');

function mapUnique(error: unknown): never {
  if (error instanceof GroupTooLarge) throw new ScimError(400, error.message, 'invalidValue');
  return displayNameTaken(error);
}

/** Members must be users of the organization's directory (no nested groups, no dangling ids). */
async function assertKnownUsers(c: C, ids: string[]) {
  const unknown = await unknownUsers(c.var.em, c.var.organizationId, ids);
  if (unknown.length > 0) {
    throw new ScimError(
      400,
      `Unknown member${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 10).join(', ')}.`,
      'invalidValue',
    );
  }
}

async function respond(c: C, row: DirectoryGroupRow, status: 200 | 201) {
  const view = projection(c);
  const members = view.wants('members') ? await groupMembers(c.var.em, [row.id], MAX_MEMBERS_RETURNED) : null;
  const body = toGroupResource(row, members, scimBase(c));
  return scimJson(c, view.apply(body), status, {
    etag: body.meta.version,
    ...(status === 201 ? { location: body.meta.location } : {}),
  });
}

export async function createGroup(c: C) {
  const fields = orFail(readGroup(await scimBody(c)));
  await assertKnownUsers(c, fields.memberIds);
  const row = await insertGroup(c.var.em, c.var.organizationId, fields).catch(mapUnique);
  return respond(c, row, 201);
}

const existingGroup = (c: C) => existing(c, 'Group', findGroup);

export async function getGroup(c: C) {
  return respond(c, await existingGroup(c), 200);
}

export async function listGroupsHandler(c: C) {
  const conditions = filterConditions(c, GROUP_FILTER_ATTRIBUTES);
  const { startIndex, count } = paging(c);
  const { em } = c.var;
  const page = await listGroups(em, c.var.organizationId, conditions, startIndex, count);
  const view = projection(c);
  let rows = page.rows;
  const byGroup = new Map<string, MemberRow[]>();
  if (view.wants('members')) {
    // Whole groups until the page's member budget is spent; the first group always comes.
    const counts = await memberCounts(
      em,
      rows.map((g) => g.id),
    );
    let spent = 0;
    const over = rows.findIndex((g, i) => {
      spent += counts.get(g.id) ?? 0;
      return i > 0 && spent > MAX_MEMBERS_RETURNED;
    });
    if (over > 0) rows = rows.slice(0, over);
    const ids = rows.map((g) => g.id);
    for (const id of ids) byGroup.set(id, []);
    for (const m of await groupMembers(em, ids, MAX_MEMBERS_RETURNED)) byGroup.get(m.group_id)?.push(m);
  }
  const base = scimBase(c);
  const resources = rows.map((row) =>
    view.apply(toGroupResource(row, view.wants('members') ? (byGroup.get(row.id) ?? []) : null, base)),
  );
  return scimJson(c, listResponse(resources, page.total, startIndex));
}

export async function putGroup(c: C) {
  const before = await existingGroup(c);
  const fields = orFail(readGroup(await scimBody(c)));
  await assertKnownUsers(c, fields.memberIds);
  const { em } = c.var;
  const previous = await groupMemberIds(em, before.id);
  const after = await updateGroup(em, c.var.organizationId, before.id, fields, {
    replace: fields.memberIds,
  }).catch(mapUnique);
  if (!after) throw new ScimError(404, `Group ${before.id} not found.`);
  const kept = new Set(fields.memberIds);
  if (previous.some((id) => !kept.has(id))) {
    await requestAccessReconciliation(c.var.deps, c.var.organizationId, `group ${before.id} members removed`);
  }
  return respond(c, after, 200);
}

/**
 * PATCH applies the operations to the group's attributes and to the set of its member ids, then
 * writes the difference. Answers 204 (RFC 7644 §3.5.2 allows it; both Okta and Entra ID accept
 * it), so a membership change of a large group does not send the whole member list back.
 */
export async function patchGroup(c: C) {
  const before = await existingGroup(c);
  const operations = orFail(readPatchRequest('Group', await scimBody(c)));
  const { em } = c.var;
  const previous = await groupMemberIds(em, before.id);
  const current = {
    displayName: before.display_name,
    ...(before.external_id ? { externalId: before.external_id } : {}),
  };
  const patched = orFail(applyGroupPatch(current, previous, operations));
  const fields = orFail(readGroup(patched.resource));
  const had = new Set(previous);
  const next = new Set(patched.memberIds);
  const add = patched.memberIds.filter((id) => !had.has(id));
  const remove = previous.filter((id) => !next.has(id));
  await assertKnownUsers(c, add);
  const after = await updateGroup(em, c.var.organizationId, before.id, fields, { add, remove }).catch(
    mapUnique,
  );
  if (!after) throw new ScimError(404, `Group ${before.id} not found.`);
  if (remove.length > 0) {
    await requestAccessReconciliation(c.var.deps, c.var.organizationId, `group ${before.id} members removed`);
  }
  if (c.req.query('attributes') || c.req.query('excludedAttributes')) return respond(c, after, 200);
  return c.body(null, 204);
}

export const deleteGroupHandler = (c: C) => deleteResource(c, 'Group', deleteGroup);
