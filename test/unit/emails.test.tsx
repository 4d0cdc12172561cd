import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES, type LanguageCode, RTL_LANGUAGES } from '../../domain/languages';
import { type EmailKind, MESSAGES } from '../../emails/messages';
import { renderEmail } from '../../emails/render';

const URL_WITH_QUERY = 'https://events.example.com/invitation?token=tok_123-abc&lang=de';
const STARTS_AT = '2026-09-15T07:30:00.000Z';
const TIMEZONE = 'Europe/Berlin';

function invitation(locale: LanguageCode, overrides: { firstName?: string; eventName?: string } = {}) {
  return renderEmail('invitation', {
    locale,
    firstName: overrides.firstName ?? 'Ada',
    eventName: overrides.eventName ?? 'Roster Summit',
    startsAt: STARTS_AT,
    timezone: TIMEZONE,
    url: URL_WITH_QUERY,
  });
}

function htmlTag(html: string): string {
  return html.match(/<html\b[^>]*>/)?.[0] ?? '';
}

function decodeAttribute(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/\shref="([^"]*)"/g)].map((match) => decodeAttribute(match[1] ?? ''));
}

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('invitation email', () => {
  describe.each(LANGUAGE_CODES)('in %s', (code) => {
    it('has a non-empty subject naming the event when rendered', async () => {
      const { subject } = await invitation(code);
      expect(subject.trim()).not.toBe('');
      expect(subject).toContain('Roster Summit');
      if (code !== 'en') expect(subject).not.toBe((await invitation('en')).subject);
    });

    it('declares its language and direction on <html> when rendered', async () => {
      const tag = htmlTag((await invitation(code)).html);
      expect(tag).toContain(`lang="${code}"`);
      expect(tag).toContain(`dir="${RTL_LANGUAGES.has(code) ? 'rtl' : 'ltr'}"`);
    });

    it('shows the start in the reader language and the event zone when rendered', async () => {
      const { html, text } = await invitation(code);
      const date = new Intl.DateTimeFormat(code, {
        dateStyle: 'full',
        timeStyle: 'short',
        timeZone: TIMEZONE,
      }).format(new Date(STARTS_AT));
      expect(html).toContain(date);
      expect(text).toContain(date);
    });

    it('links to the exact url, token and all, in both parts when rendered', async () => {
      const { html, text } = await invitation(code);
      expect(text).toContain(URL_WITH_QUERY);
      // In HTML the "&" of the query must be escaped once: "&amp;", never "&amp;amp;" or a bare "&lang".
      expect(html).toContain(URL_WITH_QUERY.replaceAll('&', '&amp;'));
      expect(html).not.toContain('&amp;amp;');
      expect(html).not.toContain('&lang=');
      const links = hrefs(html);
      expect(links.length).toBeGreaterThan(0);
      expect(links.every((href) => href === URL_WITH_QUERY)).toBe(true);
    });

    it('escapes markup in the first name and event name when rendered', async () => {
      const { html, text } = await invitation(code, {
        firstName: '<b>Eve</b>',
        eventName: '<i>Gala</i> & "Co"',
      });
      expect(html).not.toContain('<b>');
      expect(html).not.toContain('<i>');
      expect(html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
      expect(html).toContain('&lt;i&gt;Gala&lt;/i&gt; &amp;');
      expect(text).toContain('<b>Eve</b>');
    });

    it('keeps the subject on one line when the event name holds CR/LF', async () => {
      const { subject } = await invitation(code, { eventName: 'Launch\r\nBcc: victim@example.com' });
      expect(subject).not.toMatch(/[\r\n]/);
      expect(subject).toContain('Launch Bcc: victim@example.com');
    });
  });
});

describe('invitation placeholders', () => {
  it('leaves placeholder-like text in user values as typed when rendered', async () => {
    const { subject, text } = await invitation('en', { firstName: '{event}', eventName: '{name} Party' });
    expect(subject).toContain('{name} Party');
    expect(text).toContain('Hi {event},');
    expect(text).not.toContain('Hi {name} Party,');
  });
});

describe('message catalogs', () => {
  const kinds = Object.keys(MESSAGES.en).sort() as EmailKind[];
  const entries = (code: LanguageCode, kind: EmailKind): [string, string][] =>
    Object.entries(MESSAGES[code][kind]);

  it.each(LANGUAGE_CODES)('has the same kinds and keys as English in %s', (code) => {
    expect(Object.keys(MESSAGES[code]).sort()).toEqual(kinds);
    for (const kind of kinds) {
      expect(Object.keys(MESSAGES[code][kind]).sort(), `${code}.${kind}`).toEqual(
        Object.keys(MESSAGES.en[kind]).sort(),
      );
    }
  });

  it.each(LANGUAGE_CODES)('has every value written out, with the placeholders of English, in %s', (code) => {
    for (const kind of kinds) {
      const english = new Map(entries('en', kind));
      for (const [key, value] of entries(code, kind)) {
        const label = `${code}.${kind}.${key}`;
        const englishValue = english.get(key) ?? '';
        expect(value.trim(), label).not.toBe('');
        expect(value, label).not.toMatch(/^\s*(\{\w+\}|TODO|FIXME|TBD)\s*$/i);
        expect(placeholders(value), label).toEqual(placeholders(englishValue));
        if (code !== 'en') expect(value, `${label} is untranslated`).not.toBe(englishValue);
      }
    }
  });
});
