import { Section, Text } from '@react-email/components';
import type { LanguageCode } from '../domain/languages';
import { formatCount, interpolate, singleLine } from './format';
import { EmailLayout } from './layout';
import { type ImportFinishedMessages, MESSAGES } from './messages';
import * as styles from './styles';

export type Props = {
  /** The organizer's language. */
  locale: LanguageCode;
  eventName: string;
  status: 'completed' | 'cancelled' | 'failed';
  totals: { rows: number; invited: number; emailed: number; failed: number };
  /** Where the organizer sees the import. */
  url: string;
};

export const PreviewProps: Props = {
  locale: 'en',
  eventName: 'Roster Summit 2026',
  status: 'completed',
  totals: { rows: 1250, invited: 1243, emailed: 1240, failed: 7 },
  url: 'http://localhost:3000/events/preview-event/imports/preview-import',
};

const FIGURES = ['rows', 'invited', 'emailed', 'failed'] as const;

export function importFinishedSubject({
  locale,
  eventName,
  status,
}: Pick<Props, 'locale' | 'eventName' | 'status'>): string {
  return singleLine(interpolate(MESSAGES[locale].import_finished[`${status}Subject`], { event: eventName }));
}

export function ImportFinishedEmail({ locale, eventName, status, totals, url }: Props) {
  const counts = {
    rows: formatCount(totals.rows, locale),
    invited: formatCount(totals.invited, locale),
    emailed: formatCount(totals.emailed, locale),
    failed: formatCount(totals.failed, locale),
  };
  // Interpolated strings are rendered as React text, so event names are escaped.
  const t = (key: keyof ImportFinishedMessages, values: Readonly<Record<string, string>> = {}) =>
    interpolate(MESSAGES[locale].import_finished[key], { event: eventName, ...values });

  return (
    <EmailLayout
      locale={locale}
      preview={t('preview', { invited: counts.invited, failed: counts.failed })}
      heading={eventName}
      url={url}
      button={t('button')}
      fallback={t('fallback')}
      footer={t('footer')}
    >
      <Text style={styles.text}>{t(`${status}Body`)}</Text>
      <Section>
        {FIGURES.map((figure) => (
          <Text key={figure} style={styles.figure}>
            {t(figure, { count: counts[figure] })}
          </Text>
        ))}
      </Section>
    </EmailLayout>
  );
}

ImportFinishedEmail.PreviewProps = PreviewProps;

export default ImportFinishedEmail;
