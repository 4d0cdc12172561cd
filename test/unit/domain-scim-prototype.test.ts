import fc from 'fast-check';
import { scimPatch } from 'scim-patch';
import { afterEach, describe, expect, it } from 'vitest';
import { checkKeys, isDangerousKey, parsePath } from '../../domain/scim-attributes';
import { applyGroupPatch, applyPatch, MAX_PATCH_OPERATIONS, readPatchRequest } from '../../domain/scim-patch';
import { MAX_GROUP_MEMBERS, readGroup, readUser, SCIM_SCHEMAS } from '../../domain/scim-resources';

const body = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patch], Operations });
/** JSON.parse makes `__proto__` an own key, as a request body would. */
const parsed = (json: string) => JSON.parse(json) as unknown;

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const cleanNames = prototypeNames();

function prototypeUntouched() {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(prototypeNames()).toEqual(cleanNames);
}

afterEach(() => {
  // Keep one failing case from poisoning the rest of the file.
  for (const name of prototypeNames()) {
    if (!cleanNames.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
  }
});

const user = () => ({
  userName: 'ada@example.com',
  name: { givenName: 'Ada' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  active: true,
});

/** Reads and applies a PATCH as the handlers do; `null` when it was refused. */
function run(kind: 'User' | 'Group', request: unknown) {
  const ops = readPatchRequest(kind, request);
  if (!ops.ok) return ops;
  if (kind === 'Group') return applyGroupPatch({ displayName: 'G' }, ['u1'], ops.value);
  return applyPatch('User', user(), ops.value);
}

describe('the scim-patch library as it comes (pinned: why paths are checked first)', () => {
  it('writes onto Object.prototype through a __proto__ path', () => {
    scimPatch({ schemas: [SCIM_SCHEMAS.user], meta: {} } as never, [
      { op: 'add', path: '__proto__.polluted', value: 'yes' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBe('yes');
  });
});

describe('PATCH paths are checked against the declared attributes', () => {
  it.each([
    '__proto__.polluted',
    '__PROTO__.polluted',
    'constructor.prototype.polluted',
    'name.__proto__',
    'name.constructor',
    'emails[type eq "work"].__proto__',
    'emails[__proto__ eq "x"].value',
    'emails[type eq "x" and constructor pr].value',
    `${SCIM_SCHEMAS.user}:__proto__.polluted`,
    `${SCIM_SCHEMAS.enterpriseUser}:__proto__`,
    `${SCIM_SCHEMAS.enterpriseUser}:manager.__proto__`,
    'urn:example:evil:2.0:User:department',
    'nickname.sub',
    'favouriteColour',
  ])('refuses %s (400 invalidPath)', (path) => {
    expect(run('User', body({ op: 'add', path, value: 'x' }))).toMatchObject({
      ok: false,
      scimType: 'invalidPath',
    });
    prototypeUntouched();
  });

  it.each(['members.__proto__', 'members[value eq "x"].constructor', '__proto__', 'prototype'])(
    'refuses %s on a Group (400 invalidPath)',
    (path) => {
      expect(run('Group', body({ op: 'replace', path, value: 'x' }))).toMatchObject({
        ok: false,
        scimType: 'invalidPath',
      });
    },
  );

  it('accepts what Okta and Entra ID send, in canonical spelling', () => {
    for (const [path, canonical] of [
      ['Active', 'active'],
      ['name.GivenName', 'name.givenName'],
      ['emails[type eq "work"].value', 'emails[type eq "work"].value'],
      [`${SCIM_SCHEMAS.user}:displayName`, 'displayName'],
      [`${SCIM_SCHEMAS.enterpriseUser}:department`, `${SCIM_SCHEMAS.enterpriseUser}:department`],
      [`${SCIM_SCHEMAS.enterpriseUser}:manager.value`, `${SCIM_SCHEMAS.enterpriseUser}:manager.value`],
    ]) {
      const read = parsePath('User', path as string);
      expect(read.ok && read.value.path, path).toBe(canonical);
    }
  });

  it('refuses a filter it cannot parse (400 invalidFilter)', () => {
    expect(parsePath('User', 'emails[type eq].value')).toMatchObject({
      ok: false,
      scimType: 'invalidFilter',
    });
  });
});

describe('PATCH values: keys that reach the prototype chain are refused at any depth', () => {
  it.each([
    ['a __proto__ key in a path-less value', '{"op":"add","value":{"__proto__":{"polluted":"yes"}}}'],
    ['a dotted path-less key', '{"op":"add","value":{"name.__proto__.polluted":"yes"}}'],
    ['a path-less constructor.prototype key', '{"op":"add","value":{"constructor.prototype.polluted":1}}'],
    ['a __proto__ key under name', '{"op":"add","path":"name","value":{"__proto__":{"polluted":1}}}'],
    ['a deep key', '{"op":"add","path":"emails","value":[{"value":"a","x":{"y":{"constructor":1}}}]}'],
    ['a key of the body itself', '{"op":"add","path":"title","value":"x","__proto__":{"polluted":1}}'],
  ])('refuses %s (400)', (_, operation) => {
    const result = run('User', body(parsed(operation)));
    expect(result.ok).toBe(false);
    expect(['invalidValue', 'invalidPath']).toContain(!result.ok && result.scimType);
    prototypeUntouched();
  });

  it('refuses sub-attributes a complex attribute does not declare (400 invalidValue)', () => {
    expect(run('User', body({ op: 'add', path: 'name', value: { givenName: 'A', evil: 1 } }))).toMatchObject({
      ok: false,
      scimType: 'invalidValue',
    });
    expect(
      run('User', body({ op: 'add', path: 'emails', value: [{ value: 'a@b.c', 'value.x': 1 }] })),
    ).toMatchObject({ ok: false, scimType: 'invalidValue' });
  });

  it('refuses values nested deeper than any declared shape', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { value: deep };
    expect(checkKeys(deep)).toMatchObject({ scimType: 'invalidValue' });
  });

  it('names the dangerous keys in any case and as any segment', () => {
    for (const key of [
      '__proto__',
      '__PROTO__',
      'Constructor',
      'a.prototype',
      'urn:x:__proto__',
      'x[constructor]',
    ])
      expect(isDangerousKey(key), key).toBe(true);
    for (const key of ['protocol', 'constructors', 'proto', 'displayName', SCIM_SCHEMAS.enterpriseUser])
      expect(isDangerousKey(key), key).toBe(false);
  });
});

describe('property: no generated hostile PATCH changes Object.prototype', () => {
  const dangerous = fc
    .constantFrom('__proto__', 'constructor', 'prototype')
    .chain((word) =>
      fc
        .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
        .map((upper) => [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join('')),
    );
  const plain = fc.constantFrom('name', 'emails', 'members', 'value', 'polluted', 'displayName', 'manager');
  const segment = fc.oneof({ weight: 2, arbitrary: dangerous }, { weight: 1, arbitrary: plain });
  const filtered = fc.tuple(plain, segment).map(([attribute, inner]) => `${attribute}[${inner} eq "x"]`);
  const prefix = fc.constantFrom(
    '',
    `${SCIM_SCHEMAS.user}:`,
    `${SCIM_SCHEMAS.group}:`,
    `${SCIM_SCHEMAS.enterpriseUser}:`,
    'urn:evil:',
  );
  const path = fc
    .tuple(prefix, fc.array(fc.oneof(segment, filtered), { minLength: 1, maxLength: 5 }), dangerous)
    .chain(([p, segments, danger]) =>
      // The dangerous word somewhere: among the segments, or appended at the end.
      fc.nat(segments.length).map((at) => {
        const all = [...segments];
        all.splice(at, 0, danger);
        return `${p}${all.join('.')}`;
      }),
    );
  /** A JSON object with a dangerous key at some depth, as text (so `__proto__` stays an own key). */
  const hostileValue = fc
    .tuple(fc.array(fc.oneof(plain, segment), { minLength: 0, maxLength: 4 }), dangerous, path)
    .map(([outer, danger, key]) => {
      const q = JSON.stringify;
      let json = `{${q(danger)}:{"polluted":"yes"},${q(key)}:"yes"}`;
      for (const name of outer.reverse()) json = `{${q(name)}:${json}}`;
      return json;
    });
  const operation = fc.oneof(
    fc
      .tuple(fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE'), path)
      .map(([op, p]) => JSON.stringify({ op, path: p, value: { polluted: 'yes' } })),
    fc
      .tuple(fc.constantFrom('add', 'replace'), fc.option(plain), hostileValue)
      .map(([op, p, value]) => `{"op":"${op}",${p ? `"path":${JSON.stringify(p)},` : ''}"value":${value}}`),
  );

  it('refuses every one of them and leaves Object.prototype as it was', () => {
    fc.assert(
      fc.property(fc.constantFrom('User' as const, 'Group' as const), operation, (kind, op) => {
        const result = run(kind, body(parsed(op)));
        expect(result.ok, op).toBe(false);
        prototypeUntouched();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('limits', () => {
  it(`refuses more than ${MAX_PATCH_OPERATIONS} operations in one PATCH (400 invalidValue)`, () => {
    const ops = Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({
      op: 'add',
      path: 'members',
      value: [{ value: 'u1' }],
    }));
    expect(readPatchRequest('Group', body(...ops))).toMatchObject({ ok: false, scimType: 'invalidValue' });
    expect(readPatchRequest('Group', body(...ops.slice(1))).ok).toBe(true);
  });

  it(`refuses a PATCH that takes a group over ${MAX_GROUP_MEMBERS} members (400 invalidValue)`, () => {
    const ids = Array.from({ length: MAX_GROUP_MEMBERS }, (_, i) => `u${i}`);
    const one = readPatchRequest('Group', body({ op: 'add', path: 'members', value: [{ value: 'extra' }] }));
    if (!one.ok) throw new Error(one.detail);
    expect(applyGroupPatch({ displayName: 'G' }, ids, one.value)).toMatchObject({
      ok: false,
      scimType: 'invalidValue',
    });
    expect(applyGroupPatch({ displayName: 'G' }, ids.slice(1), one.value).ok).toBe(true);
    expect(readGroup({ displayName: 'G', members: [...ids, 'extra'] })).toMatchObject({ ok: false });
  });

  it('applies member operations in linear time (1,000 removals from a 50,000-member group)', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `u${i}`);
    const request = readPatchRequest(
      'Group',
      body(...Array.from({ length: 1000 }, (_, i) => ({ op: 'remove', path: `members[value eq "u${i}"]` }))),
    );
    if (!request.ok) throw new Error(request.detail);
    const started = performance.now();
    const result = applyGroupPatch({ displayName: 'All staff' }, ids, request.value);
    const ms = performance.now() - started;
    console.log(`1,000 member removals from 50,000 members: ${ms.toFixed(1)} ms`);
    expect(result.ok && result.value.memberIds.length).toBe(49_000);
    // Through the library: 1,000 × 50,000 filter evaluations (minutes); a set: milliseconds.
    expect(ms).toBeLessThan(500);
  });
});

describe('names follow the JSON API’s character rules', () => {
  it.each([
    ['userName', { userName: 'ada\n@example.com' }],
    ['displayName', { userName: 'ada@example.com', displayName: 'Ada\r\nBcc: x@evil.test' }],
    ['name.givenName', { userName: 'ada@example.com', name: { givenName: 'A\u0000da' } }],
    ['name.familyName', { userName: 'ada@example.com', name: { familyName: 'L\tovelace' } }],
  ])('refuses a control character in %s (400 invalidValue)', (_, input) => {
    expect(readUser(input)).toMatchObject({ ok: false, scimType: 'invalidValue' });
  });

  it('refuses a control character in a group displayName', () => {
    expect(readGroup({ displayName: 'Eng\u0007' })).toMatchObject({ ok: false, scimType: 'invalidValue' });
  });
});
