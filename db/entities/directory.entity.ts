import { defineEntity, p } from '@mikro-orm/core';
import { Event } from './event.entity';
import { Organization } from './organization.entity';

/**
 * The organization's identity-provider directory, as pushed through SCIM 2.0, and what closed
 * SSO events grant from it. Written by the SCIM and access handlers; read at every SSO login.
 */

/** A SCIM bearer token of an organization; only the sha256 of the token is kept. */
export const ScimToken = defineEntity({
  name: 'ScimToken',
  tableName: 'scim_tokens',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    label: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'scim_tokens_org_created_idx', properties: ['organization', 'createdAt'] }],
});

/** A SCIM User. `resource` keeps the attributes as the IdP sent them; the columns are what rules read. */
export const DirectoryUser = defineEntity({
  name: 'DirectoryUser',
  tableName: 'directory_users',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    userName: p.string().length(300),
    // Lower-cased userName: unique per organization (RFC 7643: userName is case-insensitive).
    userNameKey: p.string().length(300),
    externalId: p.string().length(300).nullable(),
    displayName: p.string().length(300).nullable(),
    givenName: p.string().length(200).nullable(),
    familyName: p.string().length(200).nullable(),
    // The primary (or work, or first) address, and its comparison key (domain/email-address emailKey).
    email: p.string().length(320).nullable(),
    emailKey: p.string().length(320).nullable(),
    active: p.boolean(),
    resource: p.json<Record<string, unknown>>(),
    // The IdP account bound at the first OIDC login (issuer + stable subject); later logins match on it.
    oidcIssuer: p.string().length(500).nullable(),
    oidcSubject: p.string().length(300).nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [
    { name: 'directory_users_org_user_name_unique', properties: ['organization', 'userNameKey'] },
    // One IdP account signs in as one directory user.
    {
      name: 'directory_users_org_oidc_subject_unique',
      properties: ['organization', 'oidcIssuer', 'oidcSubject'],
    },
  ],
  indexes: [
    { name: 'directory_users_org_created_idx', properties: ['organization', 'createdAt', 'id'] },
    { name: 'directory_users_org_email_idx', properties: ['organization', 'emailKey'] },
    { name: 'directory_users_org_external_idx', properties: ['organization', 'externalId'] },
  ],
});

/** A SCIM Group. Its members are rows of `directory_memberships`, not part of this row. */
export const DirectoryGroup = defineEntity({
  name: 'DirectoryGroup',
  tableName: 'directory_groups',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    displayName: p.string().length(300),
    // Lower-cased displayName: unique per organization.
    displayNameKey: p.string().length(300),
    // Accent-free lower-case displayName, for the access list's `q`.
    searchText: p.string().length(300),
    externalId: p.string().length(300).nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [
    { name: 'directory_groups_org_display_name_unique', properties: ['organization', 'displayNameKey'] },
  ],
  indexes: [
    { name: 'directory_groups_org_created_idx', properties: ['organization', 'createdAt', 'id'] },
    { name: 'directory_groups_org_external_idx', properties: ['organization', 'externalId'] },
  ],
});

/** A user's membership of a group, as last synced. */
export const DirectoryMembership = defineEntity({
  name: 'DirectoryMembership',
  tableName: 'directory_memberships',
  properties: {
    group: () => p.manyToOne(DirectoryGroup).primary().deleteRule('cascade'),
    user: () => p.manyToOne(DirectoryUser).primary().deleteRule('cascade'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'directory_memberships_user_idx', properties: ['user'] }],
});

/** Access to a closed event granted to a group's members. */
export const EventGroupGrant = defineEntity({
  name: 'EventGroupGrant',
  tableName: 'event_group_grants',
  properties: {
    event: () => p.manyToOne(Event).primary().deleteRule('cascade'),
    group: () => p.manyToOne(DirectoryGroup).primary().deleteRule('cascade'),
    grantedBy: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'event_group_grants_group_idx', properties: ['group'] }],
});

/** The organization's OpenID Provider (relying-party registration). The secret is never returned. */
export const OidcSettings = defineEntity({
  name: 'OidcSettings',
  tableName: 'oidc_settings',
  properties: {
    organization: () => p.manyToOne(Organization).primary().deleteRule('cascade'),
    issuer: p.string().length(500),
    clientId: p.string().length(300),
    clientSecret: p.text(),
    scopes: p.string().length(500),
    // Which claim a first login may match on: a verified `email`, or Entra ID's `preferred_username` (UPN).
    matchClaim: p.enum(['email', 'preferred_username'] as const).default('email'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

/**
 * One OIDC login between /start and /callback: state (as sha256), the browser binding cookie (as
 * sha256), the PKCE verifier and the nonce. Single-use and short-lived.
 */
export const SsoLoginAttempt = defineEntity({
  name: 'SsoLoginAttempt',
  tableName: 'sso_login_attempts',
  properties: {
    id: p.uuid().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    stateHash: p.string().length(64).unique(),
    bindingHash: p.string().length(64),
    codeVerifier: p.string().length(200),
    nonce: p.string().length(200),
    redirectUri: p.string().length(2048),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'sso_login_attempts_expires_idx', properties: ['expiresAt'] }],
});
