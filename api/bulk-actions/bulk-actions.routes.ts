import { createRoute, z } from '@hono/zod-openapi';
import {
  BULK_ACTION_STATUSES,
  BULK_ACTIONS,
  ITEM_OUTCOMES,
  isMessageAction,
  MAX_BULK_ATTENDEE_IDS,
} from '../../domain/bulk-actions';
import { ListAttendeesQuery } from '../attendees/attendees.routes';
import { problemResponses } from '../problem';
import { IdParam, json, ListQuery, pageOf } from '../schemas';
import { CustomMessageSchema } from '../shared/custom-message.schema';

const count = z.number().int().min(0);

/** The attendee list's filter, field for field (its semantics are the list's own query). */
export const BulkActionFilter = ListAttendeesQuery.pick({
  q: true,
  status: true,
  detailedStatus: true,
  role: true,
  language: true,
})
  .strict()
  .openapi('BulkActionFilter', {
    description:
      'The attendee list’s filter (GET /v1/events/{eventId}/attendees), with its semantics: `q` matches ' +
      'name or email, case- and accent-insensitive, as a substring; the other fields match exactly. `{}` ' +
      'selects every attendee of the event. Unknown fields are refused (422), so a misspelt filter never ' +
      'widens to everyone.',
  });

export const StartBulkActionBody = z
  .object({
    action: z.enum(BULK_ACTIONS).openapi({
      description:
        '`block`, `unblock`, `remove` and `resend_email` go through each attendee’s workflow with its rules ' +
        '(as the single-attendee action does); `send_message` and `send_reminder` send `message`.',
    }),
    filter: BulkActionFilter.optional(),
    attendeeIds: z
      .array(z.uuid())
      .min(1)
      .max(MAX_BULK_ATTENDEE_IDS)
      .optional()
      .openapi({
        description: `Up to ${MAX_BULK_ATTENDEE_IDS.toLocaleString('en')} attendee ids, acted on in this order (a repeat counts once). An id that is no attendee of this event is skipped as \`not_found\`.`,
      }),
    message: CustomMessageSchema.optional().openapi({
      description: 'Required by `send_message` and `send_reminder`; refused with any other action.',
    }),
    pageSize: z.number().int().min(1).max(500).default(500).openapi({
      description: 'Attendees per page of the durable walk (and per Postmark batch call for messages).',
    }),
    dryRun: z.boolean().default(false).openapi({
      description:
        'true: nothing is started or stored; the answer (200) says how many attendees the action would touch and how many it would skip, per reason.',
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.filter === undefined) === (body.attendeeIds === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: body.filter === undefined ? ['filter'] : ['attendeeIds'],
        message: 'Give exactly one of filter and attendeeIds.',
      });
    }
    if (isMessageAction(body.action) && body.message === undefined) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: `${body.action} needs a message.` });
    }
    if (!isMessageAction(body.action) && body.message !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: `${body.action} takes no message.` });
    }
  })
  .openapi('StartBulkAction');

const ReasonCount = z
  .object({ reason: z.string(), count: z.number().int().min(1) })
  .openapi('BulkActionReasonCount');

export const BulkActionTotals = z
  .object({
    matched: count.openapi({
      description: 'Attendees the request selected: the filter’s matches, or the distinct ids given.',
    }),
    eligible: count.openapi({
      description: 'Of those, the ones the rules let the action touch at the start.',
    }),
    skipped: count.openapi({ description: 'Of those, the ones it skips: matched − eligible.' }),
    skippedByReason: z.array(ReasonCount).openapi({
      description:
        'The skipped, per reason, most frequent first: `not_found` (no attendee of this event), ' +
        '`action_not_allowed: <why>` (the attendee’s status does not allow the action, in the words of ' +
        'the single-attendee API’s 409), and for messages `status_blocked`, `status_unregistered`, `bounced`.',
    }),
  })
  .openapi('BulkActionTotals');

export const BulkActionProgress = z
  .object({
    processed: count.openapi({ description: 'Attendees handled: done + skipped + failed.' }),
    done: count.openapi({ description: 'The action applied (or the message sent).' }),
    skipped: count.openapi({ description: 'Skipped with a reason (see skippedByReason and results.csv).' }),
    failed: count.openapi({ description: 'Tried and failed for good; results.csv has each reason.' }),
    cancelled: count.openapi({
      description: 'Not reached: the bulk action was cancelled before their page.',
    }),
    notProcessed: count.openapi({
      description:
        'Not handled: the bulk action failed before their page (or before their outcome was written).',
    }),
    skippedByReason: z.array(ReasonCount),
  })
  .openapi('BulkActionProgress');

