import { Text } from '@react-email/components';
import type { LanguageCode } from '../domain/languages';
import { formatStart, interpolate, singleLine } from './format';
import { EmailLayout } from './layout';
import { MESSAGES, type RegistrationConfirmationMessages } from './messages';
import * as styles from './styles';

export type Props = {
  locale: LanguageCode;
  firstName: string;
  eventName: string;
  /** ISO 8601 instant. */
  startsAt: string;
  /** IANA zone the event is held in; the start is shown in it. */
  timezone: string;
  /** With `requiresConfirmation`, the confirm-email link; without, the link to the event. */
  url: string;
  /** True: the address must still be confirmed to complete the registration. */
  requiresConfirmation: boolean;
};

export const PreviewProps: Props = {
  locale: 'en',
  firstName: 'Ada',
  eventName: 'Roster Summit 2026',
  startsAt: '2026-09-15T07:30:00.000Z',
  timezone: 'Europe/Berlin',
  url: 'http://localhost:3000/registration/confirm?token=preview-token',
  requiresConfirmation: true,
};

type Variant = 'confirm' | 'registered';

function variantOf(requiresConfirmation: boolean): Variant {
  return requiresConfirmation ? 'confirm' : 'registered';
}

export function registrationConfirmationSubject({
  locale,
  eventName,
  requiresConfirmation,
}: Pick<Props, 'locale' | 'eventName' | 'requiresConfirmation'>): string {
  const template = MESSAGES[locale].registration_confirmation[`${variantOf(requiresConfirmation)}Subject`];
  return singleLine(interpolate(template, { event: eventName }));
}

export function RegistrationConfirmationEmail({
  locale,
  firstName,
  eventName,
  startsAt,
  timezone,
  url,
  requiresConfirmation,
}: Props) {
  const variant = variantOf(requiresConfirmation);
  const start = formatStart(startsAt, timezone, locale);
  const values = { name: firstName, event: eventName, date: start.date, timezone: start.timezone };
  // Interpolated strings are rendered as React text, so names and event names are escaped.
  const t = (key: keyof RegistrationConfirmationMessages) =>
    interpolate(MESSAGES[locale].registration_confirmation[key], values);

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
      {variant === 'registered' && <Text style={styles.text}>{t('startsAt')}</Text>}
    </EmailLayout>
  );
}

RegistrationConfirmationEmail.PreviewProps = PreviewProps;

export default RegistrationConfirmationEmail;
