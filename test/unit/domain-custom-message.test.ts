import { describe, expect, it } from 'vitest';
import { CustomMessageSchema } from '../../api/shared/custom-message.schema';
import { STATUSES } from '../../domain/attendee-lifecycle';
import {
  type CustomMessage,
  linkify,
  MESSAGE_BODY_MAX,
  MESSAGE_SUBJECT_MAX,
  mayReceiveMessage,
  messageFor,
  messageIssues,
  messageLanguages,
  messageSkipReason,
  paragraphs,
  previewOf,
  wayInFor,
} from '../../domain/custom-message';

const issuesOf = (value: unknown) => {
  const result = CustomMessageSchema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('custom message validation', () => {
  it('accepts a message with translations and trims its texts', () => {
    const parsed = CustomMessageSchema.parse({
      subject: '  Parking  ',
      body: '\n Doors open at 8:30.\n',
      perLanguage: { de: { subject: 'Parken', body: 'Einlass 8:30.' }, 'pt-BR': { subject: 'x', body: 'y' } },
      includeLoginLink: true,
    });
    expect(parsed.subject).toBe('Parking');
    expect(parsed.body).toBe('Doors open at 8:30.');
    expect(Object.keys(parsed.perLanguage ?? {})).toEqual(['de', 'pt-BR']);
  });

  it('refuses empty, blank and missing texts with their paths', () => {
    expect(issuesOf({ subject: '', body: 'x' }).map((i) => i.path)).toEqual(['subject']);
    expect(issuesOf({ subject: 'x', body: ' \n\t ' }).map((i) => i.path)).toEqual(['body']);
    expect(issuesOf({ body: 'x' }).map((i) => i.path)).toEqual(['subject']);
    expect(
      issuesOf({ subject: 'x', body: 'y', perLanguage: { fr: { subject: 'ok', body: '' } } }).map(
        (i) => i.path,
      ),
    ).toEqual(['perLanguage.fr.body']);
  });

  it('refuses texts over the limits, and takes them at the limits', () => {
    const atLimit = { subject: 's'.repeat(MESSAGE_SUBJECT_MAX), body: 'b'.repeat(MESSAGE_BODY_MAX) };
    expect(issuesOf(atLimit)).toEqual([]);
    const over = issuesOf({ subject: `${atLimit.subject}s`, body: `${atLimit.body}b` });
    expect(over).toEqual([
      { path: 'subject', message: 'The subject has at most 200 characters.' },
      { path: 'body', message: 'The body has at most 10,000 characters.' },
    ]);
  });

  it('refuses a language Roster does not know, naming it, and a wrongly cased code', () => {
    const issues = issuesOf({
      subject: 'x',
      body: 'y',
      perLanguage: { xx: { subject: 'a', body: 'b' }, 'pt-br': { subject: 'a', body: 'b' } },
    });
    expect(issues.map((i) => i.path)).toEqual(['perLanguage.xx', 'perLanguage.pt-br']);
    expect(issues[0]?.message).toContain('"xx" is not one of Roster\'s languages');
    expect(issues[0]?.message).toContain('pt-BR');
  });

  it('refuses a subject over two lines and control characters in the body, keeping line breaks and tabs', () => {
    expect(issuesOf({ subject: 'Hi\r\nBcc: x@example.com', body: 'y' }).map((i) => i.path)).toEqual([
      'subject',
    ]);
    expect(issuesOf({ subject: 'x', body: 'a\u0000b' }).map((i) => i.path)).toEqual(['body']);
    expect(issuesOf({ subject: 'x', body: 'a\n\tb\r\nc' })).toEqual([]);
  });

  it('finds the same problems in the domain as the schema does', () => {
    const bad = {
      subject: '',
      body: 'b'.repeat(MESSAGE_BODY_MAX + 1),
      perLanguage: { xx: { subject: 'a', body: 'b' }, de: { subject: 'a\nb', body: 'ok' } },
    } as unknown as CustomMessage;
    expect(messageIssues(bad).map((i) => `${i.path}:${i.code}`)).toEqual([
      'subject:too_small',
      'body:too_big',
      'perLanguage.xx:unknown_language',
      'perLanguage.de.subject:invalid_characters',
    ]);
    expect(issuesOf(bad).map((i) => i.path)).toEqual([
      'subject',
      'body',
      'perLanguage.de.subject',
      'perLanguage.xx',
    ]);
    expect(messageIssues({ subject: 'ok', body: 'ok' })).toEqual([]);
  });
});

describe('messageFor', () => {
  const message: CustomMessage = {
    subject: 'Parking',
    body: 'Doors open at 8:30.',
    perLanguage: { de: { subject: 'Parken', body: 'Einlass um 8:30.' } },
  };

  it('gives a reader the text of their language where there is one', () => {
    expect(messageFor(message, 'de')).toEqual({ subject: 'Parken', body: 'Einlass um 8:30.' });
  });

  it('falls back to the top-level text for every other language', () => {
    expect(messageFor(message, 'fr')).toEqual({ subject: 'Parking', body: 'Doors open at 8:30.' });
    expect(messageFor({ subject: 's', body: 'b' }, 'ja')).toEqual({ subject: 's', body: 'b' });
    expect(messageLanguages(message)).toEqual(['de']);
  });
});

describe('who may receive a message', () => {
  it('is anyone on the list but blocked and unregistered people', () => {
    expect(STATUSES.filter(mayReceiveMessage)).toEqual(['invited', 'registered', 'attended', 'sso_login']);
  });

  it('names why a row gets none: removed first, then the status, then a bounced address', () => {
    const row = { status: 'registered' as const, removed: false, emailUndeliverable: false };
    expect(messageSkipReason(row)).toBeNull();
    expect(messageSkipReason({ ...row, removed: true, status: 'blocked' })).toBe('removed');
    expect(messageSkipReason({ ...row, status: 'blocked' })).toBe('status_blocked');
    expect(messageSkipReason({ ...row, status: 'unregistered' })).toBe('status_unregistered');
    expect(messageSkipReason({ ...row, emailUndeliverable: true })).toBe('bounced');
  });

  it('gives invitees their invitation link and registered or attended people a login link, on magic-link events', () => {
    const who = (status: (typeof STATUSES)[number], awaitingConfirmation = false) =>
      wayInFor({ status, awaitingConfirmation }, 'magic_link');
    expect(who('invited')).toBe('invitation');
    expect(who('registered')).toBe('login');
    expect(who('attended')).toBe('login');
    expect(who('registered', true)).toBeNull();
    expect(who('sso_login')).toBeNull();
    expect(wayInFor({ status: 'registered', awaitingConfirmation: false }, 'sso')).toBeNull();
    expect(wayInFor({ status: 'invited', awaitingConfirmation: false }, 'sso')).toBeNull();
  });
});

describe('paragraphs and links', () => {
  it('splits paragraphs at blank lines and keeps line breaks inside them', () => {
    const blocks = paragraphs('One\r\nline two\n\n\n  \nTwo\n\nThree');
    expect(blocks).toEqual([
      [[{ text: 'One' }], [{ text: 'line two' }]],
      [[{ text: 'Two' }]],
      [[{ text: 'Three' }]],
    ]);
  });

  it('links http and https URLs, leaving trailing punctuation to the sentence', () => {
    expect(linkify('See https://example.com/a?b=1&c=2. Or http://x.test/(y).')).toEqual([
      { text: 'See ' },
      { url: 'https://example.com/a?b=1&c=2' },
      { text: '. Or ' },
      { url: 'http://x.test/(y)' },
      { text: '.' },
    ]);
    expect(linkify('(https://example.com/docs)')).toEqual([
      { text: '(' },
      { url: 'https://example.com/docs' },
      { text: ')' },
    ]);
  });

  it('links nothing but http(s): javascript:, data:, mailto: and bare domains stay text', () => {
    for (const line of [
      'javascript:alert(document.cookie)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'mailto:someone@example.com',
      'www.example.com',
      'https://',
      '<a href="https://evil.test">x</a>',
    ]) {
      const urls = linkify(line).flatMap((s) => ('url' in s ? [s.url] : []));
      expect(
        urls.every((u) => /^https?:\/\/[^<>"]+$/.test(u)),
        line,
      ).toBe(true);
      expect(
        urls.some((u) => /javascript:|data:|mailto:/i.test(u)),
        line,
      ).toBe(false);
    }
    expect(linkify('javascript:alert(1)')).toEqual([{ text: 'javascript:alert(1)' }]);
    expect(linkify('<script>alert(1)</script>')).toEqual([{ text: '<script>alert(1)</script>' }]);
  });

  it('keeps every character of the line, in order', () => {
    const line = 'a https://x.test/p, b http://y.test c';
    const joined = linkify(line)
      .map((s) => ('url' in s ? s.url : s.text))
      .join('');
    expect(joined).toBe(line);
  });

  it('previews the first words on one line', () => {
    expect(previewOf('Hello\n\nworld')).toBe('Hello world');
    expect(previewOf('x'.repeat(500))).toHaveLength(140);
  });
});
