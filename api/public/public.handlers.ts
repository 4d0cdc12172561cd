import { WithStartWorkflowOperation } from '@temporalio/client';
import { type AttendeeRow, findAttendee, findAttendeeByEmail } from '../../db/queries/attendees';
import { type EventLoad, type EventRow, eventRules, findEventById } from '../../db/queries/events';
import {
  consumeToken,
  createSession,
  endSession,
  releaseToken,
  type TokenKind,
} from '../../db/queries/tokens';
import type { Command } from '../../domain/attendee-lifecycle';
import { emailKey } from '../../domain/email-address';
import { hashSecret } from '../../domain/secrets';
import {
  ATTENDEE_WORKFLOW_TYPE,
  requestLoginLinkUpdate,
  visitSignal,
} from '../../workflows/attendee/definitions';
import { assertInsideIdpGroups } from '../access/access.rules';
import type { AppDeps, AppEnv } from '../context';
import { notFound, ProblemError } from '../problem';
import { hit } from '../rate-limit';
import type { AppRouteHandler } from '../router';
import { toPublic } from '../shared/attendee-dto';
import { calendarResponse } from '../shared/calendar';
import { sendCommand, signalAttendee, workflowStart } from '../shared/commands';
import { invalidSession, sessionAttendee, sessionToken } from '../shared/session';
import type * as routes from './public.routes';

const INVALID_TOKEN = 'The link is invalid, has expired or was used already.';

/** Spends a token on one command; gives the token back if the command failed for a passing reason. */
async function withToken(
  c: { var: AppEnv['Variables'] },
  token: string,
  kinds: TokenKind[],
  command: (row: AttendeeRow, event: EventRow, tokenKind: TokenKind) => Promise<unknown>,
) {
  const { em } = c.var;
  const spent = await consumeToken(em, token, kinds);
  if (!spent) throw new ProblemError(401, 'invalid_token', INVALID_TOKEN);
  // The event's rules only: a command needs no sessions.
  const event = await findEventById(em, spent.event_id, { sessions: false });
  const row = event ? await findAttendee(em, event.organization.id, spent.event_id, spent.attendee_id) : null;
  if (!event || !row) throw new ProblemError(401, 'invalid_token', INVALID_TOKEN);
  try {
    await command(row, event, spent.kind);
  } catch (error) {
    if (!(error instanceof ProblemError)) await releaseToken(em, spent.id);
    throw error;
  }
  const after = await findAttendee(em, event.organization.id, spent.event_id, spent.attendee_id);
  if (!after) throw notFound('The attendee');
  return { event, row: after };
}

/** A command of the attendee themselves on their workflow. */
const attendeeCommand = (
  c: { var: AppEnv['Variables'] },
  row: AttendeeRow,
  event: EventRow,
  command: Command,
  profile?: object,
) => sendCommand(c.var.deps, row, { command, event: eventRules(event), by: 'attendee', profile });

/** The event of a session's attendee; its sessions only where a visit names one. */
async function sessionEvent(
  c: { var: AppEnv['Variables'] },
  row: AttendeeRow,
  load: EventLoad = { sessions: false },
) {
  const event = await findEventById(c.var.em, row.event_id, load);
  if (!event) throw notFound('The event');
  return event;
}

/** Accepts an invitation with its token: the API's and the attendee pages' one way. The attendee after. */
export async function acceptInvitation(
  c: { var: AppEnv['Variables'] },
  token: string,
  profile: { firstName?: string; lastName?: string; answers?: Record<string, unknown> },
) {
  const { row } = await withToken(c, token, ['invitation'], async (attendee, event) => {
    // A closed event that admits only its IdP groups checks the directory at registration too.
    await assertInsideIdpGroups(c.var.em, event, attendee.email_key);
    return attendeeCommand(c, attendee, event, { type: 'accept' }, profile);
  });
  return row;
}

export const accept: AppRouteHandler<typeof routes.accept> = async (c) => {
  const row = await acceptInvitation(c, c.req.valid('param').token, c.req.valid('json') ?? {});
  return c.json({ attendee: toPublic(row) }, 200);
};

/** Confirms the email address with the confirmation email's token (API and attendee pages). */
export async function confirmRegistration(c: { var: AppEnv['Variables'] }, token: string) {
  const { row } = await withToken(c, token, ['registration_confirmation'], (attendee, event) =>
    attendeeCommand(c, attendee, event, { type: 'confirm' }),
  );
  return row;
}

export const confirm: AppRouteHandler<typeof routes.confirm> = async (c) => {
  const row = await confirmRegistration(c, c.req.valid('json').token);
  return c.json({ attendee: toPublic(row) }, 200);
};

