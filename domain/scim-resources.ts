import { emailKey } from './email-address';
import { hasControlCharacters } from './import-invitee';
import { parseBoolean } from './scim-filter';

/** SCIM 2.0 resources as the directory stores them (RFC 7643), read leniently the way IdPs send them. */

export const SCIM_SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export type ScimType =
  | 'invalidValue'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'uniqueness'
  | 'mutability'
  | 'invalidFilter';

export type Read<T> = { ok: true; value: T } | { ok: false; scimType: ScimType; detail: string };

const USER_ATTRIBUTES = [
  'schemas',
  'id',
  'externalId',
  'userName',
  'name',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'password',
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
  'meta',
  SCIM_SCHEMAS.enterpriseUser,
];
const NAME_ATTRIBUTES = [
  'formatted',
  'familyName',
  'givenName',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
];
const GROUP_ATTRIBUTES = ['schemas', 'id', 'externalId', 'displayName', 'members', 'meta'];

const byLower = (names: string[]) => new Map(names.map((n) => [n.toLowerCase(), n]));
const USER_NAMES = byLower(USER_ATTRIBUTES);
const NAME_NAMES = byLower(NAME_ATTRIBUTES);
const GROUP_NAMES = byLower(GROUP_ATTRIBUTES);

export type ResourceKind = 'User' | 'Group';

/** Attribute names are case-insensitive (RFC 7643 §2.1): the canonical spelling of a known one. */
export function canonicalAttribute(kind: ResourceKind, name: string): string {
  return (kind === 'User' ? USER_NAMES : GROUP_NAMES).get(name.toLowerCase()) ?? name;
}

const BOOLEAN_KEYS = new Set(['active', 'primary']);

/**
 * A copy with known attribute names canonical and the boolean attributes (`active`, `primary`)
 * as booleans: Entra ID sends "True" / "False" strings.
 */
export function normalizeResource(
  kind: ResourceKind,
  input: Record<string, unknown>,
): Record<string, unknown> {
  // Built with Object.fromEntries (defines own properties): an assignment `out[key] = …` with a
  // key "__proto__" would set the object's prototype instead.
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => {
      const name = canonicalAttribute(kind, key);
      if (name === 'name' && kind === 'User' && isObject(value)) {
        return [
          name,
          Object.fromEntries(
            Object.entries(value).map(([k, v]) => [NAME_NAMES.get(k.toLowerCase()) ?? k, v]),
          ),
        ];
      }
      return [name, coerceBooleans(name, value)];
    }),
  );
}

function coerceBooleans(key: string, value: unknown): unknown {
  if (BOOLEAN_KEYS.has(key.toLowerCase())) {
    const parsed = parseBoolean(value);
    return parsed === undefined ? value : parsed;
  }
  if (Array.isArray(value)) return value.map((item) => coerceBooleans('', item));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceBooleans(k, v)]));
  }
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface UserFields {
  userName: string;
  userNameKey: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  emailKey: string | null;
  active: boolean;
}

const invalid = (detail: string): Read<never> => ({ ok: false, scimType: 'invalidValue', detail });

/**
 * The JSON API's rule for names (api/schemas.ts PersonName): no control characters. Refused, not
 * cleaned: the IdP shows the refusal in its provisioning log, where its admin can fix the source.
 */
const controlRefusal = (name: string) =>
  invalid(`${name} must not contain control characters such as line breaks.`);

function optionalString(value: unknown, name: string, max: number): Read<string | null> {
  if (value === undefined || value === null || value === '') return { ok: true, value: null };
  if (typeof value !== 'string') return invalid(`${name} must be a string.`);
  const trimmed = value.trim();
  if (trimmed.length > max) return invalid(`${name} is longer than ${max} characters.`);
  if (hasControlCharacters(trimmed)) return controlRefusal(name);
  return { ok: true, value: trimmed === '' ? null : trimmed };
}

/** The address the directory matches logins and invites on: primary, else work, else the first. */
function pickEmail(emails: unknown): Read<string | null> {
  if (emails === undefined || emails === null) return { ok: true, value: null };
  if (!Array.isArray(emails)) return invalid('emails must be an array.');
  const entries = emails.filter(isObject);
  const chosen =
    entries.find((e) => e.primary === true) ??
    entries.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'work') ??
    entries[0];
  return optionalString(chosen?.value, 'emails.value', 320);
}

