import type { Context } from 'hono';
import {
  type DirectoryUserRow,
  deleteUser,
  findUser,
  insertUser,
  listUsers,
  replaceUser,
} from '../../db/queries/directory/users';
import { USER_FILTER_ATTRIBUTES } from '../../domain/scim-filter';
import { applyPatch, readPatchRequest } from '../../domain/scim-patch';
import { readUser, SCIM_SCHEMAS } from '../../domain/scim-resources';
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

function toUserResource(row: DirectoryUserRow, base: string) {
  const declared = Array.isArray(row.resource.schemas) ? (row.resource.schemas as unknown[]) : [];
  const schemas = new Set<string>([SCIM_SCHEMAS.user]);
  for (const s of declared) if (typeof s === 'string') schemas.add(s);
  if (row.resource[SCIM_SCHEMAS.enterpriseUser]) schemas.add(SCIM_SCHEMAS.enterpriseUser);
  return {
    ...row.resource,
    schemas: [...schemas],
    id: row.id,
    userName: row.user_name,
    active: row.active,
    meta: resourceMeta('User', row, base),
  };
}

const mapUnique = uniqueOr409('A user with this userName exists already.');

/** A change that can take access away: deactivation, or a new address/userName (the login key). */
function mayRevoke(before: DirectoryUserRow, after: DirectoryUserRow) {
  return (
    (before.active && !after.active) ||
    before.user_name.toLowerCase() !== after.user_name.toLowerCase() ||
    (before.email ?? '').toLowerCase() !== (after.email ?? '').toLowerCase()
  );
}

export async function createUser(c: C) {
  const { fields, resource } = orFail(readUser(await scimBody(c)));
  const row = await insertUser(c.var.em, c.var.organizationId, fields, resource).catch(mapUnique);
  const body = toUserResource(row, scimBase(c));
  return scimJson(c, body, 201, { location: body.meta.location, etag: body.meta.version });
}

export async function getUser(c: C) {
  const row = await existing(c, 'User', findUser);
  const body = toUserResource(row, scimBase(c));
  return scimJson(c, projection(c).apply(body), 200, { etag: body.meta.version });
}

export async function listUsersHandler(c: C) {
  const conditions = filterConditions(c, USER_FILTER_ATTRIBUTES);
  const { startIndex, count } = paging(c);
  const page = await listUsers(c.var.em, c.var.organizationId, conditions, startIndex, count);
  const base = scimBase(c);
  const view = projection(c);
  return scimJson(
    c,
    listResponse(
      page.rows.map((row) => view.apply(toUserResource(row, base))),
      page.total,
      startIndex,
    ),
  );
}

async function writeUser(c: C, before: DirectoryUserRow, input: unknown) {
  const { fields, resource } = orFail(readUser(input));
  const { em } = c.var;
  const after = await replaceUser(em, c.var.organizationId, before.id, fields, resource).catch(mapUnique);
  if (!after) throw new ScimError(404, `User ${before.id} not found.`);
  if (mayRevoke(before, after)) {
    await requestAccessReconciliation(c.var.deps, c.var.organizationId, `user ${after.id} changed`);
  }
  const body = toUserResource(after, scimBase(c));
  return scimJson(c, projection(c).apply(body), 200, { etag: body.meta.version });
}

export async function putUser(c: C) {
  const before = await existing(c, 'User', findUser);
  return writeUser(c, before, await scimBody(c));
}

export async function patchUser(c: C) {
  const before = await existing(c, 'User', findUser);
  const operations = orFail(readPatchRequest('User', await scimBody(c)));
  const current = { ...before.resource, userName: before.user_name, active: before.active };
  const patched = orFail(applyPatch('User', current, operations));
  return writeUser(c, before, patched);
}

export const deleteUserHandler = (c: C) => deleteResource(c, 'User', deleteUser);
