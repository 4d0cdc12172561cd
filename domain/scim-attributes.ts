import { type Filter, parse } from 'scim2-parse-filter';
import { SCIM_SCHEMAS } from './scim-resources';

/**
 * The attributes Roster's SCIM schemas declare, and the check of PATCH paths and value keys
 * against them. Only declared names reach the scim-patch library, which walks paths with plain
 * property access: a `__proto__` or `constructor.prototype` segment would write onto
 * Object.prototype for the whole process.
 */

const USER_SCHEMA = SCIM_SCHEMAS.user;
const ENTERPRISE_USER_SCHEMA = SCIM_SCHEMAS.enterpriseUser;
const GROUP_SCHEMA = SCIM_SCHEMAS.group;

/** Attribute name → its sub-attributes (empty: a simple attribute). RFC 7643 §4, §8.7.1. */
type Declared = ReadonlyMap<string, readonly string[]>;

const MULTI = ['value', 'display', 'type', 'primary'];
const declare = (entries: [string, readonly string[]][]): Declared =>
  new Map(entries.map(([name, subs]) => [name.toLowerCase(), [name, ...subs]]));

const ENTERPRISE: Declared = declare([
  ['employeeNumber', []],
  ['costCenter', []],
  ['organization', []],
  ['division', []],
  ['department', []],
  ['manager', ['value', '$ref', 'displayName']],
]);

