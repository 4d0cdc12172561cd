import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  entraUser,
  newGroup,
  oktaUser,
  organizationWithScim,
  patchBody,
  type ScimClient,
  scimClient,
} from '../support/scim';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let scim: ScimClient;
let api: Awaited<ReturnType<typeof organizationWithScim>>['client'];

beforeAll(async () => {
  stack = await startStack();
  const org = await organizationWithScim(stack);
  scim = org.scim;
  api = org.client;
});
afterAll(() => stack.close());

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const email = (prefix = 'p') => `${unique(prefix)}@example.org`;

async function createUser(body: unknown) {
  const res = await scim('POST', '/Users', body);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; userName: string; active: boolean };
}

async function createGroup(name: string, members: string[] = []) {
  const res = await scim('POST', '/Groups', newGroup(name, members));
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; displayName: string };
}

const memberIds = async (groupId: string) => {
  const res = await scim('GET', `/Groups/${groupId}`);
  return ((res.json.members ?? []) as { value: string }[]).map((m) => m.value).sort();
};

describe('SCIM tokens', () => {
  it('answers a new token once and keeps only its hash', async () => {
    const res = await api('POST', '/v1/scim-tokens', { label: 'Okta' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({
      label: 'Okta',
      token: expect.stringMatching(/^scim_[A-Za-z0-9_-]{43}$/),
    });
    expect(res.json.scimBaseUrl).toBe(`${stack.baseUrl}/scim/v2`);
    const rows = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ token_hash: string }[]>('select token_hash from scim_tokens where id = ?', [res.json.id]);
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(res.json.token).digest('hex'));
    const listed = await api('GET', '/v1/scim-tokens');
    expect(JSON.stringify(listed.json)).not.toContain(res.json.token);
    expect(listed.json.items.some((t: { id: string }) => t.id === res.json.id)).toBe(true);
  });

  it('refuses a request without a token, with a wrong token and with a revoked one (SCIM 401)', async () => {
    const anonymous = await stack.client()('GET', '/scim/v2/Users');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/scim+json');
    expect(anonymous.json).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
    });
    expect((await scimClient(stack, 'scim_wrong')('GET', '/Users')).status).toBe(401);

    const created = await api('POST', '/v1/scim-tokens', {});
    const client = scimClient(stack, created.json.token);
    expect((await client('GET', '/Users')).status).toBe(200);
    expect((await api('DELETE', `/v1/scim-tokens/${created.json.id}`)).status).toBe(204);
    expect((await client('GET', '/Users')).status).toBe(401);
  });

  it('needs an API key to create tokens', async () => {
    expect((await stack.client()('POST', '/v1/scim-tokens', {})).status).toBe(401);
  });

  it('keeps organizations apart: another organization’s token does not see this one’s users', async () => {
    const user = await createUser(oktaUser(email()));
    const other = await organizationWithScim(stack);
    expect((await other.scim('GET', `/Users/${user.id}`)).status).toBe(404);
    const list = await other.scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`,
    );
    expect(list.json.totalResults).toBe(0);
  });
});

describe('discovery', () => {
  it('describes the service provider: PATCH and filters supported, bulk, sort and etags not', async () => {
    const res = await scim('GET', '/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/scim+json');
    expect(res.json).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
  });

  it('lists the User, EnterpriseUser and Group schemas and the User and Group resource types', async () => {
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.json.totalResults).toBe(3);
    expect(schemas.json.Resources.map((s: { id: string }) => s.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      ENTERPRISE,
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    const user = await scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
    expect(user.json.attributes.find((a: { name: string }) => a.name === 'userName')).toMatchObject({
      required: true,
      uniqueness: 'server',
    });
    const types = await scim('GET', '/ResourceTypes');
    expect(types.json.Resources.map((t: { id: string; endpoint: string }) => [t.id, t.endpoint])).toEqual([
      ['User', '/Users'],
      ['Group', '/Groups'],
    ]);
    expect((await scim('GET', '/ResourceTypes/Group')).json.schema).toBe(
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    );
    expect((await scim('GET', '/ResourceTypes/Device')).status).toBe(404);
  });

  it('is described in the served OpenAPI document, with the access and SSO routes', async () => {
    const doc = (await stack.client()('GET', '/openapi.json')).json;
    for (const path of [
      '/scim/v2/Users',
      '/scim/v2/Users/{id}',
      '/scim/v2/Groups/{id}',
      '/scim/v2/ServiceProviderConfig',
      '/scim/v2/Schemas',
      '/scim/v2/ResourceTypes',
      '/v1/scim-tokens',
      '/v1/events/{eventId}/access/groups',
      '/v1/events/{eventId}/access/groups/{groupId}',
      '/v1/events/{eventId}/access/settings',
      '/v1/sso-settings',
      '/v1/sso/{eventId}/start',
      '/v1/sso/{eventId}/callback',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths['/scim/v2/Groups/{id}'])).toEqual(['get', 'put', 'patch', 'delete']);
  });

  it('answers an unknown SCIM endpoint with a SCIM 404', async () => {
    const res = await scim('GET', '/Devices');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      status: '404',
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    });
  });
});

describe('Users as Okta pushes them', () => {
  it('looks the user up, creates, reads, deactivates with a path-less replace and updates with PUT', async () => {
    const address = email('okta');
    const lookup = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${address}"`)}&startIndex=1&count=100`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.json).toMatchObject({ totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });

    const created = await scim('POST', '/Users', oktaUser(address));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${stack.baseUrl}/scim/v2/Users/${created.json.id}`);
    expect(created.json).toMatchObject({
      userName: address,
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(created.json.password).toBeUndefined();

    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${address.toUpperCase()}"`)}`,
    );
    expect(found.json.totalResults).toBe(1);
    expect(found.json.Resources[0].id).toBe(created.json.id);

    const deactivated = await scim(
      'PATCH',
      `/Users/${created.json.id}`,
      patchBody({ op: 'replace', value: { active: false } }),
    );
    expect(deactivated.status).toBe(200);
    expect(deactivated.json).toMatchObject({ active: false, meta: { version: 'W/"2"' } });

    const replaced = await scim('PUT', `/Users/${created.json.id}`, {
      ...oktaUser(address, 'Augusta', 'King'),
      id: created.json.id,
      active: true,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ active: true, name: { givenName: 'Augusta', familyName: 'King' } });
    expect((await scim('GET', `/Users/${created.json.id}`)).json.displayName).toBe('Augusta King');
  });

  it('refuses a second user with the same userName, in any case (409 uniqueness)', async () => {
    const address = email('dup');
    await createUser(oktaUser(address));
    const again = await scim('POST', '/Users', oktaUser(address.toUpperCase()));
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('refuses a user without userName and a body that is not JSON (400)', async () => {
    const missing = await scim('POST', '/Users', { name: { givenName: 'Nobody' } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ scimType: 'invalidValue' });
    const broken = await scim('POST', '/Users', '{"userName": ');
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ scimType: 'invalidSyntax' });
  });
});

