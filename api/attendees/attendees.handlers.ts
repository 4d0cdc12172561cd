import type { z } from '@hono/zod-openapi';
import {
  type AttendeeSort,
  attendeeAnalytics,
  attendeeHistory,
  findAttendee,
  type HistoryRow,
  listAttendees,
  sortValue,
} from '../../db/queries/attendees';
import { eventRules, findEvent } from '../../db/queries/events';
import {
  type Command,
  chatPermission as decideChatPermission,
  normalizeRoles,
  PROFILE_ROLES,
  type Role,
} from '../../domain/attendee-lifecycle';
import { hashSecret, newToken } from '../../domain/secrets';
import { assertInsideIdpGroups } from '../access/access.rules';
import { DuplicateInviteError, startInvite, validInvitee } from '../access/invite';
import type { AppEnv } from '../context';
import { attachImage, checkImage } from '../images/images.index';
import { notFound, ProblemError } from '../problem';
import { type AppRouteHandler, parseOr422 } from '../router';
import { decodeCursor, encodeCursor } from '../schemas';
import { assertAllowed, toAttendeeDto } from '../shared/attendee-dto';
import { sendCommand } from '../shared/commands';
import * as routes from './attendees.routes';

/** The form's fields as the JSON body has them, and its image checked by its bytes. */
async function fromForm(form: z.infer<typeof routes.InviteForm>) {
  const { image, roles, sendEmail, ...fields } = form;
  const roleList = (Array.isArray(roles) ? roles : roles ? [roles] : []).flatMap((r) => r.split(/[|,]/));
  const body = parseOr422(routes.InviteBody, {
    ...fields,
    roles: roleList,
    sendEmail: sendEmail !== 'false',
  });
  const checked = image ? checkImage(new Uint8Array(await image.arrayBuffer()), image.type) : null;
  return { body, image: checked };
}

export const invite: AppRouteHandler<typeof routes.inviteAttendee> = async (c) => {
  const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
  // The route declares both media types, so `valid` is typed as either; each is what its validator checked.
  const { body, image } = multipart
    ? await fromForm(c.req.valid('form') as unknown as z.infer<typeof routes.InviteForm>)
    : { body: parseOr422(routes.InviteBody, c.req.valid('json')), image: null };
  const { eventId } = c.req.valid('param');
  const { em } = c.var;
  // The event's rules only (its sessions are not needed): one query.
  const event = await findEvent(em, c.var.organizationId, eventId, { sessions: false });
  if (!event) throw notFound('The event');

  const person = validInvitee(body);
  // Checked before anyone is invited, so a refused image invites nobody.
  if (image && !person.roles.some((r: Role) => PROFILE_ROLES.has(r))) {
    throw new ProblemError(422, 'validation_failed', 'Only speakers and moderators have a profile image.', [
      { path: 'image', code: 'profile_needs_role', message: 'Give the speaker or moderator role.' },
    ]);
  }
  // Closed events without outsiders: only members of the granted IdP groups (409 outside_idp_groups).
  await assertInsideIdpGroups(em, event, person.emailKey);

  const row = await startInvite(c.var.deps, event, person, {
    sendEmail: body.sendEmail,
    by: c.var.actor,
  }).catch((error: unknown) => {
    if (error instanceof DuplicateInviteError) throw new ProblemError(409, 'duplicate_email', error.message);
    throw error;
  });
  if (!image) return c.json(toAttendeeDto(row), 201);
  await attachImage(c.var.deps, em, {
    organizationId: c.var.organizationId,
    row,
    event,
    image,
    by: c.var.actor,
    baseUrl: c.req.url,
  });
  const after = await findAttendee(em, c.var.organizationId, eventId, row.id);
  if (!after) throw notFound('The attendee');
  return c.json(toAttendeeDto(after), 201);
};

const listWithRole =
  (forcedRole?: 'speaker' | 'moderator'): AppRouteHandler<typeof routes.listAttendees> =>
  async (c) => {
    const { eventId } = c.req.valid('param');
    const { limit, cursor, sort, ...filter } = c.req.valid('query');
    const after = cursor ? decodeCursor(cursor, sort) : null;
    if (cursor && !after) {
      if (!(await findEvent(c.var.em, c.var.organizationId, eventId, { sessions: false })))
        throw notFound('The event');
      throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list and sort.');
    }
    // Checks the event's organization in the same statement; null when it is not found.
    const page = await listAttendees(
      c.var.em,
      c.var.organizationId,
      eventId,
      { ...filter, role: forcedRole ?? filter.role },
      sort as AttendeeSort,
      limit,
      after,
    );
    if (!page) throw notFound('The event');
    const last = page.items.at(-1);
    return c.json(
      {
        items: page.items.map(toAttendeeDto),
        nextCursor:
          page.hasMore && last ? encodeCursor(sort, sortValue(last, sort as AttendeeSort), last.id) : null,
        total: page.total,
      },
      200,
    );
  };

