import { createRoute, type RouteHandler, z } from '@hono/zod-openapi';
import { Event } from '../../db/entities';
import { assertInsideIdpGroups } from '../access/access.rules';
import { DuplicateInviteError, startInvite, validInvitee } from '../access/invite';
import type { AppDeps, AppEnv } from '../context';
import { notFound, problemResponses } from '../problem';
import { IdParam } from '../schemas';

// Shapes only: the rules are checkInvitee's, the same as for invites and CSV rows.
const text = (description: string) => z.string().max(10_000).optional().openapi({ description });

export const RegistrationBody = z
  .object({
    email: z.string().max(1000).openapi({ example: 'ada@example.com' }),
    firstName: text('Required, at most 100 characters.'),
    lastName: text('Required, at most 100 characters.'),
    language: z.string().max(40).optional().openapi({
      description: "A language code or name (de, German, Deutsch); defaults to the event's defaultLanguage.",
    }),
    company: text('At most 200 characters.'),
    title: text('At most 200 characters.'),
  })
  .openapi('Registration');

export const register = createRoute({
  method: 'post',
  path: '/v1/public/events/{eventId}/registrations',
  tags: ['Attendee-facing'],
  summary:
    'Register on the event’s published registration page. Always 202 for a valid request: the answer never reveals whether the address was known.',
  description:
    'Only when the event has `publishedRegistration` (404 otherwise). A new address becomes an attendee with status `registered` / `registered` and gets the registration confirmation email; when the event requires email confirmation it gets the confirm link first, and confirming lands on `confirmed_email`. An address already in the event changes nothing (ask for a login link instead).',
  security: [],
  request: {
    params: z.object({ eventId: IdParam('eventId') }),
    body: { content: { 'application/json': { schema: RegistrationBody } }, required: true },
  },
  responses: {
    202: {
      description: 'Accepted: the email with the next step is on its way',
      content: { 'application/json': { schema: z.object({ status: z.literal('accepted') }) } },
    },
    ...problemResponses(404, 409, 422, 429),
  },
});

export const registerHandler: RouteHandler<typeof register, AppEnv> = async (c) => {
  await registerPublished(c.var.deps, c.req.valid('param').eventId, c.req.valid('json'));
  return c.json({ status: 'accepted' as const }, 202);
};

/** A registration on the event's published page (API and attendee pages); known addresses change nothing. */
export async function registerPublished(
  deps: AppDeps,
  eventId: string,
  body: z.infer<typeof RegistrationBody>,
) {
  const em = deps.orm.em.fork();
  const event = await em.findOne(Event, { id: eventId });
  if (!event?.publishedRegistration) throw notFound('The event’s registration');
  const person = validInvitee({ ...body, roles: [] });
  // Closed events that admit only their IdP groups refuse outsiders here too (409 outside_idp_groups).
  await assertInsideIdpGroups(em, event, person.emailKey);
  try {
    await startInvite(deps, event, person, { sendEmail: true, by: 'attendee', selfRegistered: true });
  } catch (error) {
    // Known addresses answer like new ones (no enumeration); nothing changes for them.
    if (!(error instanceof DuplicateInviteError)) throw error;
  }
}