describe('Users as Entra ID pushes them', () => {
  it('creates with string booleans and the enterprise extension, and finds by externalId', async () => {
    const upn = email('entra');
    const created = await createUser(entraUser(upn));
    expect(created.active).toBe(true);
    const read = await scim('GET', `/Users/${created.id}`);
    expect(read.json.schemas).toContain(ENTERPRISE);
    expect(read.json[ENTERPRISE]).toEqual({ department: 'Engineering', employeeNumber: '42' });
    const byExternal = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${upn.split('@')[0]}"`)}`,
    );
    expect(byExternal.json.Resources.map((u: { id: string }) => u.id)).toEqual([created.id]);
  });

  it('deactivates with { op: "Replace", path: "active", value: "False" } and reactivates with "True"', async () => {
    const user = await createUser(entraUser(email('entra')));
    const off = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(off.status).toBe(200);
    expect(off.json.active).toBe(false);
    expect((await scim('GET', `/Users/${user.id}`)).json.active).toBe(false);
    const on = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'True' }),
    );
    expect(on.json.active).toBe(true);
  });

  it('applies Entra’s attribute updates (filtered email, name part, extension) in one PATCH', async () => {
    const upn = email('entra');
    const user = await createUser(entraUser(upn));
    const res = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'grace@navy.example' },
        { op: 'Replace', path: 'name.givenName', value: 'Amazing Grace' },
        { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Navy' },
      ),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.emails).toEqual([{ primary: true, type: 'work', value: 'grace@navy.example' }]);
    expect(res.json.name.givenName).toBe('Amazing Grace');
    expect(res.json[ENTERPRISE].department).toBe('Navy');
    const byEmail = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('emails.value eq "grace@navy.example"')}`,
    );
    expect(byEmail.json.Resources.map((u: { id: string }) => u.id)).toContain(user.id);
  });

  it('deletes (204), then answers 404', async () => {
    const user = await createUser(entraUser(email('gone')));
    expect((await scim('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${user.id}`)).status).toBe(404);
    expect((await scim('DELETE', `/Users/${user.id}`)).status).toBe(404);
    expect((await scim('GET', '/Users/not-a-uuid')).status).toBe(404);
  });
});

