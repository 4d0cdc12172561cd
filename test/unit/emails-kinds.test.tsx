import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES, type LanguageCode, RTL_LANGUAGES } from '../../domain/languages';
import { type EmailKind, MESSAGES } from '../../emails/messages';
import { type RenderedEmail, renderEmail } from '../../emails/render';

const URL_WITH_QUERY = 'https://events.example.com/login?token=tok_123-abc&lang=de';
const STARTS_AT = '2026-09-15T07:30:00.000Z';
const TIMEZONE = 'Europe/Berlin';
const TOTALS = { rows: 12_500, invited: 12_345, emailed: 12_001, failed: 155 };
const MINUTES = 45;

type Overrides = { firstName?: string; eventName?: string };

/** One way of sending a kind: each variant picks other catalog entries, so each is rendered on its own. */
type Variant = {
  label: string;
  kind: Exclude<EmailKind, 'invitation'>;
  /** Catalog key of the subject and of the button label this variant must use. */
  subjectKey: string;
  buttonKey: string;
  /** Addressed to an attendee by first name (the import summary goes to the organizer). */
  personal: boolean;
  showsStart: boolean;
  render: (locale: LanguageCode, overrides?: Overrides) => Promise<RenderedEmail>;
};

const person = (locale: LanguageCode, overrides: Overrides) => ({
  locale,
  firstName: overrides.firstName ?? 'Ada',
  eventName: overrides.eventName ?? 'Roster Summit',
  url: URL_WITH_QUERY,
});
const schedule = { startsAt: STARTS_AT, timezone: TIMEZONE };

const VARIANTS: Variant[] = [
  {
    label: 'registration_confirmation (confirm email)',
    kind: 'registration_confirmation',
    subjectKey: 'confirmSubject',
    buttonKey: 'confirmButton',
    personal: true,
    showsStart: false,
    render: (locale, o = {}) =>
      renderEmail('registration_confirmation', {
        ...person(locale, o),
        ...schedule,
        requiresConfirmation: true,
      }),
  },
  {
    label: 'registration_confirmation (registered)',
    kind: 'registration_confirmation',
    subjectKey: 'registeredSubject',
    buttonKey: 'registeredButton',
    personal: true,
    showsStart: true,
    render: (locale, o = {}) =>
      renderEmail('registration_confirmation', {
        ...person(locale, o),
        ...schedule,
        requiresConfirmation: false,
      }),
  },
  {
    label: 'login_link',
    kind: 'login_link',
    subjectKey: 'subject',
    buttonKey: 'button',
    personal: true,
    showsStart: false,
    render: (locale, o = {}) =>
      renderEmail('login_link', { ...person(locale, o), expiresInMinutes: MINUTES }),
  },
  {
    label: 'reminder (register)',
    kind: 'reminder',
    subjectKey: 'registerSubject',
    buttonKey: 'registerButton',
    personal: true,
    showsStart: true,
    render: (locale, o = {}) =>
      renderEmail('reminder', { ...person(locale, o), ...schedule, variant: 'register' }),
  },
  {
    label: 'reminder (join)',
    kind: 'reminder',
    subjectKey: 'joinSubject',
    buttonKey: 'joinButton',
    personal: true,
    showsStart: true,
    render: (locale, o = {}) =>
      renderEmail('reminder', { ...person(locale, o), ...schedule, variant: 'join' }),
  },
  ...(['completed', 'cancelled', 'failed'] as const).map(
    (status): Variant => ({
      label: `import_finished (${status})`,
      kind: 'import_finished',
      subjectKey: `${status}Subject`,
      buttonKey: 'button',
      personal: false,
      showsStart: false,
      render: (locale, o = {}) =>
        renderEmail('import_finished', {
          locale,
          eventName: o.eventName ?? 'Roster Summit',
          status,
          totals: TOTALS,
          url: URL_WITH_QUERY,
        }),
    }),
  ),
];

