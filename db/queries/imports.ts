import type { EntityManager } from '@mikro-orm/core';
import type { ImportColumn } from '../../domain/csv-import';
import type { ImportStatus } from '../entities/import.entity';
import { sql } from '../sql';
import { emitImportFinished, inTransaction, type WebhookWakes } from '../writes/webhook-events';

export interface ImportRecord {
  id: string;
  event_id: string;
  status: ImportStatus;
  created_by: string;
  send_email: boolean | null;
  notify_email: string | null;
  total_rows: number;
  valid_rows: number;
  invalid_rows: number;
  duplicate_in_file: number;
  already_invited: number;
  error_count: number;
  processed: number;
  invited: number;
  emailed: number;
  failed: number;
  skipped: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface RowError {
  column: string;
  code: string;
  message: string;
}

/** The import if its event belongs to the organization; null otherwise (404 either way). */
export async function findImport(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  importId: string,
) {
  const rows = await sql(em)<ImportRecord[]>(
    `select i.* from imports i join events e on e.id = i.event_id and e.organization_id = ?
      where i.event_id = ? and i.id = ?`,
    [organizationId, eventId, importId],
  );
  return rows[0] ?? null;
}

export async function getImport(em: EntityManager, importId: string) {
  const rows = await sql(em)<ImportRecord[]>('select * from imports where id = ?', [importId]);
  return rows[0] ?? null;
}

/** A row with errors: its line number, its errors and its cells as given. */
export type ErrorRow = { row_number: number; errors: RowError[] } & Record<ImportColumn, string | null>;

/** Rows with errors, in file order, after a row number (keyset). */
export function importErrorRows(em: EntityManager, importId: string, limit: number, afterRow = 0) {
  return sql(em)<ErrorRow[]>(
    `select row_number, errors, email, first_name, last_name, company, title, language, role from import_rows
      where import_id = ? and errors is not null and row_number > ? order by row_number limit ?`,
    [importId, afterRow, limit],
  );
}

export interface PreviewRow {
  row_number: number;
  email: string;
  first_name: string;
  last_name: string;
  company: string | null;
  title: string | null;
  language_code: string | null;
  roles: string[];
}

export function importPreviewRows(em: EntityManager, importId: string, limit: number) {
  return sql(em)<PreviewRow[]>(
    `select row_number, email, first_name, last_name, company, title, language_code, roles from import_rows
      where import_id = ? and seq is not null and seq <= ? order by seq`,
    [importId, limit],
  );
}

/** The first start wins: validated → running, with its options. Returns whether this call won. */
export async function claimStart(
  em: EntityManager,
  importId: string,
  options: { sendEmail: boolean; notifyEmail: string | null },
) {
  const rows = await sql(em)<{ id: string }[]>(
    `update imports set status = 'running', send_email = ?, notify_email = ?, started_at = now()
      where id = ? and status = 'validated' returning id`,
    [options.sendEmail, options.notifyEmail, importId],
  );
  return rows.length > 0;
}

/** A validated import that never started is cancelled on the spot (with its `import.cancelled` event). */
export async function cancelValidated(em: EntityManager, importId: string, wakes?: WebhookWakes) {
  return inTransaction(em, async (tx) => {
    const rows = await sql(tx)<ImportRecord[]>(
      `update imports set status = 'cancelled', finished_at = now() where id = ? and status = 'validated'
        returning *`,
      [importId],
    );
    for (const row of rows) await emitImportFinished(tx, row, wakes);
    return rows.length > 0;
  });
}

/** The progress counts of `import_rows` (the rows the query selects). */
const PROGRESS_COUNTS = `count(*) filter (where processed_at is not null)::int as processed,
    count(*) filter (where outcome = 'invited')::int as invited,
    count(*) filter (where email_status in ('sent', 'delegated'))::int as emailed,
    count(*) filter (where email_status = 'failed')::int as failed,
    count(*) filter (where outcome in ('already_invited', 'outside_idp_groups'))::int as skipped`;

/**
 * Recounts the progress from the rows (always right, whatever ran twice or concurrently) and
 * stores it on the import. With `page` (a page's activities), only that page's rows are recounted,
 * into its `import_pages` row, and the import's progress is the sum of its pages: each checkpoint
 * then costs a page, where a recount of every row made an import's checkpoints cost rows × pages.
 * Without it (the import's end), every row is recounted.
 */
export async function checkpointProgress(
  em: EntityManager,
  importId: string,
  page?: { firstSeq: number; lastSeq: number },
) {
  if (!page) {
    await sql(em)(
      `update imports i set processed = c.processed, invited = c.invited, emailed = c.emailed, failed = c.failed,
         skipped = c.skipped
         from (select ${PROGRESS_COUNTS} from import_rows where import_id = ? and seq is not null) c
        where i.id = ?`,
      [importId, importId],
    );
    return;
  }
  // One statement: the page's new counts (RETURNING) plus the other pages' stored ones, as the
  // statement does not see its own upsert. The counts only grow while an import runs; `greatest`
  // keeps them so when two pages' checkpoints cross, and across an upgrade in mid-import (pages
  // checkpointed before it have no page row; the end recounts every row).
  await sql(em)(
    `with page as (
       insert into import_pages (import_id, first_seq, processed, invited, emailed, failed, skipped)
       select ?, ?, c.processed, c.invited, c.emailed, c.failed, c.skipped
         from (select ${PROGRESS_COUNTS} from import_rows where import_id = ? and seq between ? and ?) c
       on conflict (import_id, first_seq) do update set processed = excluded.processed,
         invited = excluded.invited, emailed = excluded.emailed, failed = excluded.failed, skipped = excluded.skipped
       returning processed, invited, emailed, failed, skipped)
     update imports i set processed = greatest(i.processed, o.processed + p.processed),
       invited = greatest(i.invited, o.invited + p.invited), emailed = greatest(i.emailed, o.emailed + p.emailed),
       failed = greatest(i.failed, o.failed + p.failed), skipped = greatest(i.skipped, o.skipped + p.skipped)
       from page p,
            (select coalesce(sum(processed), 0)::int as processed, coalesce(sum(invited), 0)::int as invited,
                    coalesce(sum(emailed), 0)::int as emailed, coalesce(sum(failed), 0)::int as failed,
                    coalesce(sum(skipped), 0)::int as skipped
               from import_pages where import_id = ? and first_seq <> ?) o
      where i.id = ?`,
    [importId, page.firstSeq, importId, page.firstSeq, page.lastSeq, importId, page.firstSeq, importId],
  );
}

/**
 * The end of a running import: its final status and time, once, with its `import.<status>`
 * webhook event in the same transaction.
 */
export async function finishImport(
  em: EntityManager,
  importId: string,
  status: 'completed' | 'cancelled' | 'failed',
  wakes?: WebhookWakes,
) {
  return inTransaction(em, async (tx) => {
    const rows = await sql(tx)<ImportRecord[]>(
      `update imports set status = ?, finished_at = now() where id = ? and status = 'running' returning *`,
      [status, importId],
    );
    for (const row of rows) await emitImportFinished(tx, row, wakes);
    return rows.length > 0;
  });
}

/** created_at to the microsecond, as text: the keyset cursor must not lose precision. */
const CREATED_KEY = `to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

/**
 * A keyset page of the event's imports, newest first (`imports_event_created_idx` read backwards),
 * and their total; null when the event is not the organization's.
 */
export async function listImports(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  limit: number,
  after: { value: string; id: string } | null,
) {
  const keyset = after ? 'and (i.created_at, i.id) < (?::timestamptz, ?)' : '';
  const rows = await sql(em)<
    (Omit<ImportRecord, 'id'> & { id: string | null; created_key: string; total: number })[]
  >(
    `select p.*, t.total from events e
       cross join lateral (select count(*)::int as total from imports i where i.event_id = e.id) t
       left join lateral (select i.*, ${CREATED_KEY} from imports i where i.event_id = e.id ${keyset}
                          order by i.created_at desc, i.id desc limit ?) p on true
      where e.id = ? and e.organization_id = ?
      order by p.created_at desc, p.id desc`,
    [...(after ? [after.value, after.id] : []), limit + 1, eventId, organizationId],
  );
  const [first] = rows;
  if (!first) return null;
  const items = (first.id === null ? [] : rows) as (ImportRecord & { created_key: string })[];
  return { items: items.slice(0, limit), hasMore: items.length > limit, total: first.total };
}