describe('Groups as Okta pushes them', () => {
  it('creates, adds members, removes one by members[value eq], renames with a path-less replace', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => createUser(oktaUser(email('member')))));
    if (!a || !b || !c) throw new Error('users');
    const name = unique('Okta Group');
    const group = await createGroup(name);
    expect((await scim('GET', `/Groups/${group.id}`)).json.members ?? []).toEqual([]);

    const added = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({
        op: 'add',
        path: 'members',
        value: [
          { value: a.id, display: a.userName },
          { value: b.id, display: b.userName },
          { value: c.id, display: c.userName },
        ],
      }),
    );
    expect(added.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([a.id, b.id, c.id].sort());

    const removed = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'remove', path: `members[value eq "${b.id}"]` }),
    );
    expect(removed.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([a.id, c.id].sort());

    const renamed = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'replace', value: { id: group.id, displayName: `${name} (renamed)` } }),
    );
    expect(renamed.status).toBe(204);
    const read = await scim('GET', `/Groups/${group.id}`);
    expect(read.json.displayName).toBe(`${name} (renamed)`);
    expect(read.json.members).toHaveLength(2);
    expect(read.json.members[0]).toMatchObject({
      type: 'User',
      $ref: expect.stringContaining('/scim/v2/Users/'),
    });
  });

  it('replaces the whole group with PUT', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => createUser(oktaUser(email('put')))));
    if (!a || !b) throw new Error('users');
    const group = await createGroup(unique('Put Group'), [a.id]);
    const res = await scim('PUT', `/Groups/${group.id}`, newGroup(unique('Put Group 2'), [b.id]));
    expect(res.status).toBe(200);
    expect(res.json.members.map((m: { value: string }) => m.value)).toEqual([b.id]);
  });
});

