import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Context } from 'hono';
import type { AttendeeFilter } from '../../db/queries/attendees';
import {
  type BulkActionRecord,
  findBulkAction,
  listBulkActions,
  resultRows,
  type Selection,
  standingGroups,
} from '../../db/queries/bulk-actions';
import { eventRules, findEvent } from '../../db/queries/events';
import { finishBulkAction, insertBulkAction, storeTotals } from '../../db/writes/bulk-actions';
import {
  type BulkAction,
  commandSkipReason,
  isMessageAction,
  NOT_FOUND,
  reasonCounts,
} from '../../domain/bulk-actions';
import { csvLine } from '../../domain/csv-import';
import { messageSkipReason } from '../../domain/custom-message';
import {
  BULK_ACTION_DEFAULTS,
  BULK_ACTION_WORKFLOW_TYPE,
  type BulkActionInput,
  bulkActionWorkflowId,
  cancelBulkActionUpdate,
} from '../../workflows/bulk-action/definitions';
import { runSearchAttributes } from '../../workflows/search-attributes';
import type { AppEnv } from '../context';
import { notFound, ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { progressStream } from '../shared/event-stream';
import { type CreatedAtKeyset, runsPage } from '../shared/runs-page';
import type * as routes from './bulk-actions.routes';
import { RESULT_COLUMNS } from './bulk-actions.routes';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toBulkActionDto(row: BulkActionRecord) {
  return {
    id: row.id,
    eventId: row.event_id,
    action: row.action,
    status: row.status,
    filter: row.filter,
    message: row.message,
    totals: {
      matched: row.total_matched,
      eligible: row.total_eligible,
      skipped: row.total_skipped,
      skippedByReason: row.total_skip_reasons,
    },
    progress: {
      processed: row.processed,
      done: row.done,
      skipped: row.skipped,
      failed: row.failed,
      cancelled: row.cancelled,
      notProcessed: row.not_processed,
      skippedByReason: row.skip_reasons,
    },
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: iso(row.finished_at),
  };
}

/**
 * Who the action would touch and who it would skip, and why: the attendees grouped by what the
 * rules read, each group asked once (the same rules as each attendee's workflow, and, for
 * messages, the domain's rule of who may receive one).
 */
async function countEligible(
  em: EntityManager,
  event: NonNullable<Awaited<ReturnType<typeof findEvent>>>,
  action: BulkAction,
  source: Selection | { bulkActionId: string },
) {
  const { groups, notFound: missing } = await standingGroups(em, event.id, source);
  const rules = eventRules(event);
  const reasons = new Map<string, number>([[NOT_FOUND, missing]]);
  let eligible = 0;
  for (const group of groups) {
    const reason = isMessageAction(action)
      ? messageSkipReason({
          status: group.status,
          removed: false,
          emailUndeliverable: group.emailUndeliverable,
        })
      : commandSkipReason(action, group, rules);
    if (reason === null) eligible += group.count;
    else reasons.set(reason, (reasons.get(reason) ?? 0) + group.count);
  }
  const skippedByReason = reasonCounts(reasons);
  const skipped = skippedByReason.reduce((sum, r) => sum + r.count, 0);
  return { matched: eligible + skipped, eligible, skipped, skippedByReason };
}

async function eventOr404(c: Context<AppEnv>, eventId: string) {
  const event = await findEvent(c.var.em, c.var.organizationId, eventId, { sessions: false });
  if (!event) throw notFound('The event');
  return event;
}

/** The filter as stored and shown: only the fields given (an empty `q` filters nothing, as in the list). */
const filterOf = (filter: AttendeeFilter): AttendeeFilter =>
  Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== '')) as AttendeeFilter;

/**
 * Starts the bulk action's workflow. Its id comes from the bulk action, so a repeated start meets
 * the one run; a run that already ended is not started again.
 */
