/**
 * The writes of an upload's check: the import, its rows a page at a time, its totals, all in one
 * transaction (a file-level error keeps nothing). Rows go in with COPY: the transaction holds a
 * `pg` connection of its own for it (the EntityManager's is out of reach).
 */
import type { EntityManager } from '@mikro-orm/core';
import type pg from 'pg';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { IMPORT_COLUMNS, type ImportCells } from '../../domain/csv-import';
import type { Invitee } from '../../domain/import-invitee';
import type { RowError } from './imports';

export interface UploadTransaction {
  /** SQL with bind parameters ($1, $2, …) inside the transaction, but not between the rows' pages. */
  query<T>(query: string, params: unknown[]): Promise<T[]>;
  /**
   * Reads of tables the upload does not write (the attendees), with bind parameters, on another
   * connection, so they need not wait for the rows' COPY.
   */
  read<T>(query: string, params: unknown[]): Promise<T[]>;
  /** Appends rows given as COPY text (`CopyText`); resolves once they are handed on. */
  copyRows(data: Uint8Array): Promise<void>;
  /** Ends the rows: every row is stored once this resolves. */
  endRows(): Promise<void>;
  /** For reads of the directory, which the upload does not write. */
  em: EntityManager;
}

/** The columns of the COPY text, in order, with their types. */
const COPY_TYPES: [string, string][] = [
  ['import_id', 'uuid'],
  ['row_number', 'int'],
  ...IMPORT_COLUMNS.map((c): [string, string] => [c, 'text']),
  ['seq', 'int'],
  ['email_key', 'text'],
  ['language_code', 'text'],
  ['roles', 'text[]'],
  ['attendee_id', 'uuid'],
  ['errors', 'jsonb'],
];
const COPY_COLUMNS = COPY_TYPES.map(([c]) => c).join(', ');

export async function inUploadTransaction<T>(
  em: EntityManager,
  work: (tx: UploadTransaction) => Promise<T>,
): Promise<T> {
  const native = (await em.getConnection().getNativeClient()) as pg.Pool;
  const client = await native.connect();
  const rows = new RowCopy(client);
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work({
      query: async <R>(text: string, params: unknown[]) => (await client.query(text, params)).rows as R[],
      read: async <R>(text: string, params: unknown[]) => (await native.query(text, params)).rows as R[],
      copyRows: (data) => rows.write(data),
      endRows: () => rows.end(),
      em,
    });
    await client.query('commit');
    return result;
  } catch (error) {
    await rows.abort();
    await client.query('rollback').catch((e: Error) => {
      broken = e;
    });
    throw error;
  } finally {
    // A connection that could not roll back is closed, not reused.
    client.release(broken);
  }
}

/** One COPY for all the rows of an upload, fed a page at a time: no round trip per page. */
class RowCopy {
  private stream: CopyStreamQuery | null = null;
  private failure: Error | null = null;

  constructor(private readonly client: pg.PoolClient) {}

  /** Resolves once the page is handed to the connection: at most one page waits in memory. */
  write(data: Uint8Array): Promise<void> {
    const stream = this.open();
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      const fail = (error: Error) => reject(error);
      stream.once('error', fail);
      stream.write(data, (error) => {
        stream.off('error', fail);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  async end() {
    const stream = this.stream;
    this.stream = null;
    if (!stream) return;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      stream.once('finish', resolve);
      stream.once('error', reject);
      stream.end();
    });
  }

  /** Stops a COPY in progress (a file-level error), so that the transaction can roll back. */
  async abort() {
    const stream = this.stream;
    this.stream = null;
    if (!stream || this.failure) return;
    await new Promise<void>((resolve) => {
      stream.once('close', resolve);
      stream.destroy(new Error('The upload stopped.'));
    });
  }

  private open(): CopyStreamQuery {
    if (!this.stream) {
      const stream = this.client.query(copyFrom(`copy import_rows (${COPY_COLUMNS}) from stdin`));
      stream.on('error', (error) => {
        this.failure ??= error;
      });
      this.stream = stream;
    }
    return this.stream;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NULL = '\\N';

/** A value in COPY's text format: empty or missing is null; backslashes, tabs and line breaks are escaped. */
function copyValue(value: string | null | undefined): string {
  if (!value) return NULL;
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : value;
}

/** A row's cells as COPY text, an empty cell as null: done once, when the row is read. */
export function copyCells(cells: ImportCells): string {
  let text = copyValue(cells.email);
  for (let i = 1; i < IMPORT_COLUMNS.length; i++) {
    text += `\t${copyValue(cells[IMPORT_COLUMNS[i] as keyof ImportCells])}`;
  }
  return text;
}

export interface ValidRow {
  seq: number;
  invitee: Invitee;
  attendeeId: string;
}

/**
 * Rows as COPY text, written into one growing buffer line by line: cheaper than joining the lines
 * into one string and encoding that.
 */
export class CopyText {
  private buffer: Buffer;
  private length = 0;

  /** `rows`: how many rows will be added, for a buffer that seldom needs to grow. */
  constructor(
    private readonly importId: string,
    rows: number,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(rows, 1) * 256);
  }

  /** A valid row with its invitee, or an invalid one with its errors. */
  add(rowNumber: number, cells: string, valid: ValidRow | null, errors: readonly RowError[] | null) {
    let line: string;
    if (valid) {
      const { invitee } = valid;
      // A valid address, language codes and role names hold nothing that COPY escapes.
      line = `${this.importId}\t${rowNumber}\t${cells}\t${valid.seq}\t${invitee.emailKey}\t${invitee.language ?? NULL}\t{${invitee.roles.join(',')}}\t${valid.attendeeId}\t${NULL}\n`;
    } else {
      line = `${this.importId}\t${rowNumber}\t${cells}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${copyValue(JSON.stringify(errors ?? []))}\n`;
    }
    // At most 3 bytes of UTF-8 per UTF-16 code unit.
    if (this.length + line.length * 3 > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + line.length * 3));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(line, this.length);
  }

  get bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

export async function insertImport(
  tx: UploadTransaction,
  input: { id: string; eventId: string; createdBy: string },
): Promise<void> {
  await tx.query(
    `insert into imports (id, event_id, status, created_by, created_at) values ($1, $2, 'validated', $3, now())`,
    [input.id, input.eventId, input.createdBy],
  );
}

/**
 * Which of these address keys belong to live attendees of the event (one index probe each). The
 * keys travel as one text, a key a line (an address holds no line break): cheaper to send than an
 * array, whose every element the driver quotes and escapes.
 */
export async function existingEmailKeys(tx: UploadTransaction, eventId: string, keys: readonly string[]) {
  if (keys.length === 0) return new Set<string>();
  const rows = await tx.read<{ email_key: string }>(
    `select email_key from attendees
      where event_id = $1 and removed_at is null and email_key = any(string_to_array($2, chr(10)))`,
    [eventId, keys.join('\n')],
  );
  return new Set(rows.map((r) => r.email_key));
}

export async function saveTotals(
  tx: UploadTransaction,
  importId: string,
  totals: {
    rows: number;
    valid: number;
    invalid: number;
    duplicateInFile: number;
    alreadyInvited: number;
    errorCount: number;
  },
) {
  await tx.query(
    `update imports set total_rows = $1, valid_rows = $2, invalid_rows = $3, duplicate_in_file = $4,
       already_invited = $5, error_count = $6 where id = $7`,
    [
      totals.rows,
      totals.valid,
      totals.invalid,
      totals.duplicateInFile,
      totals.alreadyInvited,
      totals.errorCount,
      importId,
    ],
  );
}
