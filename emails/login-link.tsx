import { Body, Button, Container, Head, Heading, Html, Link, Preview, Text } from '@react-email/components';
import { type LanguageCode, RTL_LANGUAGES } from '../domain/languages';
import { formatMinutes, interpolate, singleLine } from './format';
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
    <Html lang={locale} dir={RTL_LANGUAGES.has(locale) ? 'rtl' : 'ltr'}>
      <Head />
      <Preview>{t('preview')}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {eventName}
          </Heading>
          <Text style={styles.text}>{t('greeting')}</Text>
          <Text style={styles.text}>{t('body')}</Text>
          <Button href={url} style={styles.button}>
            {t('button')}
          </Button>
          <Text style={styles.text}>{t('validity')}</Text>
          <Text style={styles.small}>{t('fallback')}</Text>
          {/* dir="ltr" isolates the URL so an RTL paragraph does not reorder its characters. */}
          <Text style={styles.small}>
            <Link href={url} dir="ltr" style={styles.link}>
              {url}
            </Link>
          </Text>
          <Text style={styles.footer}>{t('footer')}</Text>
        </Container>
      </Body>
    </Html>
  );
}

LoginLinkEmail.PreviewProps = PreviewProps;

export default LoginLinkEmail;
