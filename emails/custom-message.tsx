import { Link, Text } from '@react-email/components';
import { Fragment } from 'react';
import { type Paragraph, paragraphs, previewOf } from '../domain/custom-message';
import { isAccentColor } from '../domain/event-look';
import type { LanguageCode } from '../domain/languages';
import { interpolate, singleLine } from './format';
import { EmailLayout } from './layout';
import { MESSAGES } from './messages';
import * as styles from './styles';

export type Props = {
  /** The reader's language: the frame (button, footer) speaks it; the text is the organizer's. */
  locale: LanguageCode;
  eventName: string;
  /** The organizer's text for this reader (domain/custom-message.ts `messageFor`). */
  subject: string;
  body: string;
  /** The reader's way in, when the message carries one: a login or an invitation link. */
  link?: { kind: 'invitation' | 'login'; url: string } | null;
  /** The event's accent colour (`#rrggbb`). */
  accent?: string | null;
};

export const PreviewProps: Props = {
  locale: 'en',
  eventName: 'Roster Summit 2026',
  subject: 'Parking and arrival',
  body:
    'Hello everyone,\n\nDoors open at 8:30. The car park map is at https://example.com/parking.\n' +
    'Bring your badge.\n\nSee you there!\nThe Roster Summit team',
  link: { kind: 'login', url: 'http://localhost:3000/events/preview/login?token=preview-token' },
  accent: '#0b6e4f',
};

export function customMessageSubject({ subject }: Pick<Props, 'subject'>): string {
  return singleLine(subject);
}

/** The organizer's paragraphs: line breaks kept, http(s) URLs as links, everything else as text. */
function Paragraphs({ blocks, accent }: { blocks: Paragraph[]; accent: string | null }) {
  const link = accent ? { ...styles.link, color: accent } : styles.link;
  return blocks.map((lines, p) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs have no identity but their place
    <Text key={p} style={styles.text}>
      {lines.map((segments, l) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
        <Fragment key={l}>
          {l > 0 ? <br /> : null}
          {segments.map((segment, s) =>
            'url' in segment ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: a line's runs have no identity but their place
              <Link key={s} href={segment.url} style={link}>
                {segment.url}
              </Link>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: a line's runs have no identity but their place
              <Fragment key={s}>{segment.text}</Fragment>
            ),
          )}
        </Fragment>
      ))}
    </Text>
  ));
}

export function CustomMessageEmail({ locale, eventName, body, link, accent }: Props) {
  const t = (key: keyof (typeof MESSAGES)['en']['message']) =>
    interpolate(MESSAGES[locale].message[key], { event: eventName });
  const color = isAccentColor(accent) ? accent : null;
  return (
    <EmailLayout
      locale={locale}
      preview={previewOf(body)}
      heading={eventName}
      footer={t('footer')}
      accent={color}
      {...(link
        ? {
            url: link.url,
            button: t(link.kind === 'login' ? 'loginButton' : 'invitationButton'),
            fallback: t('fallback'),
          }
        : {})}
    >
      <Paragraphs blocks={paragraphs(body)} accent={color} />
    </EmailLayout>
  );
}

CustomMessageEmail.PreviewProps = PreviewProps;

export default CustomMessageEmail;
