/** The 19 invitation languages of the contract. `maintained` ones are kept up to date. */
export const LANGUAGES = [
  { code: 'en', name: 'English', englishName: 'English', maintained: true },
  { code: 'de', name: 'Deutsch', englishName: 'German', maintained: true },
  { code: 'fr', name: 'Français', englishName: 'French', maintained: true },
  { code: 'es', name: 'Español', englishName: 'Spanish', maintained: true },
  { code: 'nl', name: 'Nederlands', englishName: 'Dutch', maintained: true },
  { code: 'ru', name: 'Русский', englishName: 'Russian', maintained: true },
  { code: 'pt-BR', name: 'Português (Brasil)', englishName: 'Portuguese (Brazilian)', maintained: true },
  { code: 'ja', name: '日本語', englishName: 'Japanese', maintained: true },
  { code: 'zh-Hans', name: '简体中文', englishName: 'Chinese (Simplified)', maintained: true },
  { code: 'zh-Hant', name: '繁體中文', englishName: 'Chinese (Traditional)', maintained: true },
  { code: 'fi', name: 'Suomi', englishName: 'Finnish', maintained: true },
  { code: 'it', name: 'Italiano', englishName: 'Italian', maintained: false, lastUpdated: '2021-01-01' },
  {
    code: 'fr-CA',
    name: 'Français (Canada)',
    englishName: 'French (Canadian)',
    maintained: false,
    lastUpdated: '2021-01-01',
  },
  { code: 'ko', name: '한국어', englishName: 'Korean', maintained: false, lastUpdated: '2021-01-01' },
  { code: 'ar', name: 'العربية', englishName: 'Arabic', maintained: false },
  { code: 'ca', name: 'Català', englishName: 'Catalan', maintained: false },
  { code: 'da', name: 'Dansk', englishName: 'Danish', maintained: false },
  { code: 'sr', name: 'Српски', englishName: 'Serbian', maintained: false },
  { code: 'sv', name: 'Svenska', englishName: 'Swedish', maintained: false },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

const fold = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

// Codes, English names as the reference product lists them ("Portuguese (Brazilian)") and each
// language's own name ("Deutsch"), as people type them in a spreadsheet's language column.
const byName = new Map<string, LanguageCode>(
  LANGUAGES.flatMap((l) => [
    [fold(l.code), l.code],
    [fold(l.englishName), l.code],
    [fold(l.name), l.code],
  ]),
);

/**
 * A language by its code (`pt-br` is `pt-BR`), English name (`German`) or own name (`Deutsch`),
 * case-insensitively; undefined when unknown.
 */
export function parseLanguage(input: string): LanguageCode | undefined {
  return byName.get(fold(input));
}

export const RTL_LANGUAGES: ReadonlySet<LanguageCode> = new Set<LanguageCode>(['ar']);
