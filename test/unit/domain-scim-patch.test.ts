import { scimPatch } from 'scim-patch';
import { describe, expect, it } from 'vitest';
import { applyGroupPatch, applyPatch, type PatchOperation, readPatchRequest } from '../../domain/scim-patch';
import { readGroup, readMembers, readUser, SCIM_SCHEMAS } from '../../domain/scim-resources';

const body = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patch], Operations });

function patch(kind: 'User' | 'Group', resource: Record<string, unknown>, request: unknown) {
  const ops = readPatchRequest(kind, request);
  if (!ops.ok) throw new Error(`refused: ${ops.detail}`);
  if (kind === 'Group') {
    // As the Group handler does: the members as a set of ids, the rest through the library.
    const { members: listed, ...rest } = resource;
    const ids = readMembers(listed);
    if (!ids.ok) throw new Error(ids.detail);
    const result = applyGroupPatch(rest, ids.value, ops.value);
    if (!result.ok) throw new Error(`failed: ${result.detail}`);
    return { ...result.value.resource, members: result.value.memberIds.map((value) => ({ value })) };
  }
  const result = applyPatch(kind, resource, ops.value);
  if (!result.ok) throw new Error(`failed: ${result.detail}`);
  return result.value;
}

const members = (resource: Record<string, unknown>) => {
  const read = readMembers(resource.members);
  if (!read.ok) throw new Error(read.detail);
  return read.value.sort();
};

const group = () => ({
  displayName: 'Engineering',
  members: [{ value: 'u1', display: 'Ada' }, { value: 'u2' }, { value: 'u3', display: 'Grace' }],
});

const user = () => ({
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  active: true,
});

describe('the scim-patch library as it comes (pinned: why the request shapes are normalized first)', () => {
  const doc = () => ({
    schemas: [SCIM_SCHEMAS.group],
    meta: { created: new Date(), lastModified: new Date() },
    ...group(),
  });

  it('removes nothing on Entra’s old-style removal when the stored member carries a display', () => {
    const out = scimPatch(doc(), [{ op: 'Remove', path: 'members', value: [{ value: 'u1' }] }], {
      mutateDocument: false,
    }) as unknown as { members: unknown[] };
    expect(out.members).toHaveLength(3);
  });

  it('drops every member on a remove of "members" without a value (RFC 7644 semantics)', () => {
    const out = scimPatch(doc(), [{ op: 'remove', path: 'members' }], {
      mutateDocument: false,
    }) as unknown as {
      members?: unknown[];
    };
    expect(out.members).toBeUndefined();
  });

  it('refuses an op spelled in upper case and keeps "False" a string', () => {
    expect(() =>
      scimPatch(doc(), [{ op: 'REPLACE' as 'replace', path: 'displayName', value: 'x' }]),
    ).toThrow();
    const out = scimPatch({ ...doc(), active: true }, [{ op: 'Replace', path: 'active', value: 'False' }], {
      mutateDocument: false,
    }) as unknown as { active: unknown };
    expect(out.active).toBe('False');
  });
});

describe('readPatchRequest normalizes what Okta and Entra ID send', () => {
  it('lower-cases ops in any spelling', () => {
    const ops = readPatchRequest('User', body({ op: 'REPLACE', path: 'Active', value: 'False' }));
    expect(ops).toEqual({ ok: true, value: [{ op: 'replace', path: 'active', value: 'False' }] });
  });

  it('keeps Entra’s plain member list removal with its list (applyGroupPatch removes exactly those)', () => {
    const value = [{ value: 'u1' }, { value: 'u"2' }];
    const ops = readPatchRequest('Group', body({ op: 'Remove', path: 'members', value }));
    expect(ops).toEqual({ ok: true, value: [{ op: 'remove', path: 'members', value }] });
  });

  it('refuses a body without Operations, an unknown op and a remove without a path', () => {
    expect(readPatchRequest('User', { schemas: [SCIM_SCHEMAS.patch] })).toMatchObject({
      ok: false,
      scimType: 'invalidSyntax',
    });
    expect(readPatchRequest('User', body({ op: 'move', path: 'x', value: 1 }))).toMatchObject({
      ok: false,
      scimType: 'invalidSyntax',
    });
    expect(readPatchRequest('User', body({ op: 'remove' }))).toMatchObject({
      ok: false,
      scimType: 'noTarget',
    });
  });

  it('accepts the lower-case "operations" key', () => {
    expect(readPatchRequest('Group', { operations: [{ op: 'add', path: 'members', value: [] }] }).ok).toBe(
      true,
    );
  });
});

describe('User PATCH in each IdP’s shape', () => {
  it('deactivates with Okta’s path-less replace { active: false }', () => {
    const out = patch('User', user(), body({ op: 'replace', value: { active: false } }));
    expect(out.active).toBe(false);
  });

  it('deactivates with Entra’s { op: "Replace", path: "active", value: "False" }', () => {
    const out = patch('User', user(), body({ op: 'Replace', path: 'active', value: 'False' }));
    expect(out.active).toBe(false);
    const read = readUser(out);
    expect(read.ok && read.value.fields.active).toBe(false);
  });

  it('reactivates with Entra’s "True"', () => {
    const out = patch(
      'User',
      { ...user(), active: false },
      body({ op: 'Replace', path: 'active', value: 'True' }),
    );
    expect(out.active).toBe(true);
  });

  it('applies Entra’s attribute updates: filtered email, name part, enterprise extension', () => {
    const out = patch(
      'User',
      { userName: 'ada@example.com', active: true },
      body(
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada@work.example' },
        { op: 'Replace', path: 'name.givenName', value: 'Augusta' },
        { op: 'Add', path: 'name.familyName', value: 'King' },
        {
          op: 'Replace',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'Analytics',
        },
      ),
    );
    expect(out.emails).toEqual([{ type: 'work', value: 'ada@work.example' }]);
    expect(out.name).toEqual({ givenName: 'Augusta', familyName: 'King' });
    expect(out[SCIM_SCHEMAS.enterpriseUser]).toEqual({ department: 'Analytics' });
    const read = readUser(out);
    expect(read.ok && read.value.fields).toMatchObject({
      email: 'ada@work.example',
      emailKey: 'ada@work.example',
      givenName: 'Augusta',
    });
  });

  it('renames with Okta’s path-less replace of several attributes', () => {
    const out = patch(
      'User',
      user(),
      body({ op: 'replace', value: { userName: 'ada.king@example.com', name: { givenName: 'Augusta' } } }),
    );
    expect(out.userName).toBe('ada.king@example.com');
  });
});