export const BulkActionSchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    action: z.enum(BULK_ACTIONS),
    status: z.enum(BULK_ACTION_STATUSES),
    filter: BulkActionFilter.nullable().openapi({
      description: 'As given; null when attendeeIds were given.',
    }),
    message: CustomMessageSchema.nullable(),
    totals: BulkActionTotals,
    progress: BulkActionProgress,
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('BulkAction');

export const BulkActionDryRunSchema = z
  .object({ action: z.enum(BULK_ACTIONS), dryRun: z.literal(true), totals: BulkActionTotals })
  .openapi('BulkActionDryRun');

export const BulkActionPage = pageOf(BulkActionSchema, 'BulkActionPage');

const EventParams = z.object({ eventId: IdParam('eventId') });
const BulkActionParams = z.object({ eventId: IdParam('eventId'), bulkActionId: IdParam('bulkActionId') });
const TAGS = ['Bulk actions'];

export const startBulkAction = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/bulk-actions',
  tags: TAGS,
  summary: 'Act on a subset of the attendees, durably (or, with dryRun, count who it would touch)',
  description: `Snapshots the attendees that \`filter\` matches (or the \`attendeeIds\` given) and runs the action on
each of them in a durable workflow, pages of 500 at a time. An action the attendee's status does not allow is
skipped with its reason, never forced. Follow it with GET …/{bulkActionId}, its event stream, or results.csv.
With an \`Idempotency-Key\` a repeat answers the first response and starts nothing more.`,
  request: {
    params: EventParams,
    body: { content: { 'application/json': { schema: StartBulkActionBody } }, required: true },
  },
  responses: {
    202: json(BulkActionSchema, 'The bulk action, running'),
    200: json(BulkActionDryRunSchema, 'The dry run: the counts only, nothing started'),
    ...problemResponses(400, 401, 404, 409, 413, 415, 422),
  },
});

export const listBulkActions = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/bulk-actions',
  tags: TAGS,
  summary: 'The event’s bulk actions, newest first',
  request: { params: EventParams, query: z.object(ListQuery) },
  responses: { 200: json(BulkActionPage, 'A page of bulk actions'), ...problemResponses(400, 401, 404, 422) },
});

export const getBulkAction = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/bulk-actions/{bulkActionId}',
  tags: TAGS,
  summary: 'The bulk action: its status, totals and progress',
  request: { params: BulkActionParams },
  responses: { 200: json(BulkActionSchema, 'The bulk action'), ...problemResponses(401, 404, 422) },
});

export const cancelBulkAction = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/bulk-actions/{bulkActionId}/cancel',
  tags: TAGS,
  summary: 'Stop a bulk action between pages; what it did stays done',
  description:
    'Answers once the pages in flight have finished: the attendees not reached are reported as `cancelled`. ' +
    'Cancelling a cancelled bulk action answers it again; a completed or failed one answers 409 `bulk_action_finished`.',
  request: { params: BulkActionParams },
  responses: {
    200: json(BulkActionSchema, 'The bulk action, cancelled'),
    ...problemResponses(401, 404, 409, 422),
  },
});

export const bulkActionEvents = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/bulk-actions/{bulkActionId}/events',
  tags: TAGS,
  summary: 'The bulk action’s progress as server-sent events, until it ends',
  description: `A \`text/event-stream\`: a \`bulk_action\` event with the bulk action (the BulkAction schema) at once and
whenever its status or progress changes (checked every half second), then, once it is completed, cancelled or
failed, a last \`finished\` event with the final bulk action, and the stream ends. A comment line every 15 s keeps
proxies from closing a quiet stream. Reconnecting is always safe: the first event is the current state.`,
  request: { params: BulkActionParams },
  responses: {
    200: {
      description: 'The event stream',
      content: { 'text/event-stream': { schema: { type: 'string' as const } } },
    },
    ...problemResponses(401, 404, 422),
  },
});

export const RESULT_COLUMNS = ['attendee_id', 'email', 'outcome', 'reason'] as const;

export const getResultsCsv = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/bulk-actions/{bulkActionId}/results.csv',
  tags: TAGS,
  summary: 'Every attendee’s outcome as CSV, safe to open in a spreadsheet',
  description: `One line per attendee of the snapshot, in its order: \`${RESULT_COLUMNS.join(',')}\`. \`outcome\` is one of
${ITEM_OUTCOMES.map((o) => `\`${o}\``).join(', ')}, or empty while the attendee's page has not run yet. \`email\` is empty for
\`not_found\` ids. Cells that a spreadsheet would run as a formula are neutralized, as in the import's errors.csv.`,
  request: { params: BulkActionParams },
  responses: {
    200: { description: 'The results', content: { 'text/csv': { schema: { type: 'string' as const } } } },
    ...problemResponses(401, 404, 422),
  },
});
