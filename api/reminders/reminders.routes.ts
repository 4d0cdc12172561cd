import { createRoute, z } from '@hono/zod-openapi';
import { MAX_OFFSET_MINUTES, REMINDER_AUDIENCES } from '../../domain/reminders';
import { problemResponses } from '../problem';
import { IdParam, json, pageOf } from '../schemas';
import { CustomMessageSchema } from '../shared/custom-message.schema';

const Audience = z.enum(REMINDER_AUDIENCES).openapi({
  description:
    '`invited_not_registered`: attendees still `invited` (the email carries their invitation link); ' +
    '`registered`: attendees in `registered` (the email carries a login link when includeLoginLink).',
});

export const CreateReminderBody = z
  .object({
    audience: Audience,
    offsetMinutes: z
      .number()
      .int()
      .min(1)
      .max(MAX_OFFSET_MINUTES)
      .openapi({ description: 'Minutes before the event starts (1 to 86,400, i.e. 60 days).', example: 60 }),
    includeLoginLink: z
      .boolean()
      .optional()
      .openapi({
        description:
          'Only for `registered` on magic-link events, where it defaults to true: the reminder carries a ' +
          'single-use login link valid until the event ends. With a `message`, the message’s own ' +
          '`includeLoginLink` says the same (give one, or the same value in both); it defaults to false there, ' +
          'and invitees then get their invitation link.',
      }),
    message: CustomMessageSchema.optional().openapi({
      description:
        'The organizer’s own subject and body in place of the standard reminder text, in the standard email ' +
        'layout; scheduled and manual runs send it.',
    }),
  })
  .openapi('CreateReminderRule');

export const ReminderRunSchema = z
  .object({
    id: z.uuid(),
    trigger: z.enum(['scheduled', 'manual']),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    recipients: z.number().int().openapi({ description: 'Matching attendees when the run started.' }),
    sent: z.number().int(),
    failed: z.number().int(),
  })
  .openapi('ReminderRun');

export const ReminderRuleSchema = z
  .object({
    id: z.uuid(),
    audience: Audience,
    offsetMinutes: z.number().int(),
    includeLoginLink: z.boolean(),
    message: CustomMessageSchema.nullable().openapi({
      description: 'The organizer’s own text, or null for the standard reminder.',
    }),
    dueAt: z
      .string()
      .openapi({ description: "The event's startsAt minus offsetMinutes; follows the start." }),
    sentAt: z
      .string()
      .nullable()
      .openapi({ description: 'When the scheduled send went out; null while it is pending.' }),
    createdAt: z.string(),
    runs: z.array(ReminderRunSchema).openapi({ description: 'The latest 20 runs, newest first.' }),
  })
  .openapi('ReminderRule');

export const RunReminderBody = z.object({ ruleId: z.uuid() }).openapi('RunReminder');

export const RunReminderResult = z
  .object({
    ruleId: z.uuid(),
    runId: z.uuid(),
    recipients: z
      .number()
      .int()
      .openapi({ description: 'Matching attendees; the emails go out in batches.' }),
  })
  .openapi('ReminderRunStarted');

const EventParams = z.object({ eventId: IdParam('eventId') });
const RuleParams = z.object({ eventId: IdParam('eventId'), ruleId: IdParam('ruleId') });

export const createReminderRule = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/reminders',
  tags: ['Reminders'],
  summary: 'Create a reminder rule',
  description:
    'The event’s reminder workflow sends it at startsAt - offsetMinutes. A due time already past when ' +
    'the rule is created sends at once, but only while the event has not started.',
  request: {
    params: EventParams,
    body: { content: { 'application/json': { schema: CreateReminderBody } }, required: true },
  },
  responses: {
    201: json(ReminderRuleSchema, 'The new rule'),
    ...problemResponses(400, 401, 404, 409, 422),
  },
});

export const listReminderRules = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/reminders',
  tags: ['Reminders'],
  summary: "List the event's reminder rules, oldest first",
  request: { params: EventParams },
  responses: {
    200: json(pageOf(ReminderRuleSchema, 'ReminderRulePage'), 'Every rule (nextCursor is always null)'),
    ...problemResponses(401, 404, 422),
  },
});

export const getReminderRule = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/reminders/{ruleId}',
  tags: ['Reminders'],
  summary: 'Get a reminder rule with its latest runs',
  request: { params: RuleParams },
  responses: { 200: json(ReminderRuleSchema, 'The rule'), ...problemResponses(401, 404, 422) },
});

export const deleteReminderRule = createRoute({
  method: 'delete',
  path: '/v1/events/{eventId}/reminders/{ruleId}',
  tags: ['Reminders'],
  summary: 'Delete a reminder rule (a run in progress stops after its current page)',
  request: { params: RuleParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 404, 422) },
});

export const runReminderRule = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/reminders/run',
  tags: ['Reminders'],
  summary: 'Send a rule now',
  description:
    'Sends the rule to its audience now, as a run of its own (each run has its own ledger keys, so ' +
    'running a rule again emails its audience again). The scheduled send is not affected.',
  request: {
    params: EventParams,
    body: { content: { 'application/json': { schema: RunReminderBody } }, required: true },
  },
  responses: { 202: json(RunReminderResult, 'The run has started'), ...problemResponses(400, 401, 404, 422) },
});
