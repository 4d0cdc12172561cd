import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Context } from 'hono';
import { findEvent } from '../../db/queries/events';
import { toImportDto } from '../../db/queries/import-dto';
import { insertImport, inUploadTransaction } from '../../db/queries/import-upload';
import {
  cancelValidated,
  claimStart,
  findImport,
  finishImport,
  type ImportRecord,
  importErrorRows,
  importPreviewRows,
  listImports,
} from '../../db/queries/imports';
import type { WebhookWakes } from '../../db/writes/webhook-events';
import type { Role } from '../../domain/attendee-lifecycle';
import {
  csvLine,
  type ImportColumn,
  PREVIEW_ROWS,
  REPORT_MAX_ERRORS,
  TEMPLATE_CSV,
} from '../../domain/csv-import';
import { checkEmail } from '../../domain/email-address';
import type { LanguageCode } from '../../domain/languages';
import {
  BULK_INVITE_DEFAULTS,
  BULK_INVITE_WORKFLOW_TYPE,
  type BulkInviteInput,
  cancelImportUpdate,
  importWorkflowId,
} from '../../workflows/bulk-invite/definitions';
import { runSearchAttributes } from '../../workflows/search-attributes';
import type { AppEnv } from '../context';
import { notFound, ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { progressStream } from '../shared/event-stream';
import { type CreatedAtKeyset, runsPage } from '../shared/runs-page';
import { wakeEndpoints } from '../webhooks/webhooks.wake';
import type * as routes from './imports.routes';
import { decodeUtf8, openUpload } from './imports.upload';
import { validateUpload } from './imports.validate';

type RowErrorCode = (typeof routes.ROW_ERROR_CODES)[number];

/** The import with its check-your-file report, read back from the stored rows. */
async function reportOf(em: EntityManager, row: ImportRecord, defaultLanguage: LanguageCode) {
  const errors: { row: number; column: string; code: RowErrorCode; message: string }[] = [];
  let after = 0;
  while (errors.length < REPORT_MAX_ERRORS && errors.length < row.error_count) {
    const page = await importErrorRows(em, row.id, 500, after);
    if (page.length === 0) break;
    for (const r of page) {
      for (const e of r.errors) {
        if (errors.length < REPORT_MAX_ERRORS) {
          errors.push({
            row: r.row_number,
            column: e.column,
            code: e.code as RowErrorCode,
            message: e.message,
          });
        }
      }
    }
    after = page.at(-1)?.row_number ?? after;
  }
  const preview = await importPreviewRows(em, row.id, PREVIEW_ROWS);
  return {
    ...toImportDto(row),
    errors,
    errorCount: row.error_count,
    errorsTruncated: row.error_count > errors.length,
    preview: preview.map((p) => ({
      row: p.row_number,
      email: p.email,
      firstName: p.first_name,
      lastName: p.last_name,
      company: p.company,
      title: p.title,
      language: (p.language_code as LanguageCode | null) ?? defaultLanguage,
      roles: p.roles as Role[],
    })),
  };
}

async function eventOr404(c: Context<AppEnv>, em: EntityManager, eventId: string) {
  // The event's rules only: no import route reads its sessions (one query, not two).
  const event = await findEvent(em, c.var.organizationId, eventId, { sessions: false });
  if (!event) throw notFound('The event');
  return event;
}

export const template: AppRouteHandler<typeof routes.getTemplate> = async (c) => {
  const { eventId } = c.req.valid('param');
  await eventOr404(c, c.var.em, eventId);
  return c.body(TEMPLATE_CSV, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="roster-invite-template.csv"',
  });
};

/**
 * The request to read the file from. With an Idempotency-Key the middleware has already read the
 * body as text (so the whole file is in memory, and bytes that were not UTF-8 are now U+FFFD):
 * work from that copy, and refuse the replacement characters as the stream check would.
 */
async function uploadRequest(c: Context<AppEnv>): Promise<Request> {
  if (!c.req.raw.bodyUsed) return c.req.raw;
  const text = await c.req.text();
  if (text.includes('\uFFFD')) {
    throw new ProblemError(
      422,
      'not_utf8',
      'The file is not valid UTF-8 (it looks like an 8-bit encoding such as windows-1252). Save it as "CSV UTF-8" and upload it again.',
      [{ path: 'file', code: 'not_utf8', message: 'unknown' }],
    );
  }
  return new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body: text });
}

export const upload: AppRouteHandler<typeof routes.uploadImport> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { em } = c.var;
  const event = await eventOr404(c, em, eventId);
  const bytes = await openUpload(await uploadRequest(c));
  const importId = randomUUID();
  await inUploadTransaction(em, async (tx) => {
    await insertImport(tx, { id: importId, eventId: event.id, createdBy: c.var.actor });
    await validateUpload(tx, decodeUtf8(bytes), {
      importId,
      eventId: event.id,
      onlyIdpGroupMembers: event.closed && !event.allowOutsideIdpGroups,
    });
  });
  const row = await findImport(em, c.var.organizationId, event.id, importId);
  if (!row) throw new Error(`import ${importId} missing after its upload`);
  return c.json(await reportOf(em, row, event.defaultLanguage), 201);
};

export const list: AppRouteHandler<typeof routes.listImports> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const page = await runsPage(cursor, {
    load: (after: CreatedAtKeyset | null) =>
      listImports(c.var.em, c.var.organizationId, eventId, limit, after),
    requireEvent: () => eventOr404(c, c.var.em, eventId),
    notFound: () => notFound('The event'),
    dto: toImportDto,
  });
  return c.json(page, 200);
};

