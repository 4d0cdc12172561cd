/** An event's look (its accent colour), shared by the attendee pages and the emails. */

/** A `#rrggbb` colour, the only form an accent is written into a stylesheet or a style attribute in. */
export const isAccentColor = (value: string | null | undefined): value is string =>
  typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value);

/** Black or white, whichever reads better on the accent (WCAG relative luminance). */
export function onAccent(hex: string): '#000000' | '#ffffff' {
  const channel = (i: number) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}
