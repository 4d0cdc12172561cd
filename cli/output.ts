import { csvLine } from '../domain/csv-import';

/** A plain text table: a header row, then one row per item, columns padded to their widest cell. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  return cells
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

/** CSV through the same spreadsheet-safe cells as Roster's own exports. */
export const csv = (headers: string[], rows: (string | number | null | undefined)[][]) =>
  [headers, ...rows].map(csvLine).join('');

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const count = (n: number) => n.toLocaleString('en-US');

/** A one-line progress bar for a terminal: `[#####.....]  50%  5,000 / 10,000`. */
export function progressBar(done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}  ${count(done)} / ${count(total)}`;
}

interface ImportProgress {
  processed: number;
  invited: number;
  emailed: number;
  failed: number;
  skipped: number;
}

/**
 * An import's progress line: its bar follows the invitations (invited or skipped rows) until all
 * are out, then the setting up of the invitees (processed), which comes after them.
 */
export function importProgressLine(p: ImportProgress, valid: number): string {
  const out = p.invited + p.skipped;
  const bar =
    out < valid && p.processed === 0
      ? `inviting   ${progressBar(out, valid)}`
      : `setting up ${progressBar(p.processed, valid)}`;
  return `${bar}  invited ${count(p.invited)}  emailed ${count(p.emailed)}  failed ${count(p.failed)}`;
}
