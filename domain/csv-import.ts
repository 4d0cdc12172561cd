/**
 * The bulk-invite CSV: its columns, header matching, limits, the template, and the safe writing
 * of cells that a spreadsheet will open (errors.csv). Pure; the streaming lives in api/imports/.
 */
import type { InviteeField, InviteeInput } from './import-invitee';

export const IMPORT_COLUMNS = [
  'email',
  'first_name',
  'last_name',
  'company',
  'title',
  'language',
  'role',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['email', 'first_name', 'last_name'];

/** At most this many rows (not counting the header and blank lines) per file. */
export const MAX_IMPORT_ROWS = 100_000;
/** At most this many bytes per file: 100,000 rows of long names, titles and companies fit. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** One record (a row, with quoted line breaks) may not be longer than this. */
export const MAX_RECORD_CHARS = 16 * 1024;
/** The check-your-file report lists this many errors; errors.csv has them all. */
export const REPORT_MAX_ERRORS = 1000;
export const PREVIEW_ROWS = 20;

export const TEMPLATE_CSV = [
  IMPORT_COLUMNS.join(','),
  'ada@example.com,Ada,Lovelace,,,en,',
  'grace@example.com,Grace,Hopper,US Navy,Rear Admiral,pt-BR,speaker|moderator',
  '',
].join('\r\n');

/** `First Name`, `first_name`, `FIRSTNAME` all name one column: case-insensitive, spaces and `_` ignored. */
export const headerKey = (name: string) => name.replace(/[\s_]/g, '').toLowerCase();

const BY_KEY = new Map<string, ImportColumn>(IMPORT_COLUMNS.map((c) => [headerKey(c), c]));
// `role` and `roles` both name the role column.
BY_KEY.set('roles', 'role');

export type HeaderMatch =
  | { ok: true; columns: (ImportColumn | null)[] }
  | { ok: false; code: 'missing_columns' | 'duplicate_columns'; columns: string[] };

/** Maps each header cell to its column (null: not ours, ignored). */
export function matchHeader(cells: readonly string[]): HeaderMatch {
  const columns = cells.map((cell) => BY_KEY.get(headerKey(cell)) ?? null);
  const seen = new Set<ImportColumn>();
  const duplicates = new Set<ImportColumn>();
  for (const c of columns) {
    if (c === null) continue;
    if (seen.has(c)) duplicates.add(c);
    seen.add(c);
  }
  if (duplicates.size > 0) return { ok: false, code: 'duplicate_columns', columns: [...duplicates] };
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) return { ok: false, code: 'missing_columns', columns: missing };
  return { ok: true, columns };
}

export type ImportCells = Partial<Record<ImportColumn, string>>;

/** The cells of a record under their columns, trimmed; columns the row lacks stay undefined. */
export function cellsOf(record: readonly string[], columns: readonly (ImportColumn | null)[]): ImportCells {
  const cells: ImportCells = {};
  columns.forEach((column, i) => {
    const value = record[i];
    // PostgreSQL text holds every character but NUL: kept visible as U+FFFD in errors.csv.
    if (column !== null && value !== undefined) cells[column] = value.replaceAll('\u0000', '\ufffd').trim();
  });
  return cells;
}

/** A record with nothing in it (`,,,` from a spreadsheet) is a blank line, not a row. */
export const isBlankRecord = (record: readonly string[]) => record.every((v) => v.trim() === '');

export function inviteeInputOf(cells: ImportCells): InviteeInput {
  return {
    email: cells.email,
    firstName: cells.first_name,
    lastName: cells.last_name,
    company: cells.company,
    title: cells.title,
    language: cells.language,
    roles: cells.role ? cells.role.split('|') : [],
  };
}

/** Where an invitee field stands in the file. */
export const COLUMN_OF: Record<InviteeField, ImportColumn | 'bio'> = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  language: 'language',
  roles: 'role',
  title: 'title',
  company: 'company',
  bio: 'bio',
};

/** Line breaks in a piece of text, counting CRLF once: how many file lines a raw record spans. */
export function lineBreaks(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch === 10) n++;
    else if (ch === 13) {
      n++;
      if (raw.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/**
 * How many file lines a parsed record spans: its own line break, plus those inside its quoted
 * fields (the only place a line break can be kept).
 */
export function recordLines(record: readonly string[]): number {
  let lines = 1;
  for (const cell of record) {
    if (cell.includes('\n') || cell.includes('\r')) lines += lineBreaks(cell);
  }
  return lines;
}

/**
 * The field delimiter, from the header line: `,` unless the header clearly uses `;` or a tab
 * (as spreadsheets do in locales where the comma is the decimal separator).
 */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[','] === 0 && counts[';'] > counts['\t']) return ';';
  if (counts[','] === 0 && counts['\t'] > 0) return '\t';
  return ',';
}

/**
 * One CSV cell that is safe to open in a spreadsheet (OWASP CSV injection): a cell starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so it is shown, not evaluated;
 * cells with any delimiter a spreadsheet may split on (`,`, `;` in semicolon locales, tab), a quote
 * or a line break are quoted, so no part of a cell can become a cell of its own.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\t\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: readonly (string | number | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;
