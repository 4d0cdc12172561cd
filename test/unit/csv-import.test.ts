import { describe, expect, it } from 'vitest';
import {
  cellsOf,
  csvCell,
  csvLine,
  detectDelimiter,
  inviteeInputOf,
  isBlankRecord,
  lineBreaks,
  matchHeader,
} from '../../domain/csv-import';
import { editDistance, suggestEmailDomain } from '../../domain/import-domain-typo';
import { checkInvitee, parseRoles } from '../../domain/import-invitee';

describe('matchHeader', () => {
  it('matches names case-insensitively, ignoring spaces and underscores, and ignores unknown columns', () => {
    expect(matchHeader(['E Mail', ' FIRST NAME ', 'last_Name', 'Notes', 'ROLES'])).toEqual({
      ok: true,
      columns: ['email', 'first_name', 'last_name', null, 'role'],
    });
  });

  it('names the missing mandatory columns', () => {
    expect(matchHeader(['email', 'company'])).toEqual({
      ok: false,
      code: 'missing_columns',
      columns: ['first_name', 'last_name'],
    });
  });

  it('refuses a column named twice', () => {
    expect(matchHeader(['email', 'first_name', 'last_name', 'EMAIL'])).toMatchObject({
      ok: false,
      code: 'duplicate_columns',
      columns: ['email'],
    });
  });
});

describe('cells and records', () => {
  it('keeps a NUL (which PostgreSQL cannot store) visible as U+FFFD', () => {
    expect(cellsOf(['a@b.org', 'A\u0000da'], ['email', 'first_name'])).toEqual({
      email: 'a@b.org',
      first_name: 'A\ufffdda',
    });
  });

  it('trims cells, leaves missing ones undefined and splits roles on |', () => {
    const cells = cellsOf([' a@b.org ', 'Ada', 'L', 'x'], ['email', 'first_name', 'last_name', null]);
    expect(cells).toEqual({ email: 'a@b.org', first_name: 'Ada', last_name: 'L' });
    expect(inviteeInputOf({ ...cells, role: 'speaker|moderator' }).roles).toEqual(['speaker', 'moderator']);
  });

  it('treats a record of empty cells as a blank line', () => {
    expect(isBlankRecord(['', ' ', ''])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });

  it('counts CRLF, LF and CR as one line break each', () => {
    expect(lineBreaks('a\r\nb\nc\rd')).toBe(3);
    expect(lineBreaks('"multi\r\nline",x\r')).toBe(2);
    expect(lineBreaks('none')).toBe(0);
  });

  it('reads the delimiter from the header line, comma unless it is clearly ; or tab', () => {
    expect(detectDelimiter('email,first_name,last_name')).toBe(',');
    expect(detectDelimiter('email;first_name;last_name')).toBe(';');
    expect(detectDelimiter('email\tfirst_name\tlast_name')).toBe('\t');
    expect(detectDelimiter('"a;b",c')).toBe(',');
  });
});

describe('csvCell (OWASP CSV injection)', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
  ])('prefixes %j with a quote', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('quotes cells with commas, quotes, line breaks or outer spaces, and leaves plain ones alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['=x', 'y'])).toBe("'=x,y\r\n");
  });

  it('quotes cells with a semicolon, tab or carriage return, so no delimiter splits a formula out', () => {
    expect(csvCell('a;=HYPERLINK("http://x")')).toBe('"a;=HYPERLINK(""http://x"")"');
    expect(csvCell('a\t=1+2')).toBe('"a\t=1+2"');
    expect(csvCell('a\r=1+2')).toBe('"a\r=1+2"');
    expect(csvCell('\t=1+2')).toBe(`"'\t=1+2"`);
    expect(csvCell('\r\n=1+2')).toBe(`"'\r\n=1+2"`);
  });
});

describe('suggestEmailDomain', () => {
  it.each([
    ['ada@gmial.com', 'gmail.com'],
    ['ada@gamil.com', 'gmail.com'],
    ['ada@gmail.co', 'gmail.com'],
    ['ada@hotmial.com', 'hotmail.com'],
    ['ada@yaho.com', 'yahoo.com'],
    ['ada@outlok.com', 'outlook.com'],
    ['ada@example.con', 'example.com'],
    ['ada@example.cmo', 'example.com'],
    ['ada@Example.Og', 'example.org'],
  ])('suggests the intended domain of %s', (email, domain) => {
    expect(suggestEmailDomain(email)).toBe(domain);
  });

  it.each([
    'ada@example.com',
    'ada@gmail.com',
    'ada@company.cm',
    'ada@foo.lu',
    'ada@uni.ac.uk',
    'ada@firma.com.br',
    'ada@ibm.com',
    'ada@mac.com',
    'ada@gmx.net',
    'ada@email.de',
    'ada@protonmail.ch',
    'ada@hotmail.co.uk',
  ])('leaves the real domain of %s alone', (email) => {
    expect(suggestEmailDomain(email)).toBeUndefined();
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('gmial', 'gmail')).toBe(1);
    expect(editDistance('con', 'com')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'ab')).toBe(2);
  });
});