export const list = listWithRole();
export const speakers = listWithRole('speaker');
export const moderators = listWithRole('moderator');

export const get: AppRouteHandler<typeof routes.getAttendee> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const { em } = c.var;
  const row = await findAttendee(em, c.var.organizationId, eventId, attendeeId);
  if (!row) throw notFound('The attendee');
  const history = await attendeeHistory(em, row.id);
  return c.json(
    {
      ...toAttendeeDto(row),
      history: history.map((h: HistoryRow) => ({
        at: new Date(h.at).toISOString(),
        status: h.status,
        detailedStatus: h.detailed_status,
        by: h.actor,
      })),
    },
    200,
  );
};

/** The attendee and its event's rules (sessions are not needed for a command). */
async function loadAttendee(c: { var: AppEnv['Variables'] }, eventId: string, attendeeId: string) {
  const { em, organizationId } = c.var;
  const [row, event] = await Promise.all([
    findAttendee(em, organizationId, eventId, attendeeId),
    findEvent(em, organizationId, eventId, { sessions: false }),
  ]);
  if (!row) throw notFound('The attendee');
  if (!event) throw notFound('The event');
  return { em, row, event };
}

export const action: AppRouteHandler<typeof routes.runAction> = async (c) => {
  const { eventId, attendeeId, action } = c.req.valid('param');
  const { em, row, event } = await loadAttendee(c, eventId, attendeeId);
  // Checked here against the read model for a fast answer; the workflow checks again on its own state.
  assertAllowed(row, action);
  // A login link's token is made here and only its hash goes to the workflow: no usable token
  // ever sits in Temporal's history (nor, see secretAnswer, in an idempotency record).
  const loginToken = action === 'generate_login_link' ? newToken() : undefined;
  const result = await sendCommand(c.var.deps, row, {
    command: { type: action } as Command,
    event: eventRules(event),
    by: c.var.actor,
    ...(loginToken ? { loginTokenHash: hashSecret(loginToken) } : {}),
  });
  if (loginToken && result.loginLink) {
    const url = new URL(result.loginLink.url);
    url.searchParams.set('token', loginToken);
    c.set('secretAnswer', true);
    return c.json({ url: url.toString(), expiresAt: result.loginLink.expiresAt }, 200);
  }
  if (action === 'remove') return c.json({ ...toAttendeeDto(row), actions: [] }, 200);
  const after = await findAttendee(em, c.var.organizationId, eventId, attendeeId);
  if (!after) throw notFound('The attendee');
  return c.json(toAttendeeDto(after), 200);
};

export const patch: AppRouteHandler<typeof routes.patchAttendee> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const body = c.req.valid('json');
  const { em, row, event } = await loadAttendee(c, eventId, attendeeId);
  assertAllowed(row, 'edit');
  const roles = body.roles ? normalizeRoles(body.roles) : row.roles;
  // Title and company are for everyone; the bio only for speakers and moderators.
  if (body.bio && !roles.some((r: Role) => PROFILE_ROLES.has(r))) {
    throw new ProblemError(422, 'validation_failed', 'The bio is only for speakers and moderators.', [
      { path: 'bio', code: 'profile_needs_role', message: 'bio needs the speaker or moderator role.' },
    ]);
  }
  await sendCommand(c.var.deps, row, {
    command: { type: 'edit' },
    event: eventRules(event),
    by: c.var.actor,
    profile: { ...body, ...(body.roles ? { roles } : {}) },
  });
  const after = await findAttendee(em, c.var.organizationId, eventId, attendeeId);
  if (!after) throw notFound('The attendee');
  return c.json(toAttendeeDto(after), 200);
};

export const chatPermission: AppRouteHandler<typeof routes.getChatPermission> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const row = await findAttendee(c.var.em, c.var.organizationId, eventId, attendeeId);
  if (!row) throw notFound('The attendee');
  const answer = decideChatPermission({
    status: row.status,
    chatTermsAgreed: row.chat_terms_agreed,
    chatBlocked: row.chat_blocked,
  });
  return c.json({ attendeeId: row.id, ...answer }, 200);
};

export const analytics: AppRouteHandler<typeof routes.getAnalytics> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const { em, row } = await loadAttendee(c, eventId, attendeeId);
  assertAllowed(row, 'view_analytics');
  const data = await attendeeAnalytics(em, row.id);
  return c.json(data, 200);
};
