import { Text } from '@react-email/components';
import type { LanguageCode } from '../domain/languages';
import { formatStart, interpolate, singleLine } from './format';
import { EmailLayout } from './layout';
import { type InvitationMessages, MESSAGES } from './messages';
import * as styles from './styles';

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
    <EmailLayout
      locale={locale}
      preview={t('preview')}
      heading={eventName}
      url={url}
      button={t('button')}
      fallback={t('fallback')}
      footer={t('footer')}
    >
      <Text style={styles.text}>{t('greeting')}</Text>
      <Text style={styles.text}>{t('body')}</Text>
      <Text style={styles.text}>{t('startsAt')}</Text>
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = PreviewProps;

export default InvitationEmail;