async function ensureWorkflow(c: Context<AppEnv>, input: BulkActionInput) {
  const { temporal, taskQueue } = c.var.deps;
  try {
    await temporal.workflow.start(BULK_ACTION_WORKFLOW_TYPE, {
      workflowId: bulkActionWorkflowId(input.bulkActionId),
      taskQueue,
      args: [input],
      // What the Temporal Web UI shows and filters on (no personal data in either).
      typedSearchAttributes: runSearchAttributes(c.var.organizationId, input.eventId),
      staticSummary: `Bulk ${input.action} of ${input.items} attendees (event ${input.eventId})`,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export const start: AppRouteHandler<typeof routes.startBulkAction> = async (c) => {
  const { eventId } = c.req.valid('param');
  const body = c.req.valid('json');
  const event = await eventOr404(c, eventId);
  const selection: Selection = body.filter
    ? { filter: filterOf(body.filter) }
    : { attendeeIds: body.attendeeIds ?? [] };

  if (body.dryRun) {
    const totals = await countEligible(c.var.em, event, body.action, selection);
    return c.json({ action: body.action, dryRun: true as const, totals }, 200);
  }

  const id = randomUUID();
  const items = await c.var.em.transactional(async (tx) => {
    const n = await insertBulkAction(tx, {
      id,
      eventId: event.id,
      action: body.action,
      selection,
      message: body.message ?? null,
      createdBy: c.var.actor,
    });
    await storeTotals(tx, id, await countEligible(tx, event, body.action, { bulkActionId: id }));
    return n;
  });
  await ensureWorkflow(c, {
    bulkActionId: id,
    eventId: event.id,
    action: body.action,
    items,
    pageSize: body.pageSize,
    maxPagesInFlight: BULK_ACTION_DEFAULTS.maxPagesInFlight,
    pagesPerRun: BULK_ACTION_DEFAULTS.pagesPerRun,
    by: c.var.actor,
  });
  const row = await findBulkAction(c.var.em, c.var.organizationId, event.id, id);
  if (!row) throw new Error(`bulk action ${id} missing after its start`);
  return c.json(toBulkActionDto(row), 202);
};

export const list: AppRouteHandler<typeof routes.listBulkActions> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const page = await runsPage(cursor, {
    load: (after: CreatedAtKeyset | null) =>
      listBulkActions(c.var.em, c.var.organizationId, eventId, limit, after),
    requireEvent: () => eventOr404(c, eventId),
    notFound: () => notFound('The event'),
    dto: toBulkActionDto,
  });
  return c.json(page, 200);
};

async function bulkActionOr404(c: Context<AppEnv>, eventId: string, bulkActionId: string) {
  const row = await findBulkAction(c.var.em, c.var.organizationId, eventId, bulkActionId);
  if (!row) throw notFound('The bulk action');
  return row;
}

export const get: AppRouteHandler<typeof routes.getBulkAction> = async (c) => {
  const { eventId, bulkActionId } = c.req.valid('param');
  return c.json(toBulkActionDto(await bulkActionOr404(c, eventId, bulkActionId)), 200);
};

export const cancel: AppRouteHandler<typeof routes.cancelBulkAction> = async (c) => {
  const { eventId, bulkActionId } = c.req.valid('param');
  const row = await bulkActionOr404(c, eventId, bulkActionId);
  if (row.status === 'running') {
    try {
      // Answers once the pages in flight have finished and the bulk action is marked cancelled.
      await c.var.deps.temporal.workflow
        .getHandle(bulkActionWorkflowId(row.id))
        .executeUpdate(cancelBulkActionUpdate);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // Stored but its workflow never started (a crash in between): nothing runs to stop.
        await finishBulkAction(c.var.em, row.id, 'cancelled');
      } else if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    }
  }
  const after = await bulkActionOr404(c, eventId, bulkActionId);
  if (after.status === 'completed' || after.status === 'failed') {
    throw new ProblemError(409, 'bulk_action_finished', `The bulk action has already ${after.status}.`);
  }
  return c.json(toBulkActionDto(after), 200);
};

/** Server-sent events: the bulk action whenever it changes, read from the checkpoints in Postgres. */
export const events: AppRouteHandler<typeof routes.bulkActionEvents> = async (c) => {
  const { eventId, bulkActionId } = c.req.valid('param');
  const { em, organizationId } = c.var;
  const first = await bulkActionOr404(c, eventId, bulkActionId);
  return progressStream(c, {
    name: 'bulk_action',
    first,
    load: () => findBulkAction(em, organizationId, eventId, bulkActionId),
    dto: toBulkActionDto,
  });
};

export const resultsCsv: AppRouteHandler<typeof routes.getResultsCsv> = async (c) => {
  const { eventId, bulkActionId } = c.req.valid('param');
  const row = await bulkActionOr404(c, eventId, bulkActionId);
  const { em } = c.var;
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  // Streamed a page at a time, so 100,000 attendees are never held at once.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(RESULT_COLUMNS)}`));
        return;
      }
      const page = await resultRows(em, row, 1000, after);
      if (page.length === 0) {
        controller.close();
        return;
      }
      let text = '';
      for (const r of page) text += csvLine([r.attendee_id, r.email, r.outcome, r.reason]);
      after = page.at(-1)?.position ?? after;
      controller.enqueue(encoder.encode(text));
    },
  });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="bulk-action-${row.id}-results.csv"`,
  });
};
