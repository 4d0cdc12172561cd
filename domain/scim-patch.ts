import { ScimError as PatchError, type ScimPatchOperation, scimPatch } from 'scim-patch';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { checkKeys, checkSubKeys, type ParsedPath, parsePath } from './scim-attributes';
import {
  isObject,
  MAX_GROUP_MEMBERS,
  normalizeResource,
  type Read,
  type ResourceKind,
  readMembers,
  SCIM_SCHEMAS,
  type ScimType,
} from './scim-resources';

/**
 * SCIM PATCH (RFC 7644 §3.5.2), applied by the scim-patch library after the request shapes that
 * Okta and Entra ID really send are normalized to RFC form:
 * - ops in any case (`"Replace"`, `"Add"`, `"Remove"`) → lower case (the library takes only
 *   `add|Add|…` and refuses `"REPLACE"`);
 * - attribute names in any case (`"Active"`) → canonical;
 * - string booleans (`"active": "False"`) → booleans, on the patched resource;
 * - paths checked against the declared attributes (domain/scim-attributes.ts).
 * Group members never go through the library: applyGroupPatch applies member operations to a set
 * of ids, in linear time (the library filters the whole list once per operation), and reads
 * Entra ID's old-style removal `{ op: "Remove", path: "members", value: [{ value: "id" }] }` as
 * removing exactly the listed members (the library removes only deep-equal entries: nothing, when
 * the stored member has a `display`). An empty list removes nothing.
 */

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

/** Operations per PATCH request (advertised in ServiceProviderConfig). */
export const MAX_PATCH_OPERATIONS = 1000;

const OPS = new Set(['add', 'remove', 'replace']);
const syntax = (detail: string): Read<never> => ({ ok: false, scimType: 'invalidSyntax', detail });
const invalid = (detail: string): Read<never> => ({ ok: false, scimType: 'invalidValue', detail });

/**
 * Reads a PatchOp request body into normalized operations. Every path (and every key of a
 * path-less value, which is a path too) must name a declared attribute; keys that reach the
 * prototype chain are refused at any depth.
 */
export function readPatchRequest(kind: ResourceKind, body: unknown): Read<PatchOperation[]> {
  if (!isObject(body)) return syntax('The PATCH body must be a JSON object.');
  const dangerous = checkKeys(body);
  if (dangerous) return dangerous;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const operations = key ? body[key] : undefined;
  if (!Array.isArray(operations) || operations.length === 0) {
    return syntax('The PATCH body needs a non-empty "Operations" array.');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    return invalid(`A PATCH carries at most ${MAX_PATCH_OPERATIONS} operations; send the rest in another.`);
  }
  const out: PatchOperation[] = [];
  for (const raw of operations) {
    if (!isObject(raw)) return syntax('Every operation must be a JSON object.');
    const fields = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    const lower = typeof fields.op === 'string' ? fields.op.trim().toLowerCase() : '';
    if (!OPS.has(lower)) return syntax(`Unknown PATCH op "${String(fields.op)}".`);
    const op = lower as PatchOperation['op'];
    if (fields.path !== undefined && typeof fields.path !== 'string') return syntax('path must be a string.');
    let target: ParsedPath | null = null;
    if (typeof fields.path === 'string' && fields.path.trim() !== '') {
      const parsed = parsePath(kind, fields.path);
      if (!parsed.ok) return parsed;
      target = parsed.value;
    }
    const value = fields.value;
    if (op === 'remove') {
      if (!target) return { ok: false, scimType: 'noTarget', detail: 'A remove operation needs a path.' };
      // Entra ID's old-style removal of listed members keeps its list (see applyGroupPatch).
      const keepValue = target.path === 'members' && value !== undefined && value !== null;
      out.push({ op: 'remove', path: target.path, ...(keepValue ? { value } : {}) });
      continue;
    }
    if (!('value' in fields)) return syntax(`The ${op} operation needs a value.`);
    if (!target || target.path === SCIM_SCHEMAS.enterpriseUser) {
      // The library cannot address the extension URN as a path: write it as a path-less value.
      const object = target ? { [target.path]: value } : value;
      if (!isObject(object)) return syntax(`A ${op} operation without a path needs an object value.`);
      const entries: [string, unknown][] = [];
      for (const [name, item] of Object.entries(object)) {
        const parsed = parsePath(kind, name);
        if (!parsed.ok) return parsed;
        const { path, filter, sub, attribute, subs } = parsed.value;
        const refused = filter === null && sub === null ? checkSubKeys(attribute, subs, item) : null;
        if (refused) return refused;
        entries.push([path, item]);
      }
      out.push({ op, value: normalizeResource(kind, Object.fromEntries(entries)) });
      continue;
    }
    if (target.filter === null && target.sub === null) {
      const refused = checkSubKeys(target.attribute, target.subs, value);
      if (refused) return refused;
    }
    out.push({ op, path: target.path, value });
  }
  return { ok: true, value: out };
}

