import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES, LANGUAGES, parseLanguage, RTL_LANGUAGES } from '../../domain/languages';

// API.md "Attendees": `language` is one of these 19 codes.
const CONTRACT_CODES = 'en de fr es nl ru pt-BR ja zh-Hans zh-Hant fi it fr-CA ko ar ca da sr sv'.split(' ');
const MAINTAINED = 'en de fr es nl ru pt-BR ja zh-Hans zh-Hant fi'.split(' ');
const NOT_MAINTAINED = 'it fr-CA ko ar ca da sr sv'.split(' ');

describe('languages', () => {
  it('lists exactly the 19 contract codes in the contract order when read as LANGUAGE_CODES', () => {
    expect(LANGUAGE_CODES).toHaveLength(19);
    expect([...LANGUAGE_CODES]).toEqual(CONTRACT_CODES);
  });

  it('has one entry per code when the catalogue is read', () => {
    expect(new Set(LANGUAGES.map((l) => l.code)).size).toBe(19);
  });

  it('marks exactly the contract’s maintained set as maintained', () => {
    expect(LANGUAGES.filter((l) => l.maintained).map((l) => l.code)).toEqual(MAINTAINED);
    expect(LANGUAGES.filter((l) => !l.maintained).map((l) => l.code)).toEqual(NOT_MAINTAINED);
  });

  it.each(['it', 'fr-CA', 'ko'])('dates the last update of %s to 2021 when it is not maintained', (code) => {
    const language = LANGUAGES.find((l) => l.code === code);
    expect(language).toBeDefined();
    expect(language && 'lastUpdated' in language ? language.lastUpdated : undefined).toMatch(/^2021/);
  });

  it('gives every language a non-empty display name', () => {
    for (const language of LANGUAGES) {
      expect(language.name.trim()).not.toBe('');
    }
  });

  it('treats only Arabic as right-to-left', () => {
    expect([...RTL_LANGUAGES]).toEqual(['ar']);
  });
});

describe('parseLanguage', () => {
  it.each(CONTRACT_CODES.map((c) => [c, c]))('returns %s when given its exact code', (input, code) => {
    expect(parseLanguage(input)).toBe(code);
  });

  it.each([
    ['pt-br', 'pt-BR'],
    ['PT-BR', 'pt-BR'],
    [' ZH-hans ', 'zh-Hans'],
    ['zh-hant', 'zh-Hant'],
    ['FR-ca', 'fr-CA'],
    ['EN', 'en'],
    ['\tDe\n', 'de'],
  ])('returns the canonical code when given %j in another case or padded', (input, code) => {
    expect(parseLanguage(input)).toBe(code);
  });

  it.each([
    ['German', 'de'],
    ['german', 'de'],
    ['Portuguese (Brazilian)', 'pt-BR'],
    ['portuguese  (brazilian)', 'pt-BR'],
    ['Chinese (Simplified)', 'zh-Hans'],
    ['French (Canadian)', 'fr-CA'],
    ['English', 'en'],
    ['Deutsch', 'de'],
    ['DEUTSCH', 'de'],
    ['Português (Brasil)', 'pt-BR'],
    ['日本語', 'ja'],
    ['Српски', 'sr'],
    ['العربية', 'ar'],
  ])('returns the code when given the English or own name %j in any case', (input, code) => {
    expect(parseLanguage(input)).toBe(code);
  });

  it('maps every English and own name back to its code', () => {
    for (const language of LANGUAGES) {
      expect(parseLanguage(language.englishName)).toBe(language.code);
      expect(parseLanguage(language.name.toUpperCase())).toBe(language.code);
    }
  });

  it.each(['xx', 'pt', 'zh', '', '   ', 'en-US', 'pt_BR', 'englisch', 'Portuguese', 'Chinese'])(
    'returns undefined when the code %j is unknown',
    (input) => {
      expect(parseLanguage(input)).toBeUndefined();
    },
  );
});
