import type { Stack } from './stack';

/** SCIM request bodies as Okta and Microsoft Entra ID send them (from their provisioning docs and logs). */

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** Okta's POST /Users. */
export const oktaUser = (email: string, given = 'Ada', family = 'Lovelace') => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: given, familyName: family },
  emails: [{ primary: true, value: email, type: 'work' }],
  displayName: `${given} ${family}`,
  locale: 'en-US',
  externalId: `00u${Math.random().toString(36).slice(2, 12)}`,
  groups: [],
  password: 'xK2!aB9#mQ',
  active: true,
});

/** Entra ID's POST /Users (userName is the UPN; booleans sometimes as strings). */
export const entraUser = (upn: string, mail = upn, given = 'Grace', family = 'Hopper') => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  externalId: upn.split('@')[0],
  userName: upn,
  active: 'True',
  displayName: `${given} ${family}`,
  emails: [{ primary: true, type: 'work', value: mail }],
  name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
  [ENTERPRISE]: { department: 'Engineering', employeeNumber: '42' },
});

/** Okta's and Entra's POST /Groups. */
export const newGroup = (displayName: string, members: string[] = []) => ({
  schemas: [GROUP_SCHEMA],
  displayName,
  externalId: `ext-${displayName}`,
  members: members.map((value) => ({ value })),
});

/** A SCIM client with the organization's SCIM token, in application/scim+json. */
export function scimClient(stack: Stack, token: string) {
  const call = stack.client(token);
  return (method: string, path: string, body?: unknown) =>
    call(
      method,
      `/scim/v2${path}`,
      body,
      body === undefined ? {} : { 'content-type': 'application/scim+json' },
    );
}

export type ScimClient = ReturnType<typeof scimClient>;

/** A new organization with an API key and a SCIM token. */
export async function organizationWithScim(stack: Stack) {
  const org = await stack.createOrganization();
  const created = await org.client('POST', '/v1/scim-tokens', { label: 'IdP' });
  if (created.status !== 201) throw new Error(`scim token: ${created.status} ${created.text}`);
  return { ...org, scimToken: created.json.token as string, scim: scimClient(stack, created.json.token) };
}
