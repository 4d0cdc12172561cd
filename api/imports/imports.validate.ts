/**
 * The check of an uploaded file: text → csv-parse → the shared invitee rules → rows in Postgres,
 * a batch at a time, so a 100,000-row file is never held whole. Throws a ProblemError for the
 * file-level errors (the caller's transaction then keeps nothing).
 */
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { type Parser, parse } from 'csv-parse';
import { outsiders } from '../../db/queries/directory/event-access';
import {
  CopyText,
  copyCells,
  existingEmailKeys,
  saveTotals,
  type UploadTransaction,
  type ValidRow,
} from '../../db/queries/import-upload';
import type { RowError } from '../../db/queries/imports';
import {
  COLUMN_OF,
  cellsOf,
  detectDelimiter,
  type ImportColumn,
  inviteeInputOf,
  isBlankRecord,
  MAX_IMPORT_ROWS,
  MAX_RECORD_CHARS,
  matchHeader,
  recordLines,
} from '../../domain/csv-import';
import { checkInvitee, type Invitee } from '../../domain/import-invitee';
import { ProblemError } from '../problem';
import { emptyFile } from './imports.upload';

/** Rows per page: per page, one look-up of the addresses already invited and one COPY. */
const PAGE_ROWS = 1000;

export interface ValidationTotals {
  rows: number;
  valid: number;
  invalid: number;
  duplicateInFile: number;
  alreadyInvited: number;
  errorCount: number;
}

/** Rows read but not yet written, column by column (no object per row). */
class Page {
  readonly rowNumbers: number[] = [];
  /** The cells as COPY text. */
  readonly cells: string[] = [];
  readonly invitees: (Invitee | null)[] = [];
  readonly errors: (RowError[] | null)[] = [];
  /** The address key when the address is fine and first in the file: checked against the attendees. */
  readonly keys: (string | null)[] = [];
  get size() {
    return this.rowNumbers.length;
  }
}

export interface ValidateOptions {
  importId: string;
  eventId: string;
  /** A closed event with allowOutsideIdpGroups off: rows of people outside its granted groups are errors. */
  onlyIdpGroupMembers?: boolean;
  maxRows?: number;
}

export async function validateUpload(
  tx: UploadTransaction,
  text: AsyncIterable<string>,
  options: ValidateOptions,
): Promise<ValidationTotals> {
  const maxRows = options.maxRows ?? MAX_IMPORT_ROWS;
  const totals: ValidationTotals = {
    rows: 0,
    valid: 0,
    invalid: 0,
    duplicateInFile: 0,
    alreadyInvited: 0,
    errorCount: 0,
  };
  /** Address key → the row it first appeared on. */
  const firstRowOf = new Map<string, number>();
  let page = new Page();
  let columns: (ImportColumn | null)[] | null = null;
  let line = 1;

  /** Which of a page's addresses are already invited, or outside the granted groups. */
  const lookUp = (keys: string[]) =>
    Promise.all([
      existingEmailKeys(tx, options.eventId, keys),
      options.onlyIdpGroupMembers ? outsiders(tx.em, options.eventId, keys) : new Set<string>(),
    ]);
  /** Completes a page with what the look-up found and stores it; pages are written one at a time, in file order. */
  const write = async (rows: Page, found: ReturnType<typeof lookUp>) => {
    const [existing, outside] = await found;
    const copy = new CopyText(options.importId, rows.size);
    for (let i = 0; i < rows.size; i++) {
      let errors = rows.errors[i] ?? null;
      const key = rows.keys[i] ?? null;
      if (key !== null && existing.has(key)) {
        errors = withError(
          errors,
          'email',
          'already_invited',
          'This address is already invited to the event.',
        );
        totals.alreadyInvited++;
      } else if (key !== null && outside.has(key)) {
        errors = withError(
          errors,
          'email',
          'outside_idp_groups',
          'This person is not a member of an identity-provider group granted access to this closed event.',
        );
      }
      const invitee = rows.invitees[i] ?? null;
      let valid: ValidRow | null = null;
      if (errors || !invitee) {
        // An invalid row keeps its cells for errors.csv; nothing of it is invited.
        totals.invalid++;
        totals.errorCount += errors?.length ?? 0;
      } else {
        totals.valid++;
        // Assigned now, so every retry of the start writes the same attendee.
        valid = { seq: totals.valid, invitee, attendeeId: randomUUID() };
      }
      copy.add(rows.rowNumbers[i] as number, rows.cells[i] as string, valid, errors);
    }
    await tx.copyRows(copy.bytes);
  };
  // The page being written while the next one is parsed (its look-up already under way): at most
  // two pages are held, so memory stays bounded.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = page;
    page = new Page();
    const found = lookUp(rows.keys.filter((key) => key !== null));
    // Failures surface where they are awaited, not as unhandled rejections.
    found.catch(() => undefined);
    await writing;
    writing = write(rows, found);
    writing.catch(() => undefined);
  };

  try {
    for await (const records of csvRecordBatches(text)) {
      for (const record of records) {
        const startLine = line;
        line += recordLines(record);
        if (isBlankRecord(record)) continue;
        if (columns === null) {
          columns = headerColumns(record);
          continue;
        }
        totals.rows++;
        if (totals.rows > maxRows) {
          throw new ProblemError(
            422,
            'too_many_rows',
            `The file has more than ${maxRows.toLocaleString('en')} rows; split it into smaller files.`,
          );
        }
        const cells = cellsOf(record, columns);
        const checked = checkInvitee(inviteeInputOf(cells));
        let errors: RowError[] | null = checked.ok
          ? null
          : checked.issues.map((i) => ({ column: COLUMN_OF[i.field], code: i.code, message: i.message }));
        let key = checked.ok ? checked.invitee.emailKey : checked.emailKey;
        if (key !== null) {
          const first = firstRowOf.get(key);
          if (first !== undefined) {
            errors = withError(
              errors,
              'email',
              'duplicate_in_file',
              `This address is already on row ${first} of the file.`,
            );
            totals.duplicateInFile++;
            key = null;
          } else firstRowOf.set(key, startLine);
        }
        page.rowNumbers.push(startLine);
        page.cells.push(copyCells(cells));
        page.invitees.push(checked.ok && !errors ? checked.invitee : null);
        page.errors.push(errors);
        page.keys.push(key);
        if (page.size >= PAGE_ROWS) await flush();
      }
      // Parsing a chunk never waits for I/O: let the database's answers in, so the page being
      // written moves on while the next one is parsed.
      await setImmediate();
    }
    if (columns === null) throw emptyFile();
    if (totals.rows === 0) throw new ProblemError(422, 'empty_file', 'The file has a header but no rows.');
    await flush();
    await writing;
    await tx.endRows();
  } finally {
    // The transaction may only end once its connection is idle.
    await writing.catch(() => undefined);
  }
  await saveTotals(tx, options.importId, totals);
  return totals;
}

