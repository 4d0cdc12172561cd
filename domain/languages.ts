/** The 19 invitation languages of the contract. `maintained` ones are kept up to date. */
export const LANGUAGES = [
  { code: 'en', name: 'English', maintained: true },
  { code: 'de', name: 'Deutsch', maintained: true },
  { code: 'fr', name: 'Français', maintained: true },
  { code: 'es', name: 'Español', maintained: true },
  { code: 'nl', name: 'Nederlands', maintained: true },
  { code: 'ru', name: 'Русский', maintained: true },
  { code: 'pt-BR', name: 'Português (Brasil)', maintained: true },
  { code: 'ja', name: '日本語', maintained: true },
  { code: 'zh-Hans', name: '简体中文', maintained: true },
  { code: 'zh-Hant', name: '繁體中文', maintained: true },
  { code: 'fi', name: 'Suomi', maintained: true },
  { code: 'it', name: 'Italiano', maintained: false, lastUpdated: '2021-01-01' },
  { code: 'fr-CA', name: 'Français (Canada)', maintained: false, lastUpdated: '2021-01-01' },
  { code: 'ko', name: '한국어', maintained: false, lastUpdated: '2021-01-01' },
  { code: 'ar', name: 'العربية', maintained: false },
  { code: 'ca', name: 'Català', maintained: false },
  { code: 'da', name: 'Dansk', maintained: false },
  { code: 'sr', name: 'Српски', maintained: false },
  { code: 'sv', name: 'Svenska', maintained: false },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

const byLowerCode = new Map<string, LanguageCode>(LANGUAGES.map((l) => [l.code.toLowerCase(), l.code]));

/** Matches a language code case-insensitively (`pt-br` is `pt-BR`); undefined when unknown. */
export function parseLanguage(input: string): LanguageCode | undefined {
  return byLowerCode.get(input.trim().toLowerCase());
}

export const RTL_LANGUAGES: ReadonlySet<LanguageCode> = new Set<LanguageCode>(['ar']);
