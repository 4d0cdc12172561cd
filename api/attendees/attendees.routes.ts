import { createRoute, z } from '@hono/zod-openapi';
import { ACTIONS, BIO_MAX, DETAILED_STATUSES, STATUSES } from '../../domain/attendee-lifecycle';
import { problemResponses } from '../problem';
import { IdParam, json, LanguageSchema, ListQuery, PersonName, pageOf } from '../schemas';

// Shapes only: the rules (required fields, lengths, address, domain typos, language, roles,
// profile) are domain/import-invitee.ts `checkInvitee`, the same for single and bulk invites.
const looseText = (description: string) => z.string().max(10_000).optional().openapi({ description });

export const InviteBody = z
  .object({
    email: z.string().max(1000).openapi({
      example: 'ada@example.com',
      description: 'Required. Trimmed; compared case-insensitively.',
    }),
    firstName: PersonName.or(z.literal(''))
      .optional()
      .openapi({ description: 'Required, at most 100 characters.' }),
    lastName: PersonName.or(z.literal(''))
      .optional()
      .openapi({ description: 'Required, at most 100 characters.' }),
    language: z.string().max(20).optional().openapi({
      description:
        "One of the 19 language codes, any case (pt-br is pt-BR). Defaults to the event's defaultLanguage.",
    }),
    roles: z
      .array(z.string().max(50))
      .max(10)
      .optional()
      .openapi({ description: '`speaker` and / or `moderator` (any case); `attendee` is always included.' }),
    title: looseText(`Job title, for anyone; at most 200 characters.`),
    company: looseText(`For anyone; at most 200 characters.`),
    bio: looseText(`Speakers and moderators only; at most ${BIO_MAX} characters.`),
    sendEmail: z.boolean().default(true),
  })
  .openapi('InviteAttendee');

export const AttendeeSchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    language: LanguageSchema,
    roles: z.array(z.enum(['attendee', 'speaker', 'moderator'])),
    status: z.enum(STATUSES),
    detailedStatus: z.enum(DETAILED_STATUSES),
    title: z.string().optional(),
    company: z.string().optional(),
    bio: z.string().optional(),
    imageUrl: z.string().optional(),
    chatBlocked: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    actions: z.array(z.enum(ACTIONS)),
  })
  .openapi('Attendee');

export const AttendeeDetailSchema = AttendeeSchema.extend({
  history: z.array(
    z.object({
      at: z.string(),
      status: z.enum(STATUSES),
      detailedStatus: z.enum(DETAILED_STATUSES),
      by: z.string(),
    }),
  ),
}).openapi('AttendeeDetail');

/** `edit` is the PATCH and `view_analytics` the analytics GET; the rest run through actions/{action}. */
export const ROUTED_ACTIONS = ACTIONS.filter((a) => a !== 'edit' && a !== 'view_analytics') as [
  Exclude<(typeof ACTIONS)[number], 'edit' | 'view_analytics'>,
  ...Exclude<(typeof ACTIONS)[number], 'edit' | 'view_analytics'>[],
];

export const SORTS = ['createdAt', '-createdAt', 'name', 'email', 'status'] as const;

export const ListAttendeesQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: 'Name or email, substring, case- and accent-insensitive.' }),
  status: z.enum(STATUSES).optional(),
  detailedStatus: z.enum(DETAILED_STATUSES).optional(),
  role: z.enum(['attendee', 'speaker', 'moderator']).optional(),
  language: LanguageSchema.optional(),
  sort: z
    .enum(SORTS)
    .default('createdAt')
    .openapi({ description: '`createdAt` is newest first, `-createdAt` oldest first.' }),
  ...ListQuery,
});

const EventParams = z.object({ eventId: IdParam('eventId') });
const AttendeeParams = z.object({ eventId: IdParam('eventId'), attendeeId: IdParam('attendeeId') });

const formText = (description: string) => z.string().max(10_000).optional().openapi({ description });

/** The invite as a form, with the speaker's profile image in the same request (as the reference's invite screen). */
export const InviteForm = z
  .object({
    email: formText('Required.'),
    firstName: formText('Required.'),
    lastName: formText('Required.'),
    language: formText('A language code.'),
    roles: z
      .union([z.string().max(100), z.array(z.string().max(50)).max(10)])
      .optional()
      .openapi({
        description: '`speaker` and / or `moderator`: the field repeated, or joined by `|` or `,`.',
      }),
    title: formText('At most 200 characters.'),
    company: formText('At most 200 characters.'),
    bio: formText(`Speakers and moderators only; at most ${BIO_MAX} characters.`),
    sendEmail: z.enum(['true', 'false']).optional().openapi({ description: 'Default true.' }),
    image: z
      .custom<File>((v) => v instanceof File, 'must be a file')
      .optional()
      .openapi({
        type: 'string',
        format: 'binary',
        description: 'PNG, JPEG or WebP, at most 2 MB; speakers and moderators only.',
      }),
  })
  .openapi('InviteAttendeeForm');

