import type { Context } from 'hono';
import { MAX_PATCH_OPERATIONS } from '../../domain/scim-patch';
import { SCIM_SCHEMAS } from '../../domain/scim-resources';
import type { AppEnv } from '../context';
import { JSON_BODY_LIMIT } from '../guards';
import { listResponse, MAX_COUNT, ScimError, scimBase, scimJson } from './scim.http';

/** Discovery (RFC 7644 §4): what this service provider supports, and the schemas it speaks. */

type C = Context<AppEnv>;

interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: Attribute[];
  referenceTypes?: string[];
}

const attr = (name: string, description: string, overrides: Partial<Attribute> = {}): Attribute => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...overrides,
});

const multiValuedString = (name: string, description: string): Attribute =>
  attr(name, description, {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attr('value', `The ${name} value.`),
      attr('type', 'A label: work, home, other.'),
      attr('primary', 'The primary value.', { type: 'boolean' }),
      attr('display', 'A human-readable name.'),
    ],
  });

const USER_SCHEMA = {
  id: SCIM_SCHEMAS.user,
  name: 'User',
  description: 'A person of the organization’s directory.',
  attributes: [
    attr(
      'userName',
      'Unique identifier of the user at the IdP, typically an email address; unique per organization, case-insensitive.',
      {
        required: true,
        uniqueness: 'server',
      },
    ),
    attr('externalId', 'The IdP’s own identifier of the user.', { caseExact: true }),
    attr('name', 'The components of the user’s name.', {
      type: 'complex',
      subAttributes: [
        attr('formatted', 'The full name.'),
        attr('familyName', 'The family name.'),
        attr('givenName', 'The given name.'),
        attr('middleName', 'The middle name.'),
        attr('honorificPrefix', 'Honorific prefix.'),
        attr('honorificSuffix', 'Honorific suffix.'),
      ],
    }),
    attr('displayName', 'The name shown for the user.'),
    attr('title', 'The user’s title.'),
    attr('preferredLanguage', 'Preferred language.'),
    attr('locale', 'Locale.'),
    attr('timezone', 'Time zone.'),
    attr('active', 'Whether the user may sign in. Deactivated users cannot log in to any event.', {
      type: 'boolean',
    }),
    attr('password', 'Never stored.', { mutability: 'writeOnly', returned: 'never' }),
    multiValuedString(
      'emails',
      'Email addresses; the primary (else work, else first) one is matched at login.',
    ),
    multiValuedString('phoneNumbers', 'Phone numbers.'),
  ],
};

const ENTERPRISE_USER_SCHEMA = {
  id: SCIM_SCHEMAS.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User extension (kept as sent).',
  attributes: [
    attr('employeeNumber', 'Employee number.'),
    attr('costCenter', 'Cost center.'),
    attr('organization', 'Organization.'),
    attr('division', 'Division.'),
    attr('department', 'Department.'),
    attr('manager', 'The user’s manager.', {
      type: 'complex',
      subAttributes: [
        attr('value', 'The manager’s id.'),
        attr('displayName', 'The manager’s name.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

const GROUP_SCHEMA = {
  id: SCIM_SCHEMAS.group,
  name: 'Group',
  description: 'A group of the organization’s directory; events grant access to groups.',
  attributes: [
    attr('displayName', 'The group’s name; unique per organization, case-insensitive.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('externalId', 'The IdP’s own identifier of the group.', { caseExact: true }),
    attr(
      'members',
      'The users in the group (nested groups are not supported), at most 100,000. A response carries at most 10,000 members: a larger group shows its earliest; a list page ends early rather than exceed it. excludedAttributes=members leaves them out.',
      {
        type: 'complex',
        multiValued: true,
        subAttributes: [
          attr('value', 'The id of a User.', { mutability: 'immutable', caseExact: true }),
          attr('$ref', 'The URI of the User.', {
            type: 'reference',
            mutability: 'immutable',
            referenceTypes: ['User'],
          }),
          attr('display', 'The member’s name.', { mutability: 'readOnly' }),
          attr('type', 'Always "User".', { mutability: 'immutable' }),
        ],
      },
    ),
  ],
};

const SCHEMAS = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];

function schemaResource(schema: (typeof SCHEMAS)[number], base: string) {
  return {
    schemas: [SCIM_SCHEMAS.schema],
    ...schema,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

function resourceTypes(base: string) {
  return [
    {
      schemas: [SCIM_SCHEMAS.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Directory users',
      schema: SCIM_SCHEMAS.user,
      schemaExtensions: [{ schema: SCIM_SCHEMAS.enterpriseUser, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [SCIM_SCHEMAS.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Directory groups',
      schema: SCIM_SCHEMAS.group,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

export function serviceProviderConfig(c: C) {
  const base = scimBase(c);
  return scimJson(c, {
    schemas: [SCIM_SCHEMAS.serviceProviderConfig],
    // `maxOperations` under `patch` is ours (RFC 7643 §5 defines it for bulk only): operations per PATCH.
    patch: { supported: true, maxOperations: MAX_PATCH_OPERATIONS },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: JSON_BODY_LIMIT },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'A SCIM token of the organization (POST /v1/scim-tokens): Authorization: Bearer <token>.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  });
}

export function listSchemas(c: C) {
  const base = scimBase(c);
  return scimJson(
    c,
    listResponse(
      SCHEMAS.map((s) => schemaResource(s, base)),
      SCHEMAS.length,
      1,
    ),
  );
}

export function getSchema(c: C) {
  const schema = SCHEMAS.find((s) => s.id === c.req.param('id'));
  if (!schema) throw new ScimError(404, `Schema ${c.req.param('id')} not found.`);
  return scimJson(c, schemaResource(schema, scimBase(c)));
}

export function listResourceTypes(c: C) {
  const types = resourceTypes(scimBase(c));
  return scimJson(c, listResponse(types, types.length, 1));
}

export function getResourceType(c: C) {
  const type = resourceTypes(scimBase(c)).find((t) => t.id === c.req.param('id'));
  if (!type) throw new ScimError(404, `ResourceType ${c.req.param('id')} not found.`);
  return scimJson(c, type);
}
