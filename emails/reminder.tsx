import { Text } from '@react-email/components';
import type { LanguageCode } from '../domain/languages';
import { formatStart, interpolate, singleLine } from './format';
import { EmailLayout } from './layout';
import { MESSAGES, type ReminderMessages } from './messages';
import * as styles from './styles';

export type Props = {
  locale: LanguageCode;
  firstName: string;
  eventName: string;
  /** ISO 8601 instant. */
  startsAt: string;
  /** IANA zone the event is held in; the start is shown in it. */
  timezone: string;
  /** `register`: the invitation link; `join`: the link into the event. */
  url: string;
  /** `register` for someone invited who has not registered yet, `join` for someone registered. */
  variant: 'register' | 'join';
};

export const PreviewProps: Props = {
  locale: 'en',
  firstName: 'Ada',
  eventName: 'Roster Summit 2026',
  startsAt: '2026-09-15T07:30:00.000Z',
  timezone: 'Europe/Berlin',
  url: 'http://localhost:3000/invitation?token=preview-token',
  variant: 'register',
};

export function reminderSubject({
  locale,
  eventName,
  variant,
}: Pick<Props, 'locale' | 'eventName' | 'variant'>): string {
  return singleLine(interpolate(MESSAGES[locale].reminder[`${variant}Subject`], { event: eventName }));
}

export function ReminderEmail({ locale, firstName, eventName, startsAt, timezone, url, variant }: Props) {
  const start = formatStart(startsAt, timezone, locale);
  const values = { name: firstName, event: eventName, date: start.date, timezone: start.timezone };
  // Interpolated strings are rendered as React text, so names and event names are escaped.
  const t = (key: keyof ReminderMessages) => interpolate(MESSAGES[locale].reminder[key], values);

  return (
    <EmailLayout
      locale={locale}
      preview={t(`${variant}Preview`)}
      heading={eventName}
      url={url}
      button={t(`${variant}Button`)}
      fallback={t('fallback')}
      footer={t(`${variant}Footer`)}
    >
      <Text style={styles.text}>{t('greeting')}</Text>
      <Text style={styles.text}>{t(`${variant}Body`)}</Text>
      <Text style={styles.text}>{t('startsAt')}</Text>
    </EmailLayout>
  );
}

ReminderEmail.PreviewProps = PreviewProps;

export default ReminderEmail;
