import type { ImportRecord } from './imports';

/** The import as the API shows it (and the import.* webhook events carry it). */
export function toImportDto(row: ImportRecord) {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    eventId: row.event_id,
    status: row.status,
    sendEmail: row.send_email,
    totals: {
      rows: row.total_rows,
      valid: row.valid_rows,
      invalid: row.invalid_rows,
      duplicateInFile: row.duplicate_in_file,
      alreadyInvited: row.already_invited,
    },
    progress: {
      processed: row.processed,
      invited: row.invited,
      emailed: row.emailed,
      failed: row.failed,
      skipped: row.skipped,
    },
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}
