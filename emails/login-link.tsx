import { Text } from '@react-email/components';
import type { LanguageCode } from '../domain/languages';
import { formatMinutes, interpolate, singleLine } from './format';
import { EmailLayout } from './layout';
import { type LoginLinkMessages, MESSAGES } from './messages';
import * as styles from './styles';

export type Props = {
  locale: LanguageCode;
  firstName: string;
  eventName: string;
  /** The single-use sign-in link. */
  url: string;
  /** How long the link stays valid, in minutes. */
  expiresInMinutes: number;
};

export const PreviewProps: Props = {
  locale: 'en',
  firstName: 'Ada',
  eventName: 'Roster Summit 2026',
  url: 'http://localhost:3000/login?token=preview-token',
  expiresInMinutes: 15,
};

export function loginLinkSubject({ locale, eventName }: Pick<Props, 'locale' | 'eventName'>): string {
  return singleLine(interpolate(MESSAGES[locale].login_link.subject, { event: eventName }));
}

export function LoginLinkEmail({ locale, firstName, eventName, url, expiresInMinutes }: Props) {
  const values = { name: firstName, event: eventName, duration: formatMinutes(expiresInMinutes, locale) };
  // Interpolated strings are rendered as React text, so names and event names are escaped.
  const t = (key: keyof LoginLinkMessages) => interpolate(MESSAGES[locale].login_link[key], values);

  return (
    <EmailLayout
      locale={locale}
      preview={t('preview')}
      heading={eventName}
      url={url}
      button={t('button')}
      fallback={t('fallback')}
      footer={t('footer')}
      afterButton={<Text style={styles.text}>{t('validity')}</Text>}
    >
      <Text style={styles.text}>{t('greeting')}</Text>
      <Text style={styles.text}>{t('body')}</Text>
    </EmailLayout>
  );
}

LoginLinkEmail.PreviewProps = PreviewProps;

export default LoginLinkEmail;
