import { createRoute, z } from '@hono/zod-openapi';
import { SUPPRESSION_REASONS, SUPPRESSION_SOURCES } from '../../domain/suppressions';
import { problemResponses } from '../problem';
import { json, ListQuery, pageOf } from '../schemas';

const Reason = z.enum(SUPPRESSION_REASONS).openapi('SuppressionReason', {
  description:
    '`hard_bounce` (Postmark: the address does not exist), `spam_complaint` (the recipient marked an email as spam), ' +
    '`unsubscribe` (List-Unsubscribe, or Postmark’s own unsubscribe link), `manual` (an organizer, or a manual ' +
    'suppression at Postmark).',
});

export const SuppressionSchema = z
  .object({
    email: z.string().openapi({ description: 'The address, normalized (trimmed, lower case).' }),
    reason: Reason,
    source: z.enum(SUPPRESSION_SOURCES).openapi({
      description:
        '`postmark` (its Bounce, SpamComplaint or SubscriptionChange webhook), `list_unsubscribe` (the recipient, ' +
        'through the List-Unsubscribe link of a bulk email), `api` (an organizer).',
    }),
    detail: z.string().nullable().openapi({
      description: 'What it came from: Postmark’s record type and message id, or the API key that added it.',
    }),
    eventId: z.uuid().nullable().openapi({ description: 'The event whose email it came from, if any.' }),
    createdAt: z.string(),
  })
  .openapi('Suppression');

const EmailParam = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .openapi({ param: { name: 'email', in: 'path' }, example: 'ada@example.com' });

const TAGS = ['Suppressions'];
const DESCRIPTION =
  'No email of any kind goes to a suppressed address in any event of the organization: invitations, ' +
  'registration confirmations, login links, reminders, organizer messages and bulk invitations skip it, and ' +
  'the skipped email is on the attendee’s analytics with the status `suppressed`. See docs/deliverability.md.';

export const listSuppressions = createRoute({
  method: 'get',
  path: '/v1/suppressions',
  tags: TAGS,
  summary: "The organization's suppressed addresses, newest first",
  description: DESCRIPTION,
  request: {
    query: z.object({
      email: z.string().trim().min(1).max(320).optional().openapi({ description: 'Only this address.' }),
      reason: Reason.optional(),
      ...ListQuery,
    }),
  },
  responses: {
    200: json(pageOf(SuppressionSchema, 'SuppressionPage'), 'A page of suppressions'),
    ...problemResponses(400, 401, 422),
  },
});

export const addSuppression = createRoute({
  method: 'post',
  path: '/v1/suppressions',
  tags: TAGS,
  summary: 'Suppress an address for the organization (reason `manual`)',
  description: `${DESCRIPTION} An address already suppressed keeps its first reason (200).`,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ email: z.string().trim().min(1).max(320) }).openapi('NewSuppression'),
        },
      },
      required: true,
    },
  },
  responses: {
    201: json(SuppressionSchema, 'Suppressed'),
    200: json(SuppressionSchema, 'Already suppressed'),
    ...problemResponses(400, 401, 422),
  },
});

export const getSuppression = createRoute({
  method: 'get',
  path: '/v1/suppressions/{email}',
  tags: TAGS,
  summary: "One address's suppression",
  request: { params: z.object({ email: EmailParam }) },
  responses: { 200: json(SuppressionSchema, 'The suppression'), ...problemResponses(401, 404, 422) },
});

export const liftSuppression = createRoute({
  method: 'delete',
  path: '/v1/suppressions/{email}',
  tags: TAGS,
  summary: 'Lift an address’s suppression: the organization may email it again',
  description:
    'Its attendees’ hard-bounce mark is lifted too. Postmark keeps its own suppression list per message ' +
    'stream: an address that hard-bounced or complained there must also be reactivated at Postmark, or Postmark ' +
    'refuses it (recorded as `failed` with code 406).',
  request: { params: z.object({ email: EmailParam }) },
  responses: { 204: { description: 'Lifted' }, ...problemResponses(401, 404, 422) },
});
