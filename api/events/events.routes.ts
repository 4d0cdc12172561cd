import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../problem';
import { IdParam, IsoDateTime, json, LanguageSchema, ListQuery, pageOf } from '../schemas';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const SessionInput = z
  .object({ name: z.string().trim().min(1).max(200), startsAt: IsoDateTime, endsAt: IsoDateTime })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

const EventFields = {
  name: z.string().trim().min(1).max(200),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  timezone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
    .openapi({ example: 'Europe/Berlin' }),
  defaultLanguage: LanguageSchema,
  loginMode: z.enum(['magic_link', 'sso']),
  closed: z.boolean(),
  requiresRegistration: z.boolean().openapi({
    description: 'Invitees register (accept) before entering: invited_by_team_member_to_register.',
  }),
  requiresEmailConfirmation: z.boolean().openapi({
    description: 'Registration completes after the email address is confirmed: confirmed_email.',
  }),
  publishedRegistration: z.boolean().openapi({
    description:
      'Anyone may register on the event’s public registration page (POST /v1/public/events/{eventId}/registrations); detailed status `registered`.',
  }),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
    .transform((v) => v.toLowerCase())
    .nullable()
    .openapi({ example: '#0b6e4f', description: 'The attendee pages’ accent colour; null: Roster’s own.' }),
  sessions: z.array(SessionInput).max(200),
};

export const CreateEventBody = z
  .object({
    ...EventFields,
    defaultLanguage: EventFields.defaultLanguage.default('en'),
    loginMode: EventFields.loginMode.default('magic_link'),
    closed: EventFields.closed.default(false),
    requiresRegistration: EventFields.requiresRegistration.default(false),
    requiresEmailConfirmation: EventFields.requiresEmailConfirmation.default(false),
    publishedRegistration: EventFields.publishedRegistration.default(false),
    accentColor: EventFields.accentColor.default(null),
    sessions: EventFields.sessions.default([]),
  })
  .openapi('CreateEvent');

export const PatchEventBody = z.object(EventFields).partial().openapi('PatchEvent');

export const EventSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    timezone: z.string(),
    defaultLanguage: LanguageSchema,
    loginMode: z.enum(['magic_link', 'sso']),
    closed: z.boolean(),
    requiresRegistration: z.boolean(),
    requiresEmailConfirmation: z.boolean(),
    publishedRegistration: z.boolean(),
    accentColor: z.string().nullable(),
    accessSettings: z.object({ allowOutsideIdpGroups: z.boolean() }),
    sessions: z.array(z.object({ id: z.uuid(), name: z.string(), startsAt: z.string(), endsAt: z.string() })),
    createdAt: z.string(),
  })
  .openapi('Event');

export const createEvent = createRoute({
  method: 'post',
  path: '/v1/events',
  tags: ['Events'],
  summary: 'Create an event',
  request: { body: { content: { 'application/json': { schema: CreateEventBody } }, required: true } },
  responses: { 201: json(EventSchema, 'The new event'), ...problemResponses(400, 401, 409, 422) },
});

export const listEvents = createRoute({
  method: 'get',
  path: '/v1/events',
  tags: ['Events'],
  summary: 'List events, newest first',
  request: { query: z.object(ListQuery) },
  responses: {
    200: json(pageOf(EventSchema, 'EventPage'), 'A page of events'),
    ...problemResponses(401, 422),
  },
});

const EventParams = z.object({ eventId: IdParam('eventId') });

export const getEvent = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}',
  tags: ['Events'],
  summary: 'Get an event',
  request: { params: EventParams },
  responses: { 200: json(EventSchema, 'The event'), ...problemResponses(401, 404, 422) },
});

export const patchEvent = createRoute({
  method: 'patch',
  path: '/v1/events/{eventId}',
  tags: ['Events'],
  summary: 'Change an event (sessions, when given, replace the old list)',
  request: {
    params: EventParams,
    body: { content: { 'application/json': { schema: PatchEventBody } }, required: true },
  },
  responses: { 200: json(EventSchema, 'The changed event'), ...problemResponses(400, 401, 404, 409, 422) },
});
