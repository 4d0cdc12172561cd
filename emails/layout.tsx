import { Body, Button, Container, Head, Heading, Html, Link, Preview, Text } from '@react-email/components';
import type { ReactNode } from 'react';
import { isAccentColor, onAccent } from '../domain/event-look';
import { type LanguageCode, RTL_LANGUAGES } from '../domain/languages';
import * as styles from './styles';

export interface EmailLayoutProps {
  locale: LanguageCode;
  preview: string;
  heading: string;
  /** The link of the button, repeated as text for mail clients that drop buttons; none: no button. */
  url?: string;
  button?: string;
  fallback?: string;
  footer: string;
  /** The paragraphs above the button. */
  children: ReactNode;
  /** A line between the button and the fallback link. */
  afterButton?: ReactNode;
  /** The event's accent colour (`#rrggbb`) for the button and links; Roster's own otherwise. */
  accent?: string | null;
}

/** The frame every email shares: heading, paragraphs, one button, the link as text, a footer. */
export function EmailLayout(props: EmailLayoutProps) {
  const { locale, url } = props;
  const accent = isAccentColor(props.accent) ? props.accent : null;
  const button = accent
    ? { ...styles.button, backgroundColor: accent, color: onAccent(accent) }
    : styles.button;
  const link = accent ? { ...styles.link, color: accent } : styles.link;
  return (
    <Html lang={locale} dir={RTL_LANGUAGES.has(locale) ? 'rtl' : 'ltr'}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={styles.body}>
        <Container
          style={accent ? { ...styles.container, borderTop: `6px solid ${accent}` } : styles.container}
        >
          <Heading as="h1" style={styles.heading}>
            {props.heading}
          </Heading>
          {props.children}
          {url ? (
            <>
              <Button href={url} style={button}>
                {props.button}
              </Button>
              {props.afterButton}
              <Text style={styles.small}>{props.fallback}</Text>
              {/* dir="ltr" isolates the URL so an RTL paragraph does not reorder its characters. */}
              <Text style={styles.small}>
                <Link href={url} dir="ltr" style={link}>
                  {url}
                </Link>
              </Text>
            </>
          ) : (
            props.afterButton
          )}
          <Text style={styles.footer}>{props.footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}
