/**
 * Fills `{key}` placeholders in one pass, so a value that itself contains `{name}`
 * (an event called "{name}") is left as typed. Unknown placeholders stay visible.
 */
export function interpolate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** For header values such as the subject: line breaks and other controls would let text pose as headers. */
export function singleLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The start in the reader's language and the event's zone, plus that zone's localized name. */
export function formatStart(
  startsAt: string,
  timezone: string,
  locale: string,
): { date: string; timezone: string } {
  const at = new Date(startsAt);
  const date = new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: timezone,
  }).format(at);
  // dateStyle cannot be combined with timeZoneName, hence a second formatter.
  const zone = new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  return { date, timezone: zone ?? timezone };
}

/** A count in the reader's language: "1,234", "1.234", "1 234". */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/**
 * A number of minutes with its unit, pluralized by the language's own rules
 * ("1 minute", "15 Minuten", "21 минута", "15 دقيقة"), so catalogs need no plural forms.
 */
export function formatMinutes(minutes: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(
    minutes,
  );
}
