/**
 * The bulk invite's side effects, a page of rows at a time, in two halves (import-page.ts):
 * `emailPage` writes the attendees and their first history rows in one statement and sends the
 * invitations through Postmark's batch endpoint on the email ledger (import-invitations.ts);
 * `startPage` then starts their lifecycle workflows with deterministic ids and checkpoints the
 * progress. The bulk workflow runs the halves as two pipelines, emails ahead, so no invitation
 * waits for a workflow start. Every step is idempotent, so a retried or restarted page invites
 * and emails nobody twice.
 */
import { heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { ImportStatus } from '../db/entities/import.entity';
import { checkpointProgress, finishImport, getImport } from '../db/queries/imports';
import { sql } from '../db/sql';
import type { WebhookWakes } from '../db/writes/webhook-events';
import { renderEmail } from '../emails/render';
import type { ActivityDeps } from './deps';
import { sendInvitations } from './import-invitations';
import {
  type InvitePageInput,
  insertPage,
  loadEvent,
  pageRows,
  refuseOutsiders,
  reinviteRemoved,
  startWorkflows,
} from './import-page';
import { type EmailContent, sendOnce } from './send-once';
import { wakeWebhooks } from './webhook-wake';

export type { InvitePageInput } from './import-page';

export interface ImportActivityDeps extends ActivityDeps {
  /** Starts the attendees' lifecycle workflows. */
  temporal: Client;
  taskQueue: string;
}

/** The page's rows and its invitations: everything before the attendees' workflows. */
async function emailPage(deps: ImportActivityDeps, input: InvitePageInput) {
  const em = deps.orm.em.fork();
  const event = await loadEvent(em, input.eventId);
  // Read once, and again only after a step changed them.
  let rows = await pageRows(em, input);
  if (await refuseOutsiders(em, input, event, rows)) rows = await pageRows(em, input);
  if (await reinviteRemoved(deps, em, input, rows)) rows = await pageRows(em, input);
  const wakes: WebhookWakes = new Set();
  await insertPage(em, input, event, rows, wakes);
  await wakeWebhooks(deps, wakes);
  heartbeat({ step: 'attendees' });
  if (input.sendEmail) await sendInvitations(deps, em, input, event);
  // The emails count in the progress at once; the rows are processed once their workflows run.
  await checkpointProgress(em, input.importId, input);
}

/** The lifecycle workflows of the rows the page's first half invited, then the checkpoint. */
async function startPage(deps: ImportActivityDeps, input: InvitePageInput) {
  const em = deps.orm.em.fork();
  const event = await loadEvent(em, input.eventId);
  await startWorkflows(deps, em, input, event, await pageRows(em, input));
  // Only rows the first half handled: a page whose first half never ran stays unprocessed.
  await sql(em)(
    `update import_rows set processed_at = now()
      where import_id = ? and seq between ? and ? and processed_at is null and outcome is not null`,
    [input.importId, input.firstSeq, input.lastSeq],
  );
  await checkpointProgress(em, input.importId, input);
}

export const createImportActivities = (deps: ImportActivityDeps) => ({
  /** A page's rows and invitations (safe to run again); the bulk workflow's email pipeline. */
  emailPage: (input: InvitePageInput) => emailPage(deps, input),
  /** A page's lifecycle workflows and checkpoint (safe to run again); the start pipeline. */
  startPage: (input: InvitePageInput) => startPage(deps, input),
  /** Both halves of a page, for runs of the bulk workflow recorded before the split. */
  async invitePage(input: InvitePageInput): Promise<void> {
    await emailPage(deps, input);
    await startPage(deps, input);
  },

  /** The import's final status and time (once), with its progress counted one last time. */
  async finishImport(input: { importId: string; status: Exclude<ImportStatus, 'validated' | 'running'> }) {
    const em = deps.orm.em.fork();
    await checkpointProgress(em, input.importId);
    const wakes: WebhookWakes = new Set();
    const finished = await finishImport(em, input.importId, input.status, wakes);
    await wakeWebhooks(deps, wakes);
    const row = await getImport(em, input.importId);
    return { finished, status: row?.status ?? input.status };
  },

  /**
   * The import_finished email to the address given at the start, if any: once, on the ledger
   * under `import/<id>/import_finished`. A final refusal is recorded, not retried.
   */
  async notifyImportFinished(input: {
    importId: string;
  }): Promise<{ outcome: 'sent' | 'skipped' | 'failed' }> {
    const em = deps.orm.em.fork();
    const row = await getImport(em, input.importId);
    if (
      !row?.notify_email ||
      (row.status !== 'completed' && row.status !== 'cancelled' && row.status !== 'failed')
    ) {
      return { outcome: 'skipped' };
    }
    const event = await loadEvent(em, row.event_id);
    const status = row.status;
    const entry = {
      ledgerKey: `import/${row.id}/import_finished`,
      attendeeId: null,
      eventId: event.id,
      kind: 'import_finished' as const,
      to: row.notify_email,
    };
    const render = async (): Promise<EmailContent[]> => {
      const rendered = await renderEmail('import_finished', {
        locale: event.default_language,
        eventName: event.name,
        status,
        totals: { rows: row.total_rows, invited: row.invited, emailed: row.emailed, failed: row.failed },
        url: new URL(`/events/${event.id}/imports/${row.id}`, deps.eventSiteUrl).toString(),
      });
      const metadata = { eventId: event.id, importId: row.id, kind: 'import_finished' };
      return [{ ...rendered, tag: 'import_finished', metadata }];
    };
    const outcome = (await sendOnce(deps, em, [entry], render, { via: 'single' })).get(entry.ledgerKey);
    if (outcome?.status === 'suppressed') return { outcome: 'skipped' };
    return { outcome: outcome?.status === 'failed' ? 'failed' : 'sent' };
  },
});

export type ImportActivities = ReturnType<typeof createImportActivities>;
