import { ScimError as PatchError, type ScimPatchOperation, scimPatch } from 'scim-patch';
import {
  canonicalPath,
  isObject,
  normalizeResource,
  type Read,
  type ResourceKind,
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
 * - Entra ID's old-style removal `{ op: "Remove", path: "members", value: [{ value: "id" }] }`
 *   → one `members[value eq "id"]` removal per listed member. Given to the library as is, it
 *   removes only deep-equal entries (nothing, when the stored member has a `display`), and other
 *   libraries drop every member. An empty list removes nothing.
 */

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace']);
const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
const syntax = (detail: string): Read<never> => ({ ok: false, scimType: 'invalidSyntax', detail });

/** Reads a PatchOp request body into normalized operations. */
export function readPatchRequest(kind: ResourceKind, body: unknown): Read<PatchOperation[]> {
  if (!isObject(body)) return syntax('The PATCH body must be a JSON object.');
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const operations = key ? body[key] : undefined;
  if (!Array.isArray(operations) || operations.length === 0) {
    return syntax('The PATCH body needs a non-empty "Operations" array.');
  }
  const out: PatchOperation[] = [];
  for (const raw of operations) {
    if (!isObject(raw)) return syntax('Every operation must be a JSON object.');
    const fields = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    const lower = typeof fields.op === 'string' ? fields.op.trim().toLowerCase() : '';
    if (!OPS.has(lower)) return syntax(`Unknown PATCH op "${String(fields.op)}".`);
    const op = lower as PatchOperation['op'];
    if (fields.path !== undefined && typeof fields.path !== 'string') return syntax('path must be a string.');
    const path =
      typeof fields.path === 'string' && fields.path.trim() !== ''
        ? canonicalPath(kind, fields.path)
        : undefined;
    const value = fields.value;
    if (op === 'remove') {
      if (!path) return { ok: false, scimType: 'noTarget', detail: 'A remove operation needs a path.' };
      if (path === 'members' && value !== undefined && value !== null) {
        // Entra ID's old-style removal of listed members.
        const members = Array.isArray(value) ? value : [value];
        for (const member of members) {
          const id = typeof member === 'string' ? member : isObject(member) ? member.value : undefined;
          if (typeof id !== 'string' || id === '') return syntax('Every member to remove needs a value.');
          out.push({ op: 'remove', path: `members[value eq ${quote(id)}]` });
        }
        continue;
      }
      out.push({ op: 'remove', path });
      continue;
    }
    if (!('value' in fields)) return syntax(`The ${op} operation needs a value.`);
    if (!path) {
      if (!isObject(value)) return syntax(`A ${op} operation without a path needs an object value.`);
      out.push({ op, value: normalizeResource(kind, value) });
      continue;
    }
    out.push({ op, path, value });
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
