import { describe, expect, it } from 'vitest';
import type { CustomMessage } from '../../domain/custom-message';
import { LANGUAGE_CODES, type LanguageCode, RTL_LANGUAGES } from '../../domain/languages';
import { customMessageRenderer } from '../../emails/custom-message-skeleton';
import { MESSAGES } from '../../emails/messages';
import { renderEmail } from '../../emails/render';

const URL_WITH_QUERY = 'https://events.example.com/events/e1/login?token=tok_123-abc&lang=de';
const BODY =
  'Doors open at 8:30.\nBring your badge.\n\n' +
  'Map: https://example.com/parking?level=2&zone=b. See you!\n\n' +
  '<script>alert(1)</script> <b>bold?</b> & javascript:alert(document.cookie) [x](javascript:alert(1))';

const render = (
  locale: LanguageCode,
  overrides: Partial<Parameters<typeof renderEmail<'message'>>[1]> = {},
) =>
  renderEmail('message', {
    locale,
    eventName: 'Roster <Summit> & Co',
    subject: 'Parking & arrival',
    body: BODY,
    link: { kind: 'login', url: URL_WITH_QUERY },
    accent: '#0b6e4f',
    ...overrides,
  });

const hrefs = (html: string) =>
  [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));

describe.each(LANGUAGE_CODES)('custom message email in %s', (code) => {
  it('keeps the organizer’s subject, on one line', async () => {
    expect((await render(code)).subject).toBe('Parking & arrival');
    expect((await render(code, { subject: 'Hi\r\nBcc: x@example.com' })).subject).toBe(
      'Hi Bcc: x@example.com',
    );
  });

  it('declares the reader’s language and direction, and speaks it around the text', async () => {
    const { html, text } = await render(code);
    const tag = html.match(/<html\b[^>]*>/)?.[0] ?? '';
    expect(tag).toContain(`lang="${code}"`);
    expect(tag).toContain(`dir="${RTL_LANGUAGES.has(code) ? 'rtl' : 'ltr'}"`);
    const frame = MESSAGES[code].message;
    expect(text).toContain(frame.loginButton);
    expect(text).toContain(frame.fallback);
    expect(text).toContain(frame.footer.replace('{event}', 'Roster <Summit> & Co'));
  });

  it('escapes the text, links only http(s) URLs, and keeps paragraphs and line breaks', async () => {
    const { html, text } = await render(code);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Roster &lt;Summit&gt; &amp; Co');
    expect(html).toContain('Doors open at 8:30.<br/>Bring your badge.');
    expect(hrefs(html).sort()).toEqual(
      ['https://example.com/parking?level=2&zone=b', URL_WITH_QUERY, URL_WITH_QUERY].sort(),
    );
    expect(html).not.toMatch(/href="\s*javascript:/i);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('Doors open at 8:30.\nBring your badge.');
  });

  it('has no button or link of its own without a way in', async () => {
    const { html, text } = await render(code, { link: null });
    expect(hrefs(html)).toEqual(['https://example.com/parking?level=2&zone=b']);
    expect(text).not.toContain(MESSAGES[code].message.fallback);
  });

  it('labels the invitation link as the invitation’s button', async () => {
    const { text } = await render(code, { link: { kind: 'invitation', url: URL_WITH_QUERY } });
    expect(text).toContain(MESSAGES[code].message.invitationButton);
    expect(MESSAGES[code].message.invitationButton).toBe(MESSAGES[code].invitation.button);
  });
});

describe('custom message look', () => {
  it('paints the button in the event’s accent with readable text, and ignores anything but #rrggbb', async () => {
    const dark = (await render('en', { accent: '#0b6e4f' })).html;
    expect(dark).toMatch(/background-color:#0b6e4f;color:#ffffff/);
    const light = (await render('en', { accent: '#ffde59' })).html;
    expect(light).toMatch(/background-color:#ffde59;color:#000000/);
    const hostile = (await render('en', { accent: 'red;background:url(x)' })).html;
    expect(hostile).not.toContain('url(x)');
    expect(hostile).toContain('background-color:#2563eb');
  });
});

describe('custom message renderer', () => {
  // Links as Roster makes them: the event site, the event's id, a 43-character token.
  const SITE = 'http://localhost:3000/events/0199a1b2-0000-7000-8000-000000000000';
  const message: CustomMessage = {
    subject: 'Parking',
    body: BODY,
    perLanguage: { de: { subject: 'Parken', body: 'Einlass um 8:30 Uhr.\n\nKarte: https://example.com/de' } },
    includeLoginLink: true,
  };

  it('fills each reader’s link into one render per language, exactly as a render of their own', async () => {
    const renderer = customMessageRenderer({ eventName: 'Summit', accent: null }, message);
    for (const locale of ['en', 'de', 'ar'] as const) {
      for (const link of [
        { kind: 'login' as const, url: `${SITE}/login?token=${'a'.repeat(43)}&b=<c>` },
        { kind: 'invitation' as const, url: `${SITE}/invitation?token=${'Z_-9'.repeat(11)}` },
        null,
      ]) {
        const filled = await renderer(locale, link);
        const own = await renderEmail('message', {
          locale,
          eventName: 'Summit',
          accent: null,
          ...(locale === 'de' ? (message.perLanguage?.de as { subject: string; body: string }) : message),
          link,
        });
        expect(filled).toEqual(own);
      }
    }
  });

  it('gives readers of a translated language its text and everyone else the fallback', async () => {
    const renderer = customMessageRenderer({ eventName: 'Summit' }, message);
    expect((await renderer('de', null)).subject).toBe('Parken');
    expect((await renderer('de', null)).text).toContain('Einlass um 8:30 Uhr.');
    expect((await renderer('fr', null)).subject).toBe('Parking');
    expect((await renderer('fr', null)).text).toContain('Doors open at 8:30.');
  });
});
