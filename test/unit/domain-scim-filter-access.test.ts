import { describe, expect, it } from 'vitest';
import { decideInvite, decideSsoEntry, type EntryFacts } from '../../domain/access';
import { GROUP_FILTER_ATTRIBUTES, parseScimFilter, USER_FILTER_ATTRIBUTES } from '../../domain/scim-filter';

describe('parseScimFilter', () => {
  it('reads Okta’s and Entra’s user lookups', () => {
    expect(parseScimFilter('userName eq "ada@example.com"', USER_FILTER_ATTRIBUTES)).toEqual({
      ok: true,
      conditions: [{ attribute: 'userName', value: 'ada@example.com' }],
    });
    expect(parseScimFilter('externalId eq "0c5b…" and userName Eq "x"', USER_FILTER_ATTRIBUTES)).toEqual({
      ok: true,
      conditions: [
        { attribute: 'externalId', value: '0c5b…' },
        { attribute: 'userName', value: 'x' },
      ],
    });
  });

  it('reads a group lookup by displayName, attribute names in any case and with the core URN', () => {
    expect(parseScimFilter('DisplayName eq "Eng \\"core\\""', GROUP_FILTER_ATTRIBUTES)).toEqual({
      ok: true,
      conditions: [{ attribute: 'displayName', value: 'Eng "core"' }],
    });
    expect(
      parseScimFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', USER_FILTER_ATTRIBUTES),
    ).toMatchObject({ ok: true, conditions: [{ attribute: 'userName' }] });
  });

  it('takes active as a boolean or as Entra’s string', () => {
    expect(parseScimFilter('active eq "False"', USER_FILTER_ATTRIBUTES)).toMatchObject({
      ok: true,
      conditions: [{ attribute: 'active', value: false }],
    });
  });

  it('refuses other operators, or, unknown attributes and malformed filters', () => {
    for (const filter of [
      'userName co "ada"',
      'userName eq "a" or userName eq "b"',
      'title eq "x"',
      'userName eq ada',
      'members[value eq "x"]',
    ]) {
      expect(parseScimFilter(filter, USER_FILTER_ATTRIBUTES).ok, filter).toBe(false);
    }
    expect(parseScimFilter('userName eq "x"', GROUP_FILTER_ATTRIBUTES).ok).toBe(false);
  });
});

describe('decideSsoEntry', () => {
  const facts = (overrides: Partial<EntryFacts>): EntryFacts => ({
    closed: true,
    allowOutsideIdpGroups: true,
    directory: 'active',
    memberOfGrantedGroup: false,
    invitedByOrganizer: false,
    ...overrides,
  });

  it('admits an active member of a granted group of a closed event, invited or not', () => {
    expect(decideSsoEntry(facts({ memberOfGrantedGroup: true }))).toEqual({ ok: true, via: 'group' });
    expect(decideSsoEntry(facts({ memberOfGrantedGroup: true, allowOutsideIdpGroups: false }))).toEqual({
      ok: true,
      via: 'group',
    });
  });

  it('refuses a deactivated directory user, even one an organizer invited', () => {
    expect(decideSsoEntry(facts({ directory: 'inactive', invitedByOrganizer: true }))).toMatchObject({
      ok: false,
      code: 'idp_user_inactive',
    });
    expect(
      decideSsoEntry(facts({ closed: false, directory: 'inactive', invitedByOrganizer: true })),
    ).toMatchObject({ ok: false, code: 'idp_user_inactive' });
  });

  it('admits an invited outsider only while outsiders are allowed', () => {
    expect(decideSsoEntry(facts({ invitedByOrganizer: true }))).toEqual({ ok: true, via: 'invitation' });
    expect(decideSsoEntry(facts({ directory: 'absent', invitedByOrganizer: true }))).toEqual({
      ok: true,
      via: 'invitation',
    });
    expect(decideSsoEntry(facts({ invitedByOrganizer: true, allowOutsideIdpGroups: false }))).toMatchObject({
      ok: false,
      code: 'outside_idp_groups',
    });
  });

  it('refuses an outsider nobody invited', () => {
    expect(decideSsoEntry(facts({}))).toMatchObject({ ok: false, code: 'not_invited' });
    expect(decideSsoEntry(facts({ allowOutsideIdpGroups: false }))).toMatchObject({
      ok: false,
      code: 'outside_idp_groups',
    });
  });

  it('on an SSO event that is not closed, admits invited people only (groups grant nothing)', () => {
    expect(decideSsoEntry(facts({ closed: false, memberOfGrantedGroup: true }))).toMatchObject({
      ok: false,
      code: 'not_invited',
    });
    expect(
      decideSsoEntry(facts({ closed: false, invitedByOrganizer: true, allowOutsideIdpGroups: false })),
    ).toEqual({ ok: true, via: 'invitation' });
  });
});

describe('decideInvite', () => {
  it('refuses a non-member on a closed event without outsiders', () => {
    expect(
      decideInvite({ closed: true, allowOutsideIdpGroups: false, memberOfGrantedGroup: false }),
    ).toMatchObject({ ok: false, code: 'outside_idp_groups' });
  });

  it('lets members in, and anyone where outsiders are allowed or the event is not closed', () => {
    expect(decideInvite({ closed: true, allowOutsideIdpGroups: false, memberOfGrantedGroup: true }).ok).toBe(
      true,
    );
    expect(decideInvite({ closed: true, allowOutsideIdpGroups: true, memberOfGrantedGroup: false }).ok).toBe(
      true,
    );
    expect(
      decideInvite({ closed: false, allowOutsideIdpGroups: false, memberOfGrantedGroup: false }).ok,
    ).toBe(true);
  });
});