/** Exchanges a login (or invitation) token for a session (API and attendee pages). */
export async function loginWithToken(c: { var: AppEnv['Variables'] }, token: string) {
  const at = new Date().toISOString();
  const { row } = await withToken(c, token, ['login_link', 'invitation'], async (attendee, event) => {
    if (attendee.login_mode !== 'magic_link') {
      throw new ProblemError(409, 'action_not_allowed', 'This event uses single sign-on.');
    }
    return attendeeCommand(c, attendee, event, { type: 'login', at });
  });
  const session = await createSession(c.var.em, row.id);
  return { session, row };
}

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { session, row } = await loginWithToken(c, c.req.valid('json').token);
  return c.json({ session: session.token, expiresAt: session.expiresAt, attendee: toPublic(row) }, 200);
};

/** Login-link emails one address can be sent an hour, whoever asks. */
export const LOGIN_LINK_EMAILS = { name: 'login-link-recipient', limit: 5, windowSeconds: 3600 };

export const loginLink: AppRouteHandler<typeof routes.loginLink> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { email } = c.req.valid('json');
  requestLoginLink(c.var.deps, eventId, email);
  return c.json({ status: 'accepted' as const }, 202);
};

/** Asks for a login-link email; returns at once, whatever the address, so the answer reveals nothing. */
export function requestLoginLink(deps: AppDeps, eventId: string, email: string) {
  // Not awaited: known, unknown, refused and throttled addresses answer alike, and as fast.
  void (async () => {
    const key = emailKey(email);
    // Per recipient too, so rotating client addresses cannot flood one inbox. Counted for every
    // address asked for, known or not; stored as a hash, not the address.
    const recipient = hashSecret(key);
    if ((await hit(deps, LOGIN_LINK_EMAILS, recipient)).over) {
      deps.logger.info('login link not sent: too many for this recipient');
      return;
    }
    // Its own EntityManager: this outlives the request.
    const em = deps.orm.em.fork();
    const row = await findAttendeeByEmail(em, eventId, key);
    const event = row ? await findEventById(em, eventId, { sessions: false }) : null;
    if (!row || !event) return;
    // A workflow that ended starts again from the attendee row.
    await deps.temporal.workflow.executeUpdateWithStart(requestLoginLinkUpdate, {
      args: [{ event: eventRules(event), at: new Date().toISOString() }],
      startWorkflowOperation: new WithStartWorkflowOperation(ATTENDEE_WORKFLOW_TYPE, {
        ...(await workflowStart(deps, row.id)),
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  })().catch((error: unknown) => deps.logger.info({ err: String(error) }, 'login link not sent'));
}

export const unregisterSelf = async (c: { var: AppEnv['Variables'] }, row: AttendeeRow) =>
  attendeeCommand(c, row, await sessionEvent(c, row), { type: 'unregister' });

export const unregister: AppRouteHandler<typeof routes.unregister> = async (c) => {
  const row = await sessionAttendee(c);
  if (row.event_id !== c.req.valid('param').eventId) throw notFound('The event');
  await unregisterSelf(c, row);
  return c.json(
    { attendee: toPublic({ ...row, status: 'unregistered', detailed_status: 'unregistered' }) },
    200,
  );
};

export const chatTerms: AppRouteHandler<typeof routes.chatTerms> = async (c) => {
  const row = await sessionAttendee(c);
  await attendeeCommand(c, row, await sessionEvent(c, row), { type: 'agree_chat_terms' });
  return c.json({ attendee: toPublic({ ...row, chat_terms_agreed: true }) }, 200);
};

export const visit: AppRouteHandler<typeof routes.visit> = async (c) => {
  const body = c.req.valid('json');
  const row = await sessionAttendee(c);
  const event = await sessionEvent(c, row, { sessions: body.kind === 'session' });
  if (body.kind === 'session' && !event.sessions.getItems().some((s) => s.id === body.sessionId)) {
    throw new ProblemError(422, 'validation_failed', 'sessionId must be one of the event’s sessions.', [
      { path: 'sessionId', code: 'unknown_session', message: 'Not a session of this event.' },
    ]);
  }
  await signalAttendee(c.var.deps, row, visitSignal, {
    at: new Date().toISOString(),
    kind: body.kind,
    sessionId: body.kind === 'session' ? body.sessionId : undefined,
    event: eventRules(event),
  });
  return c.json({ status: 'accepted' as const }, 202);
};

/** Any session that was issued may be ended, also one a block or removal has made unusable. */
export const logout: AppRouteHandler<typeof routes.logout> = async (c) => {
  const token = sessionToken(c);
  if (!token || !(await endSession(c.var.em, token))) throw invalidSession();
  return c.body(null, 204);
};

export const me: AppRouteHandler<typeof routes.me> = async (c) => {
  return c.json({ attendee: toPublic(await sessionAttendee(c)) }, 200);
};

/** The session's own event only: another event's id answers 404, as an unknown one does. */
export const calendar: AppRouteHandler<typeof routes.calendar> = async (c) => {
  const row = await sessionAttendee(c);
  const { eventId } = c.req.valid('param');
  const event = row.event_id === eventId ? await findEventById(c.var.em, eventId) : null;
  if (!event) throw notFound('The event');
  return calendarResponse(c, event);
};
