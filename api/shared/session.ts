import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { findAttendee } from '../../db/queries/attendees';
import { findSession } from '../../db/queries/tokens';
import type { AppEnv } from '../context';
import { ProblemError } from '../problem';

const NO_SESSION = 'Log in first: the session is missing, expired or ended.';

/** The attendee session's token: `Authorization: Bearer <session>`. */
export const sessionToken = (c: Context) =>
  /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** Attendee-facing routes that need a login: sets `attendeeSession`, else 401 invalid_session. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = sessionToken(c);
  const found = token ? await findSession(c.var.em, token) : null;
  if (!found) throw new ProblemError(401, 'invalid_session', NO_SESSION);
  c.set('attendeeSession', {
    attendeeId: found.attendee_id,
    eventId: found.event_id,
    organizationId: found.organization_id,
  });
  await next();
});

/** The attendee behind the request's session (after requireSession). */
export async function sessionAttendee(c: { var: AppEnv['Variables'] }) {
  const { attendeeId, eventId, organizationId } = c.var.attendeeSession;
  const row = await findAttendee(c.var.em, organizationId, eventId, attendeeId);
  if (!row) throw new ProblemError(401, 'invalid_session', 'The session ended.');
  return row;
}

export const invalidSession = () => new ProblemError(401, 'invalid_session', NO_SESSION);