export const get: AppRouteHandler<typeof routes.getImport> = async (c) => {
  const { eventId, importId } = c.req.valid('param');
  const { em } = c.var;
  const event = await eventOr404(c, em, eventId);
  const row = await findImport(em, c.var.organizationId, event.id, importId);
  if (!row) throw notFound('The import');
  return c.json(await reportOf(em, row, event.defaultLanguage), 200);
};

export const errorsCsv: AppRouteHandler<typeof routes.getErrorsCsv> = async (c) => {
  const { eventId, importId } = c.req.valid('param');
  const { em } = c.var;
  const row = await findImport(em, c.var.organizationId, eventId, importId);
  if (!row) throw notFound('The import');
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  // Streamed a page at a time, so 100,000 errors are never held at once.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(['row', 'column', 'code', 'message', 'value'])}`));
        return;
      }
      const page = await importErrorRows(em, row.id, 1000, after);
      if (page.length === 0) {
        controller.close();
        return;
      }
      let text = '';
      for (const r of page) {
        for (const e of r.errors) {
          const value = r[e.column as ImportColumn] ?? '';
          text += csvLine([r.row_number, e.column, e.code, e.message, value]);
        }
      }
      after = page.at(-1)?.row_number ?? after;
      controller.enqueue(encoder.encode(text));
    },
  });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="import-${row.id}-errors.csv"`,
  });
};

/**
 * Starts the bulk-invite workflow of a running import. Its id comes from the import, so racing or
 * repeated starts meet one run; a run that already ended is not started again.
 */
async function ensureWorkflow(c: Context<AppEnv>, row: ImportRecord, pageSize: number) {
  const { temporal, taskQueue } = c.var.deps;
  const input: BulkInviteInput = {
    importId: row.id,
    eventId: row.event_id,
    sendEmail: row.send_email ?? true,
    validRows: row.valid_rows,
    pageSize,
    maxPagesInFlight: BULK_INVITE_DEFAULTS.maxPagesInFlight,
    pagesPerRun: BULK_INVITE_DEFAULTS.pagesPerRun,
    by: row.created_by,
  };
  try {
    await temporal.workflow.start(BULK_INVITE_WORKFLOW_TYPE, {
      workflowId: importWorkflowId(row.id),
      taskQueue,
      args: [input],
      // What the Temporal Web UI shows and filters on (no personal data in either).
      typedSearchAttributes: runSearchAttributes(c.var.organizationId, row.event_id),
      staticSummary: `Bulk invite of ${row.valid_rows} rows (import ${row.id}, event ${row.event_id})`,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export const start: AppRouteHandler<typeof routes.startImport> = async (c) => {
  const { eventId, importId } = c.req.valid('param');
  const body = c.req.valid('json');
  const { em } = c.var;
  const before = await findImport(em, c.var.organizationId, eventId, importId);
  if (!before) throw notFound('The import');
  let notifyEmail: string | null = null;
  if (body.notifyEmail !== undefined) {
    const checked = checkEmail(body.notifyEmail);
    if (!checked.ok) {
      throw new ProblemError(422, 'validation_failed', checked.message, [
        { path: 'notifyEmail', code: checked.code, message: checked.message },
      ]);
    }
    notifyEmail = checked.email;
  }
  // The first start claims the import; every start (a retry after a crash included) makes sure
  // its workflow runs, with the options the first one stored.
  await claimStart(em, before.id, { sendEmail: body.sendEmail ?? true, notifyEmail });
  const row = await findImport(em, c.var.organizationId, eventId, importId);
  if (!row) throw notFound('The import');
  if (row.status === 'running') await ensureWorkflow(c, row, body.pageSize ?? BULK_INVITE_DEFAULTS.pageSize);
  return c.json(toImportDto(row), 202);
};

export const cancel: AppRouteHandler<typeof routes.cancelImport> = async (c) => {
  const { eventId, importId } = c.req.valid('param');
  const { em } = c.var;
  const row = await findImport(em, c.var.organizationId, eventId, importId);
  if (!row) throw notFound('The import');
  const wakes: WebhookWakes = new Set();
  if (row.status === 'validated' && (await cancelValidated(em, row.id, wakes))) {
    await wakeEndpoints(c.var.deps, wakes);
    return c.json(toImportDto((await findImport(em, c.var.organizationId, eventId, importId)) ?? row), 200);
  }
  if (row.status === 'running') {
    try {
      // Answers once the pages in flight have finished and the import is marked cancelled.
      await c.var.deps.temporal.workflow
        .getHandle(importWorkflowId(row.id))
        .executeUpdate(cancelImportUpdate);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // Claimed but its workflow never started (a crash in between): nothing runs to stop.
        await finishImport(em, row.id, 'cancelled', wakes);
        await wakeEndpoints(c.var.deps, wakes);
      } else if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    }
  }
  const after = await findImport(em, c.var.organizationId, eventId, importId);
  if (!after) throw notFound('The import');
  if (after.status === 'completed' || after.status === 'failed') {
    throw new ProblemError(
      409,
      'import_finished',
      `The import has already ${after.status === 'completed' ? 'completed' : 'failed'}.`,
    );
  }
  return c.json(toImportDto(after), 200);
};

/** Server-sent events: the import whenever it changes, read from the checkpoints in Postgres. */
export const events: AppRouteHandler<typeof routes.importEvents> = async (c) => {
  const { eventId, importId } = c.req.valid('param');
  const { em, organizationId } = c.var;
  const first = await findImport(em, organizationId, eventId, importId);
  if (!first) throw notFound('The import');
  return progressStream(c, {
    name: 'import',
    first,
    load: () => findImport(em, organizationId, eventId, importId),
    dto: toImportDto,
  });
};