describe('checkInvitee (shared by single and bulk invites)', () => {
  it('trims, keeps the case of the address, lower-cases its key and normalizes language and roles', () => {
    expect(
      checkInvitee({
        email: ' Ada@Example.org ',
        firstName: ' Ada ',
        lastName: 'Lovelace',
        language: 'PT-br',
        roles: ['Moderator', 'SPEAKER', 'speaker'],
        company: ' ACME ',
      }),
    ).toEqual({
      ok: true,
      invitee: {
        email: 'Ada@Example.org',
        emailKey: 'ada@example.org',
        firstName: 'Ada',
        lastName: 'Lovelace',
        language: 'pt-BR',
        roles: ['attendee', 'speaker', 'moderator'],
        title: null,
        company: 'ACME',
        bio: null,
      },
    });
  });

  it('leaves the language null (the event default) when it is blank', () => {
    const checked = checkInvitee({ email: 'a@example.org', firstName: 'A', lastName: 'B', language: ' ' });
    expect(checked.ok && checked.invitee.language).toBeNull();
  });

  it('reports every issue of the input at once, with the address key when the address is fine', () => {
    const checked = checkInvitee({
      email: 'a@example.org',
      firstName: '',
      lastName: 'x'.repeat(101),
      language: 'tlh',
      roles: ['host'],
    });
    expect(checked).toEqual({
      ok: false,
      emailKey: 'a@example.org',
      issues: [
        expect.objectContaining({ field: 'firstName', code: 'missing_field' }),
        expect.objectContaining({ field: 'lastName', code: 'field_too_long' }),
        expect.objectContaining({ field: 'language', code: 'invalid_language' }),
        expect.objectContaining({ field: 'roles', code: 'invalid_role' }),
      ],
    });
  });

  it.each([
    [{ email: '' }, 'missing_field'],
    [{ email: 'ada@localhost' }, 'invalid_email'],
    [{ email: 'josé@example.org' }, 'email_special_characters'],
    [{ email: 'ada@gmial.com' }, 'email_domain_typo'],
    [{ email: `${'a'.repeat(250)}@example.org` }, 'field_too_long'],
  ])('flags the address %j as %s', (input, code) => {
    const checked = checkInvitee({ firstName: 'A', lastName: 'B', ...input });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.issues[0]).toMatchObject({ field: 'email', code });
  });

  it('names the intended domain in the typo message and can leave typos to the caller', () => {
    const checked = checkInvitee({ email: 'ada@gmial.com', firstName: 'A', lastName: 'B' });
    expect(!checked.ok && checked.issues[0]?.message).toContain('ada@gmail.com');
    expect(
      checkInvitee({ email: 'ada@gmial.com', firstName: 'A', lastName: 'B' }, { domainTypos: false }).ok,
    ).toBe(true);
  });

  it('keeps title and company for everyone and the bio only for speakers and moderators', () => {
    const person = { email: 'a@example.org', firstName: 'A', lastName: 'B' };
    const plain = checkInvitee({ ...person, title: 'CTO', company: 'ACME' });
    expect(plain.ok && plain.invitee).toMatchObject({ title: 'CTO', company: 'ACME', roles: ['attendee'] });
    const bio = checkInvitee({ ...person, title: 'CTO', bio: 'Hi' });
    expect(!bio.ok && bio.issues).toEqual([
      expect.objectContaining({ field: 'bio', code: 'profile_needs_role' }),
    ]);
    expect(checkInvitee({ ...person, bio: 'Hi', roles: ['speaker'] }).ok).toBe(true);
  });

  it('refuses control characters in names with invalid_characters, as the JSON API does', () => {
    const person = { email: 'a@example.org', firstName: 'A', lastName: 'B' };
    for (const name of ['Smith\r\nBcc: x@example.org', 'Ta\tb', 'Nul\u0007l']) {
      const last = checkInvitee({ ...person, lastName: name });
      expect(!last.ok && last.issues).toEqual([
        expect.objectContaining({ field: 'lastName', code: 'invalid_characters' }),
      ]);
      const first = checkInvitee({ ...person, firstName: name });
      expect(!first.ok && first.issues).toEqual([
        expect.objectContaining({ field: 'firstName', code: 'invalid_characters' }),
      ]);
    }
    expect(checkInvitee({ ...person, firstName: 'Zoë-Åsa', lastName: "O'Brien" }).ok).toBe(true);
  });

  it('parses roles case-insensitively and returns the unknown ones apart', () => {
    expect(parseRoles([' Speaker ', '', 'boss'])).toEqual({
      roles: ['attendee', 'speaker'],
      unknown: ['boss'],
    });
  });
});
