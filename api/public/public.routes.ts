import { createRoute, z } from '@hono/zod-openapi';
import { DETAILED_STATUSES, STATUSES } from '../../domain/attendee-lifecycle';
import { problemResponses } from '../problem';
import { IdParam, json, LanguageSchema, PersonName } from '../schemas';

export const PublicAttendee = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    language: LanguageSchema,
    status: z.enum(STATUSES),
    detailedStatus: z.enum(DETAILED_STATUSES),
    chatTermsAgreed: z.boolean(),
    chat: z.object({ termsAgreed: z.boolean(), blocked: z.boolean() }),
  })
  .openapi('PublicAttendee');

const AttendeeAnswer = z.object({ attendee: PublicAttendee }).openapi('PublicAttendeeAnswer');
const TokenBody = z.object({ token: z.string().min(20).max(200) });
const session = [{ attendeeSession: [] }];

export const accept = createRoute({
  method: 'post',
  path: '/v1/public/invitations/{token}/accept',
  tags: ['Attendee-facing'],
  summary: 'Accept an invitation (register) with the token from the invitation email',
  security: [],
  request: {
    params: z.object({
      token: z
        .string()
        .min(20)
        .max(200)
        .openapi({ param: { name: 'token', in: 'path' } }),
    }),
    body: {
      content: {
        'application/json': {
          schema: z.object({
            firstName: PersonName.optional(),
            lastName: PersonName.optional(),
            answers: z.record(z.string().max(100), z.unknown()).optional(),
          }),
        },
      },
      required: false,
    },
  },
  responses: { 200: json(AttendeeAnswer, 'Registered'), ...problemResponses(401, 409, 422) },
});

export const confirm = createRoute({
  method: 'post',
  path: '/v1/public/registrations/confirm',
  tags: ['Attendee-facing'],
  summary: 'Confirm the email address after accepting (events that ask for it)',
  security: [],
  request: { body: { content: { 'application/json': { schema: TokenBody } }, required: true } },
  responses: {
    200: json(AttendeeAnswer, 'Registered with confirmed_email'),
    ...problemResponses(401, 409, 422),
  },
});

export const loginLink = createRoute({
  method: 'post',
  path: '/v1/public/events/{eventId}/login-link',
  tags: ['Attendee-facing'],
  summary: 'Email a login link. Always 202: the answer never reveals whether the address is known.',
  security: [],
  request: {
    params: z.object({ eventId: IdParam('eventId') }),
    body: {
      content: { 'application/json': { schema: z.object({ email: z.string().max(320) }) } },
      required: true,
    },
  },
  responses: { 202: json(z.object({ status: z.literal('accepted') }), 'Accepted'), ...problemResponses(422) },
});

export const login = createRoute({
  method: 'post',
  path: '/v1/public/login',
  tags: ['Attendee-facing'],
  summary:
    'Log in with a login-link token (or the invitation token where the event lets invitees in directly)',
  security: [],
  request: { body: { content: { 'application/json': { schema: TokenBody } }, required: true } },
  responses: {
    200: json(
      z
        .object({ session: z.string(), expiresAt: z.string(), attendee: PublicAttendee })
        .openapi('LoginAnswer'),
      'A session for the attendee-facing endpoints',
    ),
    ...problemResponses(401, 409, 422),
  },
});

export const unregister = createRoute({
  method: 'post',
  path: '/v1/public/events/{eventId}/unregister',
  tags: ['Attendee-facing'],
  summary: 'Unregister from the event (session)',
  security: session,
  request: { params: z.object({ eventId: IdParam('eventId') }) },
  responses: { 200: json(AttendeeAnswer, 'Unregistered'), ...problemResponses(401, 404, 409) },
});

export const chatTerms = createRoute({
  method: 'post',
  path: '/v1/public/chat-terms',
  tags: ['Attendee-facing'],
  summary: 'Agree to the chat terms (session)',
  security: session,
  responses: { 200: json(AttendeeAnswer, 'Agreed'), ...problemResponses(401, 409) },
});

export const visit = createRoute({
  method: 'post',
  path: '/v1/public/visits',
  tags: ['Attendee-facing'],
  summary:
    'Report a page visit or a session join from the event site (session); session joins count toward sessionsAttended',
  security: session,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({ kind: z.enum(['page', 'session']), sessionId: z.uuid().optional() })
            .openapi('Visit'),
        },
      },
      required: true,
    },
  },
  responses: {
    202: json(z.object({ status: z.literal('accepted') }), 'Recorded'),
    ...problemResponses(401, 422),
  },
});

export const me = createRoute({
  method: 'get',
  path: '/v1/public/me',
  tags: ['Attendee-facing'],
  summary: 'The logged-in attendee (session)',
  security: session,
  responses: { 200: json(AttendeeAnswer, 'The attendee'), ...problemResponses(401) },
});

export const logout = createRoute({
  method: 'post',
  path: '/v1/public/logout',
  tags: ['Attendee-facing'],
  summary: 'End the session (log out): the session token stops working at once',
  security: session,
  responses: { 204: { description: 'Logged out' }, ...problemResponses(401) },
});

export const calendar = createRoute({
  method: 'get',
  path: '/v1/public/events/{eventId}/calendar.ics',
  tags: ['Attendee-facing'],
  summary: 'The event and its sessions as an iCalendar file (session)',
  description:
    'RFC 5545 `.ics` for the logged-in attendee’s event: one VEVENT for the event and one per session, ' +
    'times in the event’s time zone (TZID with its VTIMEZONE), stable UIDs (`<id>@roster`), each linking to ' +
    'the attendee’s page on the event site. The same file the invitation, registration confirmation and ' +
    'reminder emails carry.',
  security: session,
  request: { params: z.object({ eventId: IdParam('eventId') }) },
  responses: {
    200: {
      description: 'The calendar file',
      content: {
        'text/calendar': {
          schema: z.string().openapi({ example: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n' }),
        },
      },
    },
    ...problemResponses(401, 404, 422),
  },
});