function headerColumns(record: string[]): (ImportColumn | null)[] {
  const header = matchHeader(record);
  if (header.ok) return header.columns;
  const missing = header.code === 'missing_columns';
  throw new ProblemError(
    422,
    header.code,
    missing
      ? `The header lacks the column(s) ${header.columns.join(', ')}. It needs email, first_name and last_name.`
      : `The header names the column(s) ${header.columns.join(', ')} more than once.`,
    header.columns.map((c) => ({
      path: c,
      code: header.code,
      message: missing ? `The column ${c} is missing.` : `The column ${c} appears twice.`,
    })),
  );
}

function withError(errors: RowError[] | null, column: string, code: string, message: string): RowError[] {
  const error: RowError = { column, code, message };
  return errors ? [...errors, error] : [error];
}

/**
 * The records of a stream of text, a chunk's worth at a time (parsed synchronously, so no promise
 * per record). The delimiter is read from the header line; line endings may be CRLF, LF or CR;
 * quoted fields may hold delimiters, quotes and line breaks.
 */
export async function* csvRecordBatches(text: AsyncIterable<string>): AsyncGenerator<string[][]> {
  const source = text[Symbol.asyncIterator]();
  let head = '';
  let ended = false;
  // Enough text for the header line: the first line with something in it, up to its line break.
  while (!/\S[^\r\n]*[\r\n]/.test(head) && head.length < MAX_RECORD_CHARS) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    head += next.value;
  }
  if (head.trim() === '') {
    await source.return?.();
    throw emptyFile();
  }
  const parser: Parser = parse({
    delimiter: detectDelimiter(head.split(/[\r\n]/).find((line) => line.trim() !== '') ?? ''),
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    bom: true,
  });
  // Its errors are read from `parser.errored` after each write; the event alone would go unhandled.
  parser.on('error', () => undefined);
  // A write parses its text at once; the records wait in the parser until read here.
  const parsed = () => {
    const records: string[][] = [];
    for (let record = parser.read(); record !== null; record = parser.read()) records.push(record);
    return records;
  };
  try {
    parser.write(head);
    yield parsed();
    while (!ended && !parser.errored) {
      const next = await source.next();
      if (next.done) break;
      parser.write(next.value);
      yield parsed();
    }
    if (parser.errored) throw parser.errored;
    parser.end();
    // The last record may only come out at the end (no line break after it).
    const rest: string[][] = [];
    for await (const record of parser) rest.push(record);
    yield rest;
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    const csv = error as { code?: string; lines?: number; message: string };
    if (csv.code?.startsWith('CSV_')) {
      const problem =
        csv.code === 'CSV_MAX_RECORD_SIZE'
          ? `A row near line ${csv.lines} is longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?).`
          : csv.code === 'CSV_QUOTE_NOT_CLOSED'
            ? `A quoted field opened near line ${csv.lines} is never closed.`
            : `The file is not valid CSV near line ${csv.lines}: ${csv.message}`;
      throw new ProblemError(422, 'invalid_csv', problem);
    }
    throw error;
  } finally {
    if (!parser.destroyed) parser.destroy();
    await source.return?.();
  }
}

/** The records of a stream of text, one by one. */
export async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<string[]> {
  for await (const records of csvRecordBatches(text)) yield* records;
}
