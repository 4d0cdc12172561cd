import { describe, expect, it } from 'vitest';
import { PAGE_MESSAGES } from '../../api/pages/messages';
import { CSP, csrfMatches } from '../../api/pages/security';
import { onAccent, themeCss } from '../../api/pages/style';
import { LANGUAGE_CODES } from '../../domain/languages';

/** Every leaf key of a catalog, as dotted paths. */
const keys = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('attendee page catalogs', () => {
  const english = keys(PAGE_MESSAGES.en).sort();

  it.each(LANGUAGE_CODES)('%s has every key, each a non-empty string of its own', (code) => {
    const catalog = PAGE_MESSAGES[code];
    expect(keys(catalog).sort()).toEqual(english);
    for (const key of english) {
      const value = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], catalog);
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });

  it.each(LANGUAGE_CODES.filter((c) => c !== 'en'))(
    '%s is written in its language, not left in English',
    (code) => {
      const catalog = PAGE_MESSAGES[code];
      // Titles and buttons a reader sees first: none may be the English text.
      for (const key of [
        'invitedTitle',
        'loginTitle',
        'expiredTitle',
        'blockedTitle',
        'sendLink',
        'unregister',
      ] as const) {
        expect(catalog[key], `${code}.${key}`).not.toBe(PAGE_MESSAGES.en[key]);
      }
    },
  );

  it('keeps the {event} placeholder wherever English has it', () => {
    for (const code of LANGUAGE_CODES) {
      for (const [key, value] of Object.entries(PAGE_MESSAGES.en)) {
        if (typeof value === 'string' && value.includes('{event}'))
          expect(PAGE_MESSAGES[code][key as 'loginTitle'], `${code}.${key}`).toContain('{event}');
      }
    }
  });
});

describe('CSRF and headers', () => {
  it('accepts only the cookie’s own value', () => {
    const token = 'a'.repeat(43);
    expect(csrfMatches(token, token)).toBe(true);
    expect(csrfMatches(token, `${'a'.repeat(42)}b`)).toBe(false);
    expect(csrfMatches(token, 'a')).toBe(false);
    expect(csrfMatches(undefined, token)).toBe(false);
    expect(csrfMatches(token, undefined)).toBe(false);
    expect(csrfMatches(token, ['a'])).toBe(false);
  });

  it('allows no scripts, frames, inline styles or other sites', () => {
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(CSP).not.toMatch(/unsafe|https?:|\*/);
  });
});

describe('event look', () => {
  it('puts black text on light accents and white on dark ones', () => {
    expect(onAccent('#ffde59')).toBe('#000000');
    expect(onAccent('#0b6e4f')).toBe('#ffffff');
  });

  it('writes only a valid #rrggbb into the theme', () => {
    expect(themeCss('#0b6e4f')).toContain('--accent: #0b6e4f');
    expect(themeCss('red; } body { display:none')).toBe('');
    expect(themeCss(null)).toBe('');
  });
});

describe('EVENT_SITE_URL default', () => {
  it('follows the service’s own address: PUBLIC_API_URL, else localhost on its port', async () => {
    const { loadEnv } = await import('../../config/env');
    expect(loadEnv({ PORT: '4123' }).EVENT_SITE_URL).toBe('http://localhost:4123');
    expect(loadEnv({ PORT: '4123', PUBLIC_API_URL: 'https://roster.example.com' }).EVENT_SITE_URL).toBe(
      'https://roster.example.com',
    );
    expect(loadEnv({ EVENT_SITE_URL: 'https://events.example.com' }).EVENT_SITE_URL).toBe(
      'https://events.example.com',
    );
  });
});
