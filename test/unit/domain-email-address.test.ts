import { describe, expect, it } from 'vitest';
import { checkEmail, emailKey, searchText } from '../../domain/email-address';

// A 64-character local part and domains that bring the whole address to exactly 254 / 255 characters.
const LOCAL_64 = 'a'.repeat(64);
const DOMAIN_189 = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
const DOMAIN_190 = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;

describe('checkEmail', () => {
  it.each([
    ['plain address', 'jane@example.com'],
    ['plus-addressing', 'jane.doe+roster@example.com'],
    ['subdomains', 'jane@mail.eu.example.co.uk'],
    ['digits in local part and domain', '42jane007@mail2.example123.com'],
    ['hyphens inside domain labels', 'jane@my-company.e-mail.example.org'],
    ['dots between local-part atoms', 'jane.q.public@example.com'],
    ['RFC 5322 atext symbols in the local part', "o'hara_j-x!#$%&*/=?^`{|}~@example.com"],
    ['a single-character local part', 'j@example.io'],
    ['a local part of exactly 64 characters', `${LOCAL_64}@example.com`],
    ['a total length of exactly 254 characters', `${LOCAL_64}@${DOMAIN_189}`],
  ])('accepts the address unchanged when it has %s', (_case, address) => {
    expect(checkEmail(address)).toEqual({ ok: true, email: address, key: address.toLowerCase() });
  });

  it('keeps the original case in email but lower-cases the key when the address has capitals', () => {
    expect(checkEmail('Jane.Doe@Example.COM')).toEqual({
      ok: true,
      email: 'Jane.Doe@Example.COM',
      key: 'jane.doe@example.com',
    });
  });

  it('trims surrounding whitespace from email and key when the address is padded', () => {
    expect(checkEmail('  \tJane@Example.com \n')).toEqual({
      ok: true,
      email: 'Jane@Example.com',
      key: 'jane@example.com',
    });
  });

  it('sanity-checks the length fixtures used by the boundary cases', () => {
    expect(`${LOCAL_64}@${DOMAIN_189}`).toHaveLength(254);
    expect(`${LOCAL_64}@${DOMAIN_190}`).toHaveLength(255);
  });

  it.each([
    ['there is no @', 'jane.example.com'],
    ['there are two @', 'jane@doe@example.com'],
    ['the local part is empty', '@example.com'],
    ['the domain is empty', 'jane@'],
    ['the local part starts with a dot', '.jane@example.com'],
    ['the local part ends with a dot', 'jane.@example.com'],
    ['the local part has two dots in a row', 'jane..doe@example.com'],
    ['the domain has no dot', 'jane@localhost'],
    ['the top-level domain is numeric', 'jane@example.123'],
    ['the address is an IP literal', 'jane@[192.168.0.1]'],
    ['the top-level domain has one letter', 'jane@example.c'],
    ['a domain label starts with a hyphen', 'jane@-example.com'],
    ['a domain label ends with a hyphen', 'jane@example-.com'],
    ['the domain has an empty label', 'jane@example..com'],
    ['the domain starts with a dot', 'jane@.example.com'],
    ['the domain has an underscore', 'jane@my_company.com'],
    ['the local part is longer than 64 characters', `${LOCAL_64}a@example.com`],
    ['the address is longer than 254 characters', `${LOCAL_64}@${DOMAIN_190}`],
    ['a domain label is longer than 63 characters', `jane@${'x'.repeat(64)}.com`],
    ['there is a space in the local part', 'jane doe@example.com'],
    ['there is a space in the domain', 'jane@exam ple.com'],
    ['there is a space around the @', 'jane @example.com'],
    ['the local part is a quoted string', '"jane doe"@example.com'],
    ['it has a display name', 'Jane <jane@example.com>'],
    ['it contains a comma', 'jane,doe@example.com'],
  ])('rejects with invalid_email when %s', (_case, address) => {
    const result = checkEmail(address);
    expect(result).toMatchObject({ ok: false, code: 'invalid_email' });
    expect(result.ok ? '' : result.message).not.toBe('');
  });

  it.each([
    ['the input is empty', ''],
    ['the input is only whitespace', '   \t '],
  ])('rejects with invalid_email when %s', (_case, address) => {
    expect(checkEmail(address)).toMatchObject({ ok: false, code: 'invalid_email' });
  });

  it.each([
    ['an accented local part', 'josé@example.com'],
    ['an accented domain', 'user@exämple.com'],
    ['a full-width @', 'user\uff20example.com'],
    ['a Cyrillic look-alike letter', 'j\u0430ne@example.com'],
    ['an emoji', 'jane🎉@example.com'],
    ['a non-breaking space', 'jane\u00a0doe@example.com'],
  ])('rejects with email_special_characters when the address has %s', (_case, address) => {
    const result = checkEmail(address);
    expect(result).toMatchObject({ ok: false, code: 'email_special_characters' });
    expect(result.ok ? '' : result.message).not.toBe('');
  });

  it('reports special characters rather than invalid syntax when the address is both non-ASCII and malformed', () => {
    expect(checkEmail('josé@@example')).toMatchObject({ ok: false, code: 'email_special_characters' });
  });
});

describe('emailKey', () => {
  it.each([
    ['Jane.Doe@Example.COM', 'jane.doe@example.com'],
    ['  jane@example.com  ', 'jane@example.com'],
    ['\tJANE+Tag@EXAMPLE.com\n', 'jane+tag@example.com'],
    ['jane@example.com', 'jane@example.com'],
  ])('returns %j as %j when compared case-insensitively after trimming', (input, key) => {
    expect(emailKey(input)).toBe(key);
  });

  it('gives two spellings of one address the same key when they differ in case and padding', () => {
    expect(emailKey(' Jane@Example.com')).toBe(emailKey('jane@EXAMPLE.COM '));
  });
});

describe('searchText', () => {
  it('strips accents and lower-cases when given an accented name', () => {
    expect(searchText('José Müller')).toBe('jose muller');
  });

  it('joins the parts with a space when given several fields', () => {
    expect(searchText('José', 'Müller', 'JM@Example.com')).toBe('jose muller jm@example.com');
  });

  it.each([
    ['Ångström', 'angstrom'],
    ['François Çelik', 'francois celik'],
    ['Zoë Brontë', 'zoe bronte'],
    ['ÉLODIE', 'elodie'],
    ['Ｊｏｓｅ', 'jose'],
  ])('turns %j into %j when the text has diacritics, capitals or full-width letters', (input, expected) => {
    expect(searchText(input)).toBe(expected);
  });

  it('makes an unaccented query a substring when the stored name is accented', () => {
    expect(searchText('Dr. José Müller-Lüdenscheidt')).toContain('jose muller');
    expect(searchText('Dr. José Müller-Lüdenscheidt')).toContain('ludenscheidt');
  });

  it('returns an empty string when given no parts', () => {
    expect(searchText()).toBe('');
  });
});

describe('checkEmail with ASCII control characters', () => {
  it('answers invalid_email, not email_special_characters, when the address holds a tab', () => {
    expect(checkEmail('a\tb@example.com')).toMatchObject({ ok: false, code: 'invalid_email' });
  });
});
