import { defineEntity, p } from '@mikro-orm/core';
import { Event } from './event.entity';

export const IMPORT_STATUSES = ['validated', 'running', 'completed', 'cancelled', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * A bulk invite: the totals of the check-your-file report when uploaded, then the progress of
 * the bulk-invite workflow, checkpointed by its page activities.
 */
export const Import = defineEntity({
  name: 'Import',
  tableName: 'imports',
  properties: {
    id: p.uuid().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    status: p.enum(IMPORT_STATUSES),
    createdBy: p.string().length(200),
    // Set by the start.
    sendEmail: p.boolean().nullable(),
    notifyEmail: p.string().length(254).nullable(),
    totalRows: p.integer().default(0),
    validRows: p.integer().default(0),
    invalidRows: p.integer().default(0),
    duplicateInFile: p.integer().default(0),
    alreadyInvited: p.integer().default(0),
    errorCount: p.integer().default(0),
    processed: p.integer().default(0),
    invited: p.integer().default(0),
    emailed: p.integer().default(0),
    failed: p.integer().default(0),
    skipped: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'imports_event_created_idx', properties: ['event', 'createdAt'] }],
  // Deletes the rows of deleted imports (`import_rows` has no foreign key); the function comes with
  // migration 20261125190000_import_rows_cascade (declared here so the schema diff keeps it).
  triggers: [
    {
      name: 'imports_delete_rows',
      timing: 'after',
      events: ['delete'],
      forEach: 'statement',
      expression: `create trigger imports_delete_rows after delete on imports referencing old table as gone
        for each statement execute function import_rows_cascade()`,
    },
  ],
});

/**
 * One data row of an uploaded file, keyed by its line number: the cells as given (trimmed), the
 * normalized invitee of a valid row (`seq` numbers the valid rows 1..n, the pages of the start),
 * the row's errors, and how far the start got with it. Stored at fillfactor 50, so its four
 * updates stay on the row's page (migration 20261201020000_hot_updates).
 */
export const ImportRow = defineEntity({
  name: 'ImportRow',
  tableName: 'import_rows',
  properties: {
    // No foreign key: a trigger deletes the rows of deleted imports (Migration20261125190000_import_rows_cascade).
    import: () => p.manyToOne(Import).primary().createForeignKeyConstraint(false),
    rowNumber: p.integer().primary(),
    seq: p.integer().nullable(),
    email: p.text().nullable(),
    firstName: p.text().nullable(),
    lastName: p.text().nullable(),
    company: p.text().nullable(),
    title: p.text().nullable(),
    language: p.text().nullable(),
    role: p.text().nullable(),
    emailKey: p.text().nullable(),
    languageCode: p.text().nullable(),
    roles: p.array().columnType('text[]').nullable(),
    errors: p.json<{ column: string; code: string; message: string }[]>().nullable(),
    attendeeId: p.uuid().nullable(),
    // outside_idp_groups: turned away at the start by the closed-event rule as it stood then.
    outcome: p.enum(['invited', 'already_invited', 'outside_idp_groups'] as const).nullable(),
    workflowStarted: p.boolean().default(false),
    // delegated: the invitation is the lifecycle workflow's to send (a re-invite after a removal).
    emailStatus: p.enum(['sent', 'failed', 'delegated'] as const).nullable(),
    processedAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'import_rows_import_seq_unique', properties: ['import', 'seq'] }],
});

/**
 * The progress of one page of a running import (`firstSeq` names it), recounted from its rows by
 * each of its activities; the import's progress is their sum. A checkpoint thus reads one page's
 * rows, not the whole import's, so an import's checkpoints cost what its rows do (not rows × pages).
 */
export const ImportPage = defineEntity({
  name: 'ImportPage',
  tableName: 'import_pages',
  properties: {
    import: () => p.manyToOne(Import).primary().deleteRule('cascade'),
    firstSeq: p.integer().primary(),
    processed: p.integer(),
    invited: p.integer(),
    emailed: p.integer(),
    failed: p.integer(),
    skipped: p.integer(),
  },
});