/**
 * Applies normalized operations to a resource (a copy; the input is not changed). The result is
 * normalized again (booleans, attribute names); the caller validates it as a whole.
 */
export function applyPatch(
  kind: ResourceKind,
  resource: Record<string, unknown>,
  operations: PatchOperation[],
): Read<Record<string, unknown>> {
  const document = {
    schemas: [kind === 'User' ? SCIM_SCHEMAS.user : SCIM_SCHEMAS.group],
    ...resource,
    meta: { created: new Date(0), lastModified: new Date(0) },
  };
  try {
    // One deep copy; the library then patches it in place, operation by operation.
    let patched = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    for (const operation of operations) {
      // Removing `attr[filter]` where `attr` is absent (e.g. the last member went in an earlier
      // operation of the same request) removes nothing; the library would call it an error.
      const filtered = operation.op === 'remove' ? /^([^[.]+)\[/.exec(operation.path ?? '') : null;
      if (filtered?.[1] && !Array.isArray(patched[filtered[1]])) continue;
      patched = scimPatch(patched as typeof document, [operation as ScimPatchOperation], {
        mutateDocument: true,
        treatMissingAsAdd: true,
      }) as Record<string, unknown>;
    }
    delete patched.meta;
    return { ok: true, value: normalizeResource(kind, patched) };
  } catch (error) {
    if (error instanceof PatchError) {
      const scimType = (error.scimCode as ScimType | undefined) ?? 'invalidValue';
      return { ok: false, scimType, detail: error.message };
    }
    throw error;
  }
}

const MEMBER_PATH = /^members(?:\[(.*)\])?(\..*)?$/s;
const VALUE_EQ = /^\s*value\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

/**
 * Applies a Group PATCH: member operations to the set of member ids (linear in the request and
 * the group), the others to the group's attributes through the library.
 */
export function applyGroupPatch(
  resource: Record<string, unknown>,
  memberIds: Iterable<string>,
  operations: PatchOperation[],
): Read<{ resource: Record<string, unknown>; memberIds: string[] }> {
  const members = new Set(memberIds);
  const rest: PatchOperation[] = [];
  const readIds = (value: unknown): Read<string[]> => readMembers(Array.isArray(value) ? value : [value]);
  for (const operation of operations) {
    if (!operation.path) {
      const { members: listed, ...others } = (operation.value ?? {}) as Record<string, unknown>;
      if (listed !== undefined) {
        const ids = readIds(listed);
        if (!ids.ok) return ids;
        if (operation.op === 'replace') members.clear();
        for (const id of ids.value) members.add(id);
      }
      if (listed === undefined) rest.push(operation);
      else if (Object.keys(others).length > 0) rest.push({ op: operation.op, value: others });
      continue;
    }
    const match = MEMBER_PATH.exec(operation.path);
    if (!match) {
      rest.push(operation);
      continue;
    }
    const [, filterText, sub] = match;
    if (sub) {
      return { ok: false, scimType: 'mutability', detail: 'Members are added and removed whole.' };
    }
    if (filterText === undefined) {
      if (operation.op === 'remove' && operation.value === undefined) {
        members.clear();
        continue;
      }
      const ids = readIds(operation.value);
      if (!ids.ok) return operation.op === 'remove' ? syntax('Every member to remove needs a value.') : ids;
      if (operation.op === 'remove') for (const id of ids.value) members.delete(id);
      else {
        if (operation.op === 'replace') members.clear();
        for (const id of ids.value) members.add(id);
      }
      continue;
    }
    if (operation.op !== 'remove') {
      return { ok: false, scimType: 'invalidPath', detail: 'Members are added without a filter.' };
    }
    const one = VALUE_EQ.exec(filterText);
    if (one) {
      members.delete((one[1] ?? '').replace(/\\(.)/g, '$1').trim().toLowerCase());
      continue;
    }
    const test = compileFilter(parseFilter(filterText));
    for (const id of members) if (test({ value: id, type: 'User' })) members.delete(id);
  }
  if (members.size > MAX_GROUP_MEMBERS) {
    return invalid(`A group has at most ${MAX_GROUP_MEMBERS} members.`);
  }
  const patched =
    rest.length > 0 ? applyPatch('Group', resource, rest) : { ok: true as const, value: resource };
  if (!patched.ok) return patched;
  return { ok: true, value: { resource: patched.value, memberIds: [...members] } };
}