describe('Group PATCH in each IdP’s shape', () => {
  it('adds members with Okta’s and Entra’s add, without duplicates', () => {
    const out = patch(
      'Group',
      group(),
      body(
        { op: 'add', path: 'members', value: [{ value: 'u4', display: 'Hedy' }] },
        { op: 'Add', path: 'members', value: [{ value: 'u2' }, { value: 'u5' }] },
      ),
    );
    expect(members(out)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
  });

  it('removes one member with Okta’s members[value eq "…"]', () => {
    const out = patch('Group', group(), body({ op: 'remove', path: 'members[value eq "u1"]' }));
    expect(members(out)).toEqual(['u2', 'u3']);
  });

  it('removes exactly the listed members with Entra’s old-style Remove, even those with a display', () => {
    const out = patch(
      'Group',
      group(),
      body({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u3' }] }),
    );
    expect(members(out)).toEqual(['u2']);
  });

  it('removes nothing on Entra’s Remove with an empty list', () => {
    const out = patch('Group', group(), body({ op: 'Remove', path: 'members', value: [] }));
    expect(members(out)).toEqual(['u1', 'u2', 'u3']);
  });

  it('removes the last member and an unknown one in the same request', () => {
    const out = patch(
      'Group',
      { displayName: 'Solo', members: [{ value: 'u1' }] },
      body({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u9' }] }),
    );
    expect(members(out)).toEqual([]);
  });

  it('removes every member on a remove of "members" without a value', () => {
    const out = patch('Group', group(), body({ op: 'remove', path: 'members' }));
    expect(members(out)).toEqual([]);
  });

  it('replaces all members with replace on "members"', () => {
    const out = patch('Group', group(), body({ op: 'Replace', path: 'members', value: [{ value: 'u9' }] }));
    expect(members(out)).toEqual(['u9']);
  });

  it('renames with Entra’s Replace displayName and Okta’s path-less replace with id', () => {
    const entra = patch('Group', group(), body({ op: 'Replace', path: 'displayName', value: 'Eng' }));
    expect(entra.displayName).toBe('Eng');
    const okta = patch(
      'Group',
      group(),
      body({ op: 'replace', value: { id: 'g1', displayName: 'Platform' } }),
    );
    const read = readGroup(okta);
    expect(read.ok && read.value.displayName).toBe('Platform');
    expect(read.ok && read.value.memberIds.sort()).toEqual(['u1', 'u2', 'u3']);
  });

  it('treats Entra’s replace of a filtered email that does not exist yet as an add', () => {
    const ops: PatchOperation[] = [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@work.example' },
    ];
    const out = applyPatch(
      'User',
      { userName: 'a', emails: [{ type: 'home', value: 'a@home.example' }] },
      ops,
    );
    expect(out).toEqual({
      ok: true,
      value: {
        schemas: [SCIM_SCHEMAS.user],
        userName: 'a',
        emails: [
          { type: 'home', value: 'a@home.example' },
          { type: 'work', value: 'a@work.example' },
        ],
      },
    });
  });

  it('refuses an add of a plain value to a complex attribute', () => {
    const out = applyPatch('User', { userName: 'a', name: { givenName: 'A' } }, [
      { op: 'add', path: 'name', value: 'just a string' },
    ]);
    expect(out).toMatchObject({ ok: false });
  });
});

describe('readUser and readGroup', () => {
  it('takes string booleans, picks the primary email and drops the password', () => {
    const read = readUser({
      UserName: 'Grace@Example.com',
      Active: 'False',
      password: 'secret',
      emails: [
        { value: 'g@home.example', type: 'home' },
        { value: 'grace@example.com', type: 'work', primary: 'True' },
      ],
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.fields).toMatchObject({
      userName: 'Grace@Example.com',
      userNameKey: 'grace@example.com',
      active: false,
      email: 'grace@example.com',
    });
    expect(read.value.resource.password).toBeUndefined();
  });

  it('refuses a user without userName and a non-boolean active', () => {
    expect(readUser({ name: { givenName: 'x' } })).toMatchObject({ ok: false, scimType: 'invalidValue' });
    expect(readUser({ userName: 'x', active: 'maybe' })).toMatchObject({
      ok: false,
      scimType: 'invalidValue',
    });
  });

  it('refuses a group without displayName and nested groups', () => {
    expect(readGroup({ members: [] })).toMatchObject({ ok: false, scimType: 'invalidValue' });
    expect(readGroup({ displayName: 'x', members: [{ value: 'g', type: 'Group' }] })).toMatchObject({
      ok: false,
    });
  });
});
