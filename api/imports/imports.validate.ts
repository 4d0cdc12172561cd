/**
 * The check of an uploaded file: text → csv-parse → the shared invitee rules → rows in Postgres,
 * a batch at a time, so a 100,000-row file is never held whole. Throws a ProblemError for the
 * file-level errors (the caller's transaction then keeps nothing).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { parse } from 'csv-parse';
import { outsiders } from '../../db/queries/directory';
import {
  existingEmailKeys,
  insertImportRows,
  type NewImportRow,
  type RowError,
  saveTotals,
} from '../../db/queries/imports';
import {
  COLUMN_OF,
  cellsOf,
  detectDelimiter,
  type ImportColumn,
  inviteeInputOf,
  isBlankRecord,
  lineBreaks,
  MAX_IMPORT_ROWS,
  MAX_RECORD_CHARS,
  matchHeader,
} from '../../domain/csv-import';
import { checkInvitee } from '../../domain/import-invitee';
import { ProblemError } from '../problem';
import { emptyFile } from './imports.upload';

const BATCH_ROWS = 2000;

export interface ValidationTotals {
  rows: number;
  valid: number;
  invalid: number;
  duplicateInFile: number;
  alreadyInvited: number;
  errorCount: number;
}

interface Pending {
  row: NewImportRow;
  /** The address key when the address itself is fine: checked for duplicates and existing attendees. */
  key: string | null;
}

export interface ValidateOptions {
  importId: string;
  eventId: string;
  /** A closed event with allowOutsideIdpGroups off: rows of people outside its granted groups are errors. */
  onlyIdpGroupMembers?: boolean;
  maxRows?: number;
}

export async function validateUpload(
  em: EntityManager,
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
  let pending: Pending[] = [];
  let columns: (ImportColumn | null)[] | null = null;
  let line = 1;

  const flush = async () => {
    const batch = pending;
    pending = [];
    const candidates: string[] = [];
    for (const p of batch) {
      if (p.key === null) continue;
      const first = firstRowOf.get(p.key);
      if (first !== undefined) {
        addError(p.row, 'email', 'duplicate_in_file', `This address is already on row ${first} of the file.`);
        totals.duplicateInFile++;
        p.key = null;
      } else {
        firstRowOf.set(p.key, p.row.row_number);
        candidates.push(p.key);
      }
    }
    const existing = await existingEmailKeys(em, options.eventId, candidates);
    const outside = options.onlyIdpGroupMembers
      ? await outsiders(em, options.eventId, candidates)
      : new Set<string>();
    for (const p of batch) {
      if (p.key !== null && existing.has(p.key)) {
        addError(p.row, 'email', 'already_invited', 'This address is already invited to the event.');
        totals.alreadyInvited++;
      } else if (p.key !== null && outside.has(p.key)) {
        addError(
          p.row,
          'email',
          'outside_idp_groups',
          'This person is not a member of an identity-provider group granted access to this closed event.',
        );
      }
      if (p.row.errors) {
        totals.invalid++;
        totals.errorCount += p.row.errors.length;
        // An invalid row keeps its cells for errors.csv; nothing of it is invited.
        p.row.email_key = null;
        p.row.language_code = null;
        p.row.roles = null;
        p.row.attendee_id = null;
      } else {
        totals.valid++;
        p.row.seq = totals.valid;
      }
    }
    await insertImportRows(
      em,
      options.importId,
      batch.map((p) => p.row),
    );
  };

  const records = csvRecords(text);
  for await (const { record, raw } of records) {
    const startLine = line;
    line += lineBreaks(raw);
    if (isBlankRecord(record)) continue;
    if (columns === null) {
      const header = matchHeader(record);
      if (!header.ok) {
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
      columns = header.columns;
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
    pending.push(checkRow(startLine, cellsOf(record, columns)));
    if (pending.length >= BATCH_ROWS) await flush();
  }
  if (columns === null) throw emptyFile();
  if (totals.rows === 0) throw new ProblemError(422, 'empty_file', 'The file has a header but no rows.');
  await flush();
  await saveTotals(em, options.importId, totals);
  return totals;
}

function addError(row: NewImportRow, column: string, code: string, message: string) {
  const error: RowError = { column, code, message };
  row.errors = row.errors ? [...row.errors, error] : [error];
}

function checkRow(rowNumber: number, cells: Partial<Record<ImportColumn, string>>): Pending {
  const checked = checkInvitee(inviteeInputOf(cells));
  const row: NewImportRow = {
    row_number: rowNumber,
    seq: null,
    email: cells.email || null,
    first_name: cells.first_name || null,
    last_name: cells.last_name || null,
    company: cells.company || null,
    title: cells.title || null,
    language: cells.language || null,
    role: cells.role || null,
    email_key: null,
    language_code: null,
    roles: null,
    errors: null,
    attendee_id: null,
  };
  if (!checked.ok) {
    row.errors = checked.issues.map((i) => ({
      column: COLUMN_OF[i.field],
      code: i.code,
      message: i.message,
    }));
    return { row, key: checked.emailKey };
  }
  const { invitee } = checked;
  Object.assign(row, {
    email: invitee.email,
    email_key: invitee.emailKey,
    language_code: invitee.language,
    roles: invitee.roles,
    company: invitee.company,
    title: invitee.title,
    // Assigned now, so every retry of the start writes the same attendee.
    attendee_id: randomUUID(),
  });
  return { row, key: invitee.emailKey };
}

/**
 * Records with their raw text (for line numbers), from a stream of text. The delimiter is read
 * from the header line; line endings may be CRLF, LF or CR; quoted fields may hold delimiters,
 * quotes and line breaks.
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
): AsyncGenerator<{ record: string[]; raw: string }> {
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
  const parser = parse({
    delimiter: detectDelimiter(head.split(/[\r\n]/).find((line) => line.trim() !== '') ?? ''),
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    raw: true,
    max_record_size: MAX_RECORD_CHARS,
    bom: true,
  });

  // Feeds the parser, waiting whenever it is full; stops when the reader below gave up.
  const room = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off('drain', done);
        parser.off('close', done);
        resolve();
      };
      parser.on('drain', done);
      parser.on('close', done);
    });
  const feeding = (async () => {
    try {
      if (!parser.write(head)) await room();
      while (!ended && !parser.destroyed) {
        const next = await source.next();
        if (next.done) break;
        if (!parser.write(next.value)) await room();
      }
      if (!parser.destroyed) parser.end();
      else await source.return?.();
    } catch (error) {
      parser.destroy(error as Error);
      await source.return?.().catch(() => undefined);
    }
  })();

  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) yield item;
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
    await feeding;
  }
}
