import { Body, Button, Container, Head, Heading, Html, Link, Preview, Text } from '@react-email/components';
import type { CSSProperties } from 'react';
import { type LanguageCode, RTL_LANGUAGES } from '../domain/languages';
import { formatStart, interpolate, singleLine } from './format';
import { type InvitationMessages, MESSAGES } from './messages';

export type Props = {
  locale: LanguageCode;
  firstName: string;
  eventName: string;
  /** ISO 8601 instant. */
  startsAt: string;
  /** IANA zone the event is held in; the start is shown in it. */
  timezone: string;
  url: string;
};

export const PreviewProps: Props = {
  locale: 'en',
  firstName: 'Ada',
  eventName: 'Roster Summit 2026',
  startsAt: '2026-09-15T07:30:00.000Z',
  timezone: 'Europe/Berlin',
  url: 'http://localhost:3000/invitation?token=preview-token',
};

export function invitationSubject({ locale, eventName }: Pick<Props, 'locale' | 'eventName'>): string {
  return singleLine(interpolate(MESSAGES[locale].invitation.subject, { event: eventName }));
}

export function InvitationEmail({ locale, firstName, eventName, startsAt, timezone, url }: Props) {
  const start = formatStart(startsAt, timezone, locale);
  const values = { name: firstName, event: eventName, date: start.date, timezone: start.timezone };
  // Interpolated strings are rendered as React text, so names and event names are escaped.
  const t = (key: keyof InvitationMessages) => interpolate(MESSAGES[locale].invitation[key], values);

  return (
    <Html lang={locale} dir={RTL_LANGUAGES.has(locale) ? 'rtl' : 'ltr'}>
      <Head />
      <Preview>{t('preview')}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={heading}>
            {eventName}
          </Heading>
          <Text style={text}>{t('greeting')}</Text>
          <Text style={text}>{t('body')}</Text>
          <Text style={text}>{t('startsAt')}</Text>
          <Button href={url} style={button}>
            {t('button')}
          </Button>
          <Text style={small}>{t('fallback')}</Text>
          {/* dir="ltr" isolates the URL so an RTL paragraph does not reorder its characters. */}
          <Text style={small}>
            <Link href={url} dir="ltr" style={link}>
              {url}
            </Link>
          </Text>
          <Text style={footer}>{t('footer')}</Text>
        </Container>
      </Body>
    </Html>
  );
}

InvitationEmail.PreviewProps = PreviewProps;

export default InvitationEmail;

const body: CSSProperties = { backgroundColor: '#f4f4f5', fontFamily: 'Helvetica, Arial, sans-serif' };
const container: CSSProperties = {
  backgroundColor: '#ffffff',
  margin: '24px auto',
  padding: '32px',
  maxWidth: '560px',
  borderRadius: '8px',
};
const heading: CSSProperties = { fontSize: '22px', color: '#18181b', margin: '0 0 16px' };
const text: CSSProperties = { fontSize: '16px', lineHeight: '24px', color: '#27272a' };
const button: CSSProperties = {
  backgroundColor: '#2563eb',
  color: '#ffffff',
  borderRadius: '6px',
  padding: '12px 20px',
  fontSize: '16px',
  fontWeight: 600,
  textDecoration: 'none',
  margin: '8px 0 16px',
};
const small: CSSProperties = { fontSize: '13px', lineHeight: '20px', color: '#52525b', margin: '4px 0' };
const link: CSSProperties = { color: '#2563eb', wordBreak: 'break-all' };
const footer: CSSProperties = { fontSize: '12px', lineHeight: '18px', color: '#71717a', marginTop: '24px' };
