import { createHash } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type AttendeeRow, findAttendee, findAttendeeByEmail } from '../../db/queries/attendees';
import { eventRules, findEventById } from '../../db/queries/events';
import {
  consumeToken,
  createSession,
  endSession,
  findSession,
  releaseToken,
  type TokenKind,
} from '../../db/queries/tokens';
import type { Command } from '../../domain/attendee-lifecycle';
import { emailKey } from '../../domain/email-address';
import { requestLoginLinkUpdate, visitSignal } from '../../workflows/attendee/definitions';
import { assertInsideIdpGroups } from '../access/access.rules';
import { sendCommand } from '../attendees/attendees.handlers';
import type { AppEnv } from '../context';
import { notFound, ProblemError } from '../problem';
import { hit } from '../rate-limit';
import type * as routes from './public.routes';

const INVALID_TOKEN = 'The link is invalid, has expired or was used already.';

/** What an attendee sees of themselves on the attendee-facing routes. */
export function toPublic(row: AttendeeRow) {
  return {
    id: row.id,
    eventId: row.event_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    language: row.language,
    status: row.status,
    detailedStatus: row.detailed_status,
    chatTermsAgreed: row.chat_terms_agreed,
    // The chat state, so the event site can show the terms or a "blocked from chat" notice.
    chat: { termsAgreed: row.chat_terms_agreed, blocked: row.chat_blocked },
  };
}

const sessionToken = (c: Context) => /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** Attendee-facing routes that need a login: `Authorization: Bearer <session>`. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = sessionToken(c);
  const found = token ? await findSession(c.var.deps.orm.em.fork(), token) : null;
  if (!found)
    throw new ProblemError(401, 'invalid_session', 'Log in first: the session is missing, expired or ended.');
  c.set('attendeeSession', {
    attendeeId: found.attendee_id,
    eventId: found.event_id,
    organizationId: found.organization_id,
  });
  await next();
});

/** Spends a token on one command; gives the token back if the command failed for a passing reason. */
async function withToken(
  c: { var: AppEnv['Variables'] },
  token: string,
  kinds: TokenKind[],
  command: (row: AttendeeRow, tokenKind: TokenKind) => Promise<unknown>,
) {
  const em = c.var.deps.orm.em.fork();
  const spent = await consumeToken(em, token, kinds);
  if (!spent) throw new ProblemError(401, 'invalid_token', INVALID_TOKEN);
  const event = await findEventById(em, spent.event_id);
  const row = event ? await findAttendee(em, event.organization.id, spent.event_id, spent.attendee_id) : null;
  if (!event || !row) throw new ProblemError(401, 'invalid_token', INVALID_TOKEN);
  try {
    await command(row, spent.kind);
  } catch (error) {
    if (!(error instanceof ProblemError)) await releaseToken(em, spent.id);
    throw error;
  }
  const after = await findAttendee(em, event.organization.id, spent.event_id, spent.attendee_id);
  if (!after) throw notFound('The attendee');
  return { event, row: after };
}

async function commandFor(
  c: { var: AppEnv['Variables'] },
  row: AttendeeRow,
  command: Command,
  profile?: object,
) {
  const event = await findEventById(c.var.deps.orm.em.fork(), row.event_id);
  if (!event) throw notFound('The event');
  return sendCommand(c.var.deps, row, { command, event: eventRules(event), by: 'attendee', profile });
}

export const accept: RouteHandler<typeof routes.accept, AppEnv> = async (c) => {
  const { token } = c.req.valid('param');
  const body = c.req.valid('json') ?? {};
  const { row } = await withToken(c, token, ['invitation'], async (attendee) => {
    // A closed event that admits only its IdP groups checks the directory at registration too.
    const em = c.var.deps.orm.em.fork();
    const event = await findEventById(em, attendee.event_id);
    if (event) await assertInsideIdpGroups(em, event, attendee.email_key);
    return commandFor(c, attendee, { type: 'accept' }, body);
  });
  return c.json({ attendee: toPublic(row) }, 200);
};

export const confirm: RouteHandler<typeof routes.confirm, AppEnv> = async (c) => {
  const { token } = c.req.valid('json');
  const { row } = await withToken(c, token, ['registration_confirmation'], (attendee) =>
    commandFor(c, attendee, { type: 'confirm' }),
  );
  return c.json({ attendee: toPublic(row) }, 200);
};