function catalogEntry(locale: LanguageCode, kind: EmailKind, key: string): string {
  const value = (MESSAGES[locale][kind] as Readonly<Record<string, string>>)[key];
  if (value === undefined) throw new Error(`no ${locale}.${kind}.${key}`);
  return value;
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

describe.each(VARIANTS)('$label email', (variant) => {
  describe.each(LANGUAGE_CODES)('in %s', (code) => {
    it('has a non-empty subject naming the event, from its own catalog entry, when rendered', async () => {
      const { subject } = await variant.render(code);
      expect(subject.trim()).not.toBe('');
      expect(subject).toContain('Roster Summit');
      expect(subject).toBe(
        catalogEntry(code, variant.kind, variant.subjectKey).replace('{event}', 'Roster Summit'),
      );
      if (code !== 'en') expect(subject).not.toBe((await variant.render('en')).subject);
    });

    it('declares its language and direction on <html> when rendered', async () => {
      const tag = htmlTag((await variant.render(code)).html);
      expect(tag).toContain(`lang="${code}"`);
      expect(tag).toContain(`dir="${RTL_LANGUAGES.has(code) ? 'rtl' : 'ltr'}"`);
    });

    it('labels its button for this variant when rendered', async () => {
      const { text } = await variant.render(code);
      expect(text).toContain(catalogEntry(code, variant.kind, variant.buttonKey));
    });

    it('links to the exact url, token and all, in both parts when rendered', async () => {
      const { html, text } = await variant.render(code);
      expect(text).toContain(URL_WITH_QUERY);
      // In HTML the "&" of the query must be escaped once: "&amp;", never "&amp;amp;" or a bare "&lang".
      expect(html).toContain(URL_WITH_QUERY.replaceAll('&', '&amp;'));
      expect(html).not.toContain('&amp;amp;');
      expect(html).not.toContain('&lang=');
      const links = hrefs(html);
      expect(links.length).toBeGreaterThan(0);
      expect(links.every((href) => href === URL_WITH_QUERY)).toBe(true);
    });

    it('escapes markup in the names it shows when rendered', async () => {
      const { html, text } = await variant.render(code, {
        firstName: '<b>Eve</b>',
        eventName: '<i>Gala</i> & "Co"',
      });
      expect(html).not.toContain('<b>');
      expect(html).not.toContain('<i>');
      expect(html).toContain('&lt;i&gt;Gala&lt;/i&gt; &amp;');
      expect(text).toContain('<i>Gala</i> & "Co"');
      if (variant.personal) {
        expect(html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
        expect(text).toContain('<b>Eve</b>');
      }
    });

    it('keeps the subject on one line when the event name holds CR/LF or other controls', async () => {
      const { subject } = await variant.render(code, {
        eventName: 'Launch\r\nBcc: victim@example.com\u0007',
      });
      expect(subject).not.toMatch(/[\r\n\p{Cc}]/u);
      expect(subject).toContain('Launch Bcc: victim@example.com');
    });
  });
});

describe.each(VARIANTS.filter((variant) => variant.showsStart))('$label email', (variant) => {
  it.each(LANGUAGE_CODES)('shows the start in the reader language and the event zone in %s', async (code) => {
    const { html, text } = await variant.render(code);
    const date = new Intl.DateTimeFormat(code, {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: TIMEZONE,
    }).format(new Date(STARTS_AT));
    expect(html).toContain(date);
    expect(text).toContain(date);
  });
});

describe('every variant', () => {
  it.each(LANGUAGE_CODES)('has a subject of its own in %s', async (code) => {
    const subjects = await Promise.all(VARIANTS.map(async (variant) => (await variant.render(code)).subject));
    expect(new Set(subjects).size).toBe(VARIANTS.length);
  });
});

describe('login_link email', () => {
  const login = (locale: LanguageCode, expiresInMinutes: number, eventName = 'Roster Summit') =>
    renderEmail('login_link', { locale, firstName: 'Ada', eventName, url: URL_WITH_QUERY, expiresInMinutes });

  it.each(LANGUAGE_CODES)('states how many minutes the link is valid in %s', async (code) => {
    const { html, text } = await login(code, MINUTES);
    const minutes = new Intl.NumberFormat(code).format(MINUTES);
    const duration = new Intl.NumberFormat(code, {
      style: 'unit',
      unit: 'minute',
      unitDisplay: 'long',
    }).format(MINUTES);
    expect(duration).toContain(minutes);
    expect(text).toContain(duration);
    expect(html).toContain(duration);
  });

  it('uses the language plural form of the minutes when rendered', async () => {
    expect((await login('en', 1)).text).toContain('valid for 1 minute and');
    expect((await login('en', 30)).text).toContain('valid for 30 minutes and');
    expect((await login('ru', 21)).text).toContain('21 минута');
    expect((await login('ru', 25)).text).toContain('25 минут');
  });

  it('leaves placeholder-like text in the event name as typed when rendered', async () => {
    const { subject, text } = await login('en', MINUTES, '{duration} Party');
    expect(subject).toContain('{duration} Party');
    expect(text).toContain('sign in to {duration} Party.');
  });
});

describe('import_finished email', () => {
  it.each(LANGUAGE_CODES)('shows the four totals formatted for %s', async (code) => {
    const { html, text } = await renderEmail('import_finished', {
      locale: code,
      eventName: 'Roster Summit',
      status: 'completed',
      totals: TOTALS,
      url: URL_WITH_QUERY,
    });
    const format = new Intl.NumberFormat(code);
    for (const key of ['rows', 'invited', 'emailed', 'failed'] as const) {
      const line = catalogEntry(code, 'import_finished', key).replace('{count}', format.format(TOTALS[key]));
      expect(html, `${code} ${key}`).toContain(line);
      expect(text, `${code} ${key}`).toContain(line);
    }
  });

  it('groups digits by the reader language when rendered', async () => {
    const render = (locale: LanguageCode) =>
      renderEmail('import_finished', {
        locale,
        eventName: 'Roster Summit',
        status: 'completed',
        totals: TOTALS,
        url: URL_WITH_QUERY,
      });
    expect((await render('en')).text).toContain('People invited: 12,345');
    expect((await render('de')).text).toContain('Eingeladene Personen: 12.345');
  });
});

describe('catalog placeholders', () => {
  /** What each component fills in: anything else would show up as "{typo}" in a sent email. */
  const FILLED: Record<EmailKind, readonly string[]> = {
    invitation: ['name', 'event', 'date', 'timezone'],
    registration_confirmation: ['name', 'event', 'date', 'timezone'],
    login_link: ['name', 'event', 'duration'],
    reminder: ['name', 'event', 'date', 'timezone'],
    import_finished: ['event', 'count', 'invited', 'failed'],
    message: ['event'],
  };

  it.each(Object.keys(FILLED) as EmailKind[])('are all filled by the %s component', (kind) => {
    for (const [key, value] of Object.entries(MESSAGES.en[kind])) {
      for (const [, placeholder] of value.matchAll(/\{(\w+)\}/g)) {
        expect(FILLED[kind], `en.${kind}.${key}: {${placeholder}}`).toContain(placeholder);
      }
    }
  });

  it.each(Object.keys(FILLED) as EmailKind[])('name the event in every %s subject', (kind) => {
    for (const code of LANGUAGE_CODES) {
      for (const [key, value] of Object.entries(MESSAGES[code][kind])) {
        if (/subject$/i.test(key)) expect(value, `${code}.${kind}.${key}`).toContain('{event}');
      }
    }
  });
});