/**
 * Reads a User as POSTed, PUT or patched: the stored resource (without id, meta, password and the
 * read-only `groups`) and the columns the rules read.
 */
export function readUser(input: unknown): Read<{ fields: UserFields; resource: Record<string, unknown> }> {
  if (!isObject(input))
    return { ok: false, scimType: 'invalidSyntax', detail: 'A User must be a JSON object.' };
  const resource = normalizeResource('User', input);
  delete resource.id;
  delete resource.meta;
  delete resource.password;
  delete resource.groups;
  const userName = resource.userName;
  if (typeof userName !== 'string' || userName.trim() === '') return invalid('userName is required.');
  if (userName.trim().length > 300) return invalid('userName is longer than 300 characters.');
  if (hasControlCharacters(userName.trim())) return controlRefusal('userName');
  const active = resource.active === undefined || resource.active === null ? true : resource.active;
  if (typeof active !== 'boolean') return invalid('active must be a boolean.');
  resource.active = active;
  const name = isObject(resource.name) ? resource.name : {};
  const externalId = optionalString(resource.externalId, 'externalId', 300);
  const displayName = optionalString(resource.displayName, 'displayName', 300);
  const givenName = optionalString(name.givenName, 'name.givenName', 200);
  const familyName = optionalString(name.familyName, 'name.familyName', 200);
  const email = pickEmail(resource.emails);
  for (const read of [externalId, displayName, givenName, familyName, email]) if (!read.ok) return read;
  const emailValue = email.ok ? email.value : null;
  return {
    ok: true,
    value: {
      resource,
      fields: {
        userName: userName.trim(),
        userNameKey: userName.trim().toLowerCase(),
        externalId: externalId.ok ? externalId.value : null,
        displayName: displayName.ok ? displayName.value : null,
        givenName: givenName.ok ? givenName.value : null,
        familyName: familyName.ok ? familyName.value : null,
        email: emailValue,
        emailKey: emailValue ? emailKey(emailValue) : null,
        active,
      },
    },
  };
}

export interface GroupFields {
  displayName: string;
  displayNameKey: string;
  externalId: string | null;
  memberIds: string[];
}

/**
 * Members a group may have: large enough for an all-staff group, small enough that one group's
 * member ids (PATCH reads them all) stay a few megabytes.
 */
export const MAX_GROUP_MEMBERS = 100_000;

/** Member references: `[{ "value": "<user id>" }]` (a plain string is taken too). Deduplicated. */
export function readMembers(members: unknown): Read<string[]> {
  if (members === undefined || members === null) return { ok: true, value: [] };
  if (!Array.isArray(members)) return invalid('members must be an array.');
  if (members.length > MAX_GROUP_MEMBERS) return invalid(`A group has at most ${MAX_GROUP_MEMBERS} members.`);
  const ids = new Set<string>();
  for (const member of members) {
    const value = typeof member === 'string' ? member : isObject(member) ? member.value : undefined;
    if (typeof value !== 'string' || value.trim() === '') return invalid('Every member needs a value.');
    if (isObject(member) && typeof member.type === 'string' && member.type.toLowerCase() === 'group') {
      return invalid('Nested groups are not supported: members must be users.');
    }
    ids.add(value.trim().toLowerCase());
  }
  return { ok: true, value: [...ids] };
}

export function readGroup(input: unknown): Read<GroupFields> {
  if (!isObject(input))
    return { ok: false, scimType: 'invalidSyntax', detail: 'A Group must be a JSON object.' };
  const resource = normalizeResource('Group', input);
  const displayName = resource.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '')
    return invalid('displayName is required.');
  if (displayName.trim().length > 300) return invalid('displayName is longer than 300 characters.');
  if (hasControlCharacters(displayName.trim())) return controlRefusal('displayName');
  const externalId = optionalString(resource.externalId, 'externalId', 300);
  if (!externalId.ok) return externalId;
  const members = readMembers(resource.members);
  if (!members.ok) return members;
  return {
    ok: true,
    value: {
      displayName: displayName.trim(),
      displayNameKey: displayName.trim().toLowerCase(),
      externalId: externalId.value,
      memberIds: members.value,
    },
  };
}