export const login: RouteHandler<typeof routes.login, AppEnv> = async (c) => {
  const { token } = c.req.valid('json');
  const at = new Date().toISOString();
  const { row } = await withToken(c, token, ['login_link', 'invitation'], async (attendee) => {
    if (attendee.login_mode !== 'magic_link') {
      throw new ProblemError(409, 'action_not_allowed', 'This event uses single sign-on.');
    }
    return commandFor(c, attendee, { type: 'login', at });
  });
  const session = await createSession(c.var.deps.orm.em.fork(), row.id);
  return c.json({ session: session.token, expiresAt: session.expiresAt, attendee: toPublic(row) }, 200);
};

/** Login-link emails one address can be sent an hour, whoever asks. */
export const LOGIN_LINK_EMAILS = { name: 'login-link-recipient', limit: 5, windowSeconds: 3600 };

export const loginLink: RouteHandler<typeof routes.loginLink, AppEnv> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { email } = c.req.valid('json');
  const { deps } = c.var;
  // Not awaited: known, unknown, refused and throttled addresses answer alike, and as fast.
  void (async () => {
    const key = emailKey(email);
    // Per recipient too, so rotating client addresses cannot flood one inbox. Counted for every
    // address asked for, known or not; stored as a hash, not the address.
    const recipient = createHash('sha256').update(key).digest('hex');
    if ((await hit(deps, LOGIN_LINK_EMAILS, recipient)).over) {
      deps.logger.info('login link not sent: too many for this recipient');
      return;
    }
    const em = deps.orm.em.fork();
    const row = await findAttendeeByEmail(em, eventId, key);
    const event = row ? await findEventById(em, eventId) : null;
    if (!row || !event) return;
    await deps.temporal.workflow.getHandle(row.workflow_id).executeUpdate(requestLoginLinkUpdate, {
      args: [{ event: eventRules(event), at: new Date().toISOString() }],
    });
  })().catch((error: unknown) => deps.logger.info({ err: String(error) }, 'login link not sent'));
  return c.json({ status: 'accepted' as const }, 202);
};

async function sessionAttendee(c: { var: AppEnv['Variables'] }) {
  const { attendeeId, eventId, organizationId } = c.var.attendeeSession;
  const row = await findAttendee(c.var.deps.orm.em.fork(), organizationId, eventId, attendeeId);
  if (!row) throw new ProblemError(401, 'invalid_session', 'The session ended.');
  return row;
}

export const unregister: RouteHandler<typeof routes.unregister, AppEnv> = async (c) => {
  const row = await sessionAttendee(c);
  if (row.event_id !== c.req.valid('param').eventId) throw notFound('The event');
  await commandFor(c, row, { type: 'unregister' });
  return c.json(
    { attendee: toPublic({ ...row, status: 'unregistered', detailed_status: 'unregistered' }) },
    200,
  );
};

export const chatTerms: RouteHandler<typeof routes.chatTerms, AppEnv> = async (c) => {
  const row = await sessionAttendee(c);
  await commandFor(c, row, { type: 'agree_chat_terms' });
  return c.json({ attendee: toPublic({ ...row, chat_terms_agreed: true }) }, 200);
};

export const visit: RouteHandler<typeof routes.visit, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const row = await sessionAttendee(c);
  const event = await findEventById(c.var.deps.orm.em.fork(), row.event_id);
  if (!event) throw notFound('The event');
  if (body.kind === 'session' && !event.sessions.getItems().some((s) => s.id === body.sessionId)) {
    throw new ProblemError(422, 'validation_failed', 'sessionId must be one of the event’s sessions.', [
      { path: 'sessionId', code: 'unknown_session', message: 'Not a session of this event.' },
    ]);
  }
  await c.var.deps.temporal.workflow.getHandle(row.workflow_id).signal(visitSignal, {
    at: new Date().toISOString(),
    kind: body.kind,
    sessionId: body.kind === 'session' ? body.sessionId : undefined,
    event: eventRules(event),
  });
  return c.json({ status: 'accepted' as const }, 202);
};

/** Any session that was issued may be ended, also one a block or removal has made unusable. */
export const logout: RouteHandler<typeof routes.logout, AppEnv> = async (c) => {
  const token = sessionToken(c);
  if (!token || !(await endSession(c.var.deps.orm.em.fork(), token)))
    throw new ProblemError(401, 'invalid_session', 'Log in first: the session is missing, expired or ended.');
  return c.body(null, 204);
};

export const me: RouteHandler<typeof routes.me, AppEnv> = async (c) => {
  return c.json({ attendee: toPublic(await sessionAttendee(c)) }, 200);
};