export const inviteAttendee = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/attendees',
  tags: ['Attendees'],
  summary: 'Invite one person (sendEmail: false adds them without an email)',
  description:
    'JSON, or `multipart/form-data` with the same fields plus `image`: a speaker or moderator invited with their profile image in one request.',
  request: {
    params: EventParams,
    // Not `required`: the JSON and the form validators each run only for their own content type.
    body: {
      content: { 'application/json': { schema: InviteBody }, 'multipart/form-data': { schema: InviteForm } },
    },
  },
  responses: {
    201: json(AttendeeSchema, 'The invited attendee'),
    ...problemResponses(400, 401, 404, 409, 413, 415, 422),
  },
});

const listRoute = (path: string, summary: string) =>
  createRoute({
    method: 'get',
    path,
    tags: ['Attendees'],
    summary,
    request: { params: EventParams, query: ListAttendeesQuery },
    responses: {
      200: json(pageOf(AttendeeSchema, 'AttendeePage'), 'A page of attendees'),
      ...problemResponses(400, 401, 404, 422),
    },
  });

export const listAttendees = listRoute(
  '/v1/events/{eventId}/attendees',
  'List, filter, search and sort attendees',
);
export const listSpeakers = listRoute('/v1/events/{eventId}/speakers', 'Attendees with the speaker role');
export const listModerators = listRoute(
  '/v1/events/{eventId}/moderators',
  'Attendees with the moderator role',
);

export const getAttendee = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/attendees/{attendeeId}',
  tags: ['Attendees'],
  summary: 'Get one attendee with the history of its statuses',
  request: { params: AttendeeParams },
  responses: { 200: json(AttendeeDetailSchema, 'The attendee'), ...problemResponses(401, 404, 422) },
});

export const PatchAttendeeBody = z
  .object({
    firstName: PersonName,
    lastName: PersonName,
    language: LanguageSchema,
    roles: z.array(z.enum(['attendee', 'speaker', 'moderator'])).max(3),
    title: z.string().trim().max(200).nullable(),
    company: z.string().trim().max(200).nullable(),
    bio: z.string().trim().max(BIO_MAX).nullable(),
  })
  .partial()
  .openapi('PatchAttendee');

export const patchAttendee = createRoute({
  method: 'patch',
  path: '/v1/events/{eventId}/attendees/{attendeeId}',
  tags: ['Attendees'],
  summary: 'Edit names, language, roles, title, company and the speaker / moderator bio (the `edit` action)',
  request: {
    params: AttendeeParams,
    body: { content: { 'application/json': { schema: PatchAttendeeBody } }, required: true },
  },
  responses: {
    200: json(AttendeeSchema, 'The edited attendee'),
    ...problemResponses(400, 401, 404, 409, 422),
  },
});

export const AnalyticsSchema = z
  .object({
    visits: z.array(z.object({ at: z.string(), kind: z.enum(['login', 'page', 'session']) })),
    firstVisitAt: z.string().nullable(),
    lastVisitAt: z.string().nullable(),
    sessionsAttended: z.number().int(),
    emails: z.array(
      z.object({
        kind: z.string(),
        sentAt: z.string().nullable(),
        status: z.enum(['pending', 'sent', 'failed', 'delivered', 'bounced', 'suppressed']).openapi({
          description:
            '`suppressed`: not sent, the address is on the organization’s suppression list (GET /v1/suppressions).',
        }),
      }),
    ),
  })
  .openapi('AttendeeAnalytics');

export const getAnalytics = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/attendees/{attendeeId}/analytics',
  tags: ['Attendees'],
  summary: 'Visits, sessions attended and emails with their delivery status (the `view_analytics` action)',
  request: { params: AttendeeParams },
  responses: { 200: json(AnalyticsSchema, 'Analytics'), ...problemResponses(401, 404, 409, 422) },
});

export const ChatPermissionSchema = z
  .object({
    attendeeId: z.uuid(),
    mayPost: z.boolean(),
    reason: z.enum(['not_in_event', 'chat_terms_not_agreed', 'blocked_from_chat']).optional(),
  })
  .openapi('ChatPermission');

export const getChatPermission = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/attendees/{attendeeId}/chat-permission',
  tags: ['Attendees'],
  summary:
    'For a chat service: may this attendee post? (entered the event, agreed to the chat terms, not blocked from chat)',
  request: { params: AttendeeParams },
  responses: {
    200: json(ChatPermissionSchema, 'The answer, with the reason when not'),
    ...problemResponses(401, 404, 422),
  },
});

export const LoginLinkSchema = z
  .object({ url: z.string(), expiresAt: z.string() })
  .openapi('LoginLink', { description: 'Shown once; single-use; valid 24 hours.' });

export const runAction = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/attendees/{attendeeId}/actions/{action}',
  tags: ['Attendees'],
  summary: 'Run an action allowed in the attendee’s status (see `actions` on the attendee)',
  request: {
    params: AttendeeParams.extend({
      action: z.enum(ROUTED_ACTIONS).openapi({ param: { name: 'action', in: 'path' } }),
    }),
  },
  responses: {
    200: json(
      z.union([AttendeeSchema, LoginLinkSchema]),
      'The attendee after the action; for generate_login_link, the link',
    ),
    ...problemResponses(401, 404, 409, 422, 501),
  },
});