describe('Groups as Entra ID pushes them', () => {
  it('adds with "Add" and removes exactly the listed members with the old-style "Remove" list', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(entraUser(email('entra')))));
    const ids = users.map((u) => u.id);
    const group = await createGroup(unique('Entra Group'));
    const add = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Add', path: 'members', value: ids.map((value) => ({ value })) }),
    );
    expect(add.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([...ids].sort());

    const remove = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Remove', path: 'members', value: [{ value: ids[0] }, { value: ids[2] }] }),
    );
    expect(remove.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([ids[1], ids[3]].sort());

    const none = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Remove', path: 'members', value: [] }),
    );
    expect(none.status).toBe(204);
    expect(await memberIds(group.id)).toHaveLength(2);
  });

  it('renames with { op: "Replace", path: "displayName" } and looks groups up without members', async () => {
    const name = unique('Entra Rename');
    const group = await createGroup(name);
    await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Replace', path: 'displayName', value: `${name}!` }),
    );
    const lookup = await scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${name}!"`)}`,
    );
    expect(lookup.json.totalResults).toBe(1);
    expect(lookup.json.Resources[0]).toMatchObject({ id: group.id, displayName: `${name}!` });
    expect(lookup.json.Resources[0].members).toBeUndefined();
  });

  it('refuses a second group with the same displayName, in any case (409 uniqueness), on create and rename', async () => {
    const name = unique('Unique');
    const first = await createGroup(name);
    const again = await scim('POST', '/Groups', newGroup(name.toUpperCase()));
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const other = await createGroup(unique('Other'));
    const rename = await scim(
      'PATCH',
      `/Groups/${other.id}`,
      patchBody({ op: 'Replace', path: 'displayName', value: name }),
    );
    expect(rename.status).toBe(409);
    expect((await scim('GET', `/Groups/${first.id}`)).json.displayName).toBe(name);
  });

  it('refuses members that are not users of the directory (400 invalidValue)', async () => {
    const group = await createGroup(unique('Dangling'));
    const res = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Add', path: 'members', value: [{ value: crypto.randomUUID() }] }),
    );
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ scimType: 'invalidValue' });
  });

  it('deletes a group (204), its memberships with it', async () => {
    const user = await createUser(entraUser(email('del')));
    const group = await createGroup(unique('Deleted'), [user.id]);
    expect((await scim('DELETE', `/Groups/${group.id}`)).status).toBe(204);
    expect((await scim('GET', `/Groups/${group.id}`)).status).toBe(404);
    expect((await scim('GET', `/Users/${user.id}`)).status).toBe(200);
  });

  it('refuses a PATCH with an unknown op or without Operations (400 invalidSyntax)', async () => {
    const group = await createGroup(unique('Bad Patch'));
    const unknown = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Merge', path: 'members', value: [] }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.scimType).toBe('invalidSyntax');
    const empty = await scim('PATCH', `/Groups/${group.id}`, { schemas: [] });
    expect(empty.status).toBe(400);
  });
});

describe('lists', () => {
  it('pages with startIndex and count in a stable order, and counts with count=0', async () => {
    const org = await organizationWithScim(stack);
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(
        await (async () => {
          const res = await org.scim('POST', '/Users', oktaUser(email(`page${i}`)));
          return res.json.id as string;
        })(),
      );
    const pages = [];
    for (const startIndex of [1, 3, 5]) {
      const res = await org.scim('GET', `/Users?startIndex=${startIndex}&count=2`);
      expect(res.json).toMatchObject({ totalResults: 5, startIndex });
      pages.push(...res.json.Resources.map((u: { id: string }) => u.id));
    }
    expect(pages).toEqual(created);
    const counted = await org.scim('GET', '/Users?count=0');
    expect(counted.json).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('filters with and, and refuses filters it cannot answer (400 invalidFilter)', async () => {
    const address = email('and');
    const user = await createUser(oktaUser(address));
    const both = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${address}" and active eq true`)}`,
    );
    expect(both.json.Resources.map((u: { id: string }) => u.id)).toEqual([user.id]);
    for (const filter of [
      'userName co "a"',
      'userName eq "a" or userName eq "b"',
      'title eq "x"',
      'userName eq',
    ]) {
      const res = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(400);
      expect(res.json.scimType).toBe('invalidFilter');
    }
  });

  it('projects attributes', async () => {
    const user = await createUser(oktaUser(email('proj')));
    const res = await scim('GET', `/Users/${user.id}?attributes=userName`);
    expect(Object.keys(res.json).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});
