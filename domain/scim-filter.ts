import { type Filter, parse } from 'scim2-parse-filter';

/**
 * SCIM list filters (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter and narrowed to what the
 * service provider supports: `eq` on a few attributes, joined by `and`. That is what Okta and
 * Entra ID send (`userName eq "…"`, `externalId eq "…"`, `displayName eq "…"`).
 */

export const USER_FILTER_ATTRIBUTES = {
  id: 'id',
  username: 'userName',
  externalid: 'externalId',
  displayname: 'displayName',
  emails: 'email',
  'emails.value': 'email',
  active: 'active',
} as const;

export const GROUP_FILTER_ATTRIBUTES = {
  id: 'id',
  displayname: 'displayName',
  externalid: 'externalId',
} as const;

export type FilterAttribute =
  | (typeof USER_FILTER_ATTRIBUTES)[keyof typeof USER_FILTER_ATTRIBUTES]
  | (typeof GROUP_FILTER_ATTRIBUTES)[keyof typeof GROUP_FILTER_ATTRIBUTES];

export interface FilterCondition {
  attribute: FilterAttribute;
  value: string | boolean;
}

export type FilterParse = { ok: true; conditions: FilterCondition[] } | { ok: false; detail: string };

const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i;

function collect(
  node: Filter,
  attributes: Readonly<Record<string, FilterAttribute>>,
  out: FilterCondition[],
): string | null {
  if (node.op === 'and' && 'filters' in node) {
    for (const child of node.filters) {
      const error = collect(child, attributes, out);
      if (error) return error;
    }
    return null;
  }
  if (node.op !== 'eq' || !('attrPath' in node) || !('compValue' in node)) {
    return `Only "eq" comparisons joined by "and" are supported, not "${node.op}".`;
  }
  const path = node.attrPath.replace(CORE_PREFIX, '').toLowerCase();
  const attribute = attributes[path];
  if (!attribute) return `Filtering on "${node.attrPath}" is not supported.`;
  const raw = node.compValue;
  if (attribute === 'active') {
    const value = typeof raw === 'string' ? parseBoolean(raw) : raw;
    if (typeof value !== 'boolean') return 'active must be compared with true or false.';
    out.push({ attribute, value });
    return null;
  }
  if (typeof raw !== 'string') return `${node.attrPath} must be compared with a string.`;
  out.push({ attribute, value: raw });
  return null;
}

/** Parses a filter; refuses (SCIM `invalidFilter`) what the store cannot answer exactly. */
export function parseScimFilter(
  filter: string,
  attributes: Readonly<Record<string, FilterAttribute>>,
): FilterParse {
  let ast: Filter;
  try {
    ast = parse(filter);
  } catch (error) {
    return { ok: false, detail: `The filter is not valid: ${(error as Error).message}` };
  }
  const conditions: FilterCondition[] = [];
  const error = collect(ast, attributes, conditions);
  return error ? { ok: false, detail: error } : { ok: true, conditions };
}

/** SCIM booleans as some IdPs send them: Entra ID sends "True" / "False" as strings. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}