const USER: Declared = declare([
  ['schemas', []],
  ['id', []],
  ['externalId', []],
  ['userName', []],
  ['name', ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']],
  ['displayName', []],
  ['nickName', []],
  ['profileUrl', []],
  ['title', []],
  ['userType', []],
  ['preferredLanguage', []],
  ['locale', []],
  ['timezone', []],
  ['active', []],
  ['password', []],
  ['emails', MULTI],
  ['phoneNumbers', MULTI],
  ['ims', MULTI],
  ['photos', MULTI],
  [
    'addresses',
    ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'],
  ],
  ['groups', ['value', '$ref', 'display', 'type']],
  ['entitlements', MULTI],
  ['roles', MULTI],
  ['x509Certificates', MULTI],
  ['meta', ['resourceType', 'created', 'lastModified', 'location', 'version']],
  // The extension as one attribute: `{ "urn:…:enterprise:2.0:User": { "department": … } }`.
  [ENTERPRISE_USER_SCHEMA, [...ENTERPRISE.values()].map(([name]) => name as string)],
]);

const GROUP: Declared = declare([
  ['schemas', []],
  ['id', []],
  ['externalId', []],
  ['displayName', []],
  ['members', ['value', '$ref', 'display', 'type']],
  ['meta', ['resourceType', 'created', 'lastModified', 'location', 'version']],
]);

export type Kind = 'User' | 'Group';
export type Refusal = {
  ok: false;
  scimType: 'invalidPath' | 'invalidValue' | 'invalidFilter';
  detail: string;
};
type Checked<T> = { ok: true; value: T } | Refusal;

/** A PATCH path taken apart: `emails[type eq "work"].value` → emails, the filter, value. */
export interface ParsedPath {
  /** Canonical, with the enterprise URN prefix when the attribute is the extension's. */
  path: string;
  attribute: string;
  extension: boolean;
  filter: string | null;
  sub: string | null;
  /** The attribute's declared sub-attributes (empty for a simple attribute). */
  subs: readonly string[];
}

const PATH = /^([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/s;
const invalidPath = (detail: string): Refusal => ({ ok: false, scimType: 'invalidPath', detail });
const invalidValue = (detail: string): Refusal => ({ ok: false, scimType: 'invalidValue', detail });

function lookup(declared: Declared, name: string): readonly string[] | undefined {
  return declared.get(name.toLowerCase());
}

function canonicalSub(subs: readonly string[], name: string) {
  return subs.find((s) => s.toLowerCase() === name.toLowerCase());
}

/** The attribute paths a filter reads (`type eq "work" and primary eq true` → type, primary). */
function filterAttributes(node: Filter, out: string[]): boolean {
  if ('filters' in node) return node.filters.every((f) => filterAttributes(f, out));
  if (node.op === 'not' && 'filter' in node) return filterAttributes(node.filter, out);
  if (node.op === '[]') return false;
  if ('attrPath' in node) out.push(node.attrPath);
  return true;
}

/**
 * Checks a PATCH path (RFC 7644 §3.5.2: `[schema ":"] attr [ "[" filter "]" ] [ "." sub ]`)
 * against the declared attributes: unknown names, schemas and filter attributes are `invalidPath`.
 */
export function parsePath(kind: Kind, raw: string): Checked<ParsedPath> {
  let rest = raw.trim();
  const core = kind === 'User' ? USER_SCHEMA : GROUP_SCHEMA;
  let extension = false;
  const lower = rest.toLowerCase();
  if (lower.startsWith(`${core.toLowerCase()}:`)) rest = rest.slice(core.length + 1);
  else if (kind === 'User' && lower === ENTERPRISE_USER_SCHEMA.toLowerCase()) rest = ENTERPRISE_USER_SCHEMA;
  else if (kind === 'User' && lower.startsWith(`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:`)) {
    rest = rest.slice(ENTERPRISE_USER_SCHEMA.length + 1);
    extension = true;
  }
  if (rest === ENTERPRISE_USER_SCHEMA) {
    const subs = (lookup(USER, rest) ?? []).slice(1);
    return {
      ok: true,
      value: { path: rest, attribute: rest, extension: false, filter: null, sub: null, subs },
    };
  }
  const match = PATH.exec(rest);
  if (!match) return invalidPath(`"${raw}" is not an attribute path this service provider knows.`);
  const [, head = '', filter, sub] = match;
  const declared = lookup(extension ? ENTERPRISE : kind === 'User' ? USER : GROUP, head);
  if (!declared) return invalidPath(`Unknown attribute "${head}" in path "${raw}".`);
  const [attribute = head, ...subs] = declared;
  let canonicalSubName: string | null = null;
  if (sub !== undefined) {
    const found = canonicalSub(subs, sub);
    if (!found) return invalidPath(`Unknown sub-attribute "${sub}" of ${attribute} in path "${raw}".`);
    canonicalSubName = found;
  }
  if (filter !== undefined) {
    if (subs.length === 0) return invalidPath(`${attribute} is not a multi-valued attribute to filter.`);
    let tree: Filter;
    try {
      tree = parse(filter);
    } catch {
      return { ok: false, scimType: 'invalidFilter', detail: `The filter of path "${raw}" is not valid.` };
    }
    const names: string[] = [];
    if (!filterAttributes(tree, names)) return invalidPath(`Nested filters are not supported: "${raw}".`);
    const unknown = names.find((n) => !canonicalSub(subs, n));
    if (unknown !== undefined) {
      return invalidPath(`Unknown sub-attribute "${unknown}" of ${attribute} in the filter of "${raw}".`);
    }
  }
  const prefix = extension ? `${ENTERPRISE_USER_SCHEMA}:` : '';
  return {
    ok: true,
    value: {
      path: `${prefix}${attribute}${filter !== undefined ? `[${filter}]` : ''}${canonicalSubName ? `.${canonicalSubName}` : ''}`,
      attribute,
      extension,
      filter: filter ?? null,
      sub: canonicalSubName,
      subs,
    },
  };
}

/** Keys that reach the prototype chain when used as property names, in any spelling. */
const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype']);

/** True when a key, or any dotted / colon-separated segment of it, names the prototype chain. */
export function isDangerousKey(key: string): boolean {
  return key
    .toLowerCase()
    .split(/[^a-z0-9_$]+/)
    .some((segment) => DANGEROUS.has(segment));
}

/** How deep a SCIM value may nest: the deepest declared shape is 3 (extension → manager → value). */
export const MAX_VALUE_DEPTH = 16;

/** Refuses a value with a dangerous key at any depth, or nested deeper than MAX_VALUE_DEPTH. */
export function checkKeys(value: unknown): Refusal | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_VALUE_DEPTH) return invalidValue(`Values nest at most ${MAX_VALUE_DEPTH} levels deep.`);
    if (Array.isArray(item)) {
      for (const child of item) stack.push([child, depth + 1]);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (isDangerousKey(key)) return invalidValue(`"${key}" is not an attribute name.`);
      stack.push([(item as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}

/**
 * Checks the keys of a value written to a complex attribute (an object, or a list of objects for a
 * multi-valued one): each must be one of its declared sub-attributes.
 */
export function checkSubKeys(attribute: string, subs: readonly string[], value: unknown): Refusal | null {
  if (subs.length === 0) return null;
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    for (const key of Object.keys(item)) {
      if (!canonicalSub(subs, key)) return invalidValue(`Unknown sub-attribute "${key}" of ${attribute}.`);
    }
  }
  return null;
}
