import type { RouteHandler, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { hashToken, newToken } from '../../activities/tokens';
import { Event } from '../../db/entities';
import {
  type AttendeeRow,
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
  type ActionContext,
  allowedActions,
  type Command,
  chatPermission as decideChatPermission,
  isActionAllowed,
  normalizeRoles,
  PROFILE_ROLES,
  type Role,
} from '../../domain/attendee-lifecycle';
import { FailureType } from '../../domain/errors';
import { type CommandInput, commandUpdate } from '../../workflows/attendee/definitions';
import { assertInsideIdpGroups } from '../access/access.rules';
import { DuplicateInviteError, startInvite, validInvitee } from '../access/invite';
import type { AppEnv } from '../context';
import { attachImage, checkImage } from '../images/images.index';
import { notFound, ProblemError } from '../problem';
import { parseOr422 } from '../router';
import { decodeCursor, encodeCursor } from '../schemas';
import * as routes from './attendees.routes';

const actionContext = (row: AttendeeRow): ActionContext => ({
  status: row.status,
  chatTermsAgreed: row.chat_terms_agreed,
  chatBlocked: row.chat_blocked,
  loginMode: row.login_mode,
  mustRegister: row.awaiting_confirmation || (row.status === 'invited' && row.requires_registration),
});

export function toAttendeeDto(row: AttendeeRow) {
  const profile = row.roles.some((r) => PROFILE_ROLES.has(r));
  return {
    id: row.id,
    eventId: row.event_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    language: row.language,
    roles: row.roles,
    status: row.status,
    detailedStatus: row.detailed_status,
    ...(row.title ? { title: row.title } : {}),
    ...(row.company ? { company: row.company } : {}),
    ...(profile && row.bio ? { bio: row.bio } : {}),
    ...(profile && row.image_url ? { imageUrl: row.image_url } : {}),
    chatBlocked: row.chat_blocked,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    actions: allowedActions(actionContext(row)),
  };
}

/** Business failures raised in the workflow arrive wrapped; map their type to the API's answer. */
function mapUpdateFailure(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    if (type === FailureType.duplicateEmail) throw new ProblemError(409, 'duplicate_email', message);
    if (type === FailureType.actionNotAllowed) throw new ProblemError(409, 'action_not_allowed', message);
  }
  throw error;
}

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

export const invite: RouteHandler<typeof routes.inviteAttendee, AppEnv> = async (c) => {
  const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
  // The route declares both media types, so `valid` is typed as either; each is what its validator checked.
  const { body, image } = multipart
    ? await fromForm(c.req.valid('form') as unknown as z.infer<typeof routes.InviteForm>)
    : { body: parseOr422(routes.InviteBody, c.req.valid('json')), image: null };
  const { eventId } = c.req.valid('param');
  const { orm } = c.var.deps;
  const em = orm.em.fork();
  // The event's rules only (its sessions are not needed): one query.
  const event = await em.findOne(Event, { id: eventId, organization: c.var.organizationId });
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
  await attachImage(c.var.deps, {
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
  (forcedRole?: 'speaker' | 'moderator'): RouteHandler<typeof routes.listAttendees, AppEnv> =>
  async (c) => {
    const { eventId } = c.req.valid('param');
    const { limit, cursor, sort, ...filter } = c.req.valid('query');
    const after = cursor ? decodeCursor(cursor, sort) : null;
    if (cursor && !after) {
      if (!(await findEvent(c.var.deps.orm.em.fork(), c.var.organizationId, eventId)))
        throw notFound('The event');
      throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list and sort.');
    }
    // Checks the event's organization in the same statement; null when it is not found.
    const page = await listAttendees(
      c.var.deps.orm.em.fork(),
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

export const get: RouteHandler<typeof routes.getAttendee, AppEnv> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const em = c.var.deps.orm.em.fork();
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

/** Sends a command to the attendee's workflow; the workflow's validator refuses with the reason (409). */
export async function sendCommand(
  deps: AppEnv['Variables']['deps'],
  row: AttendeeRow,
  input: Omit<CommandInput, 'at'> & { at?: string },
) {
  return deps.temporal.workflow
    .getHandle(row.workflow_id)
    .executeUpdate(commandUpdate, { args: [{ at: new Date().toISOString(), ...input }] })
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw notFound('The attendee');
      return mapUpdateFailure(error);
    });
}

function assertAllowed(row: AttendeeRow, action: Parameters<typeof isActionAllowed>[1]) {
  if (!isActionAllowed(actionContext(row), action)) {
    throw new ProblemError(
      409,
      'action_not_allowed',
      `The action ${action} is not allowed while the attendee is ${row.status}.`,
    );
  }
}

async function loadAttendee(c: { var: AppEnv['Variables'] }, eventId: string, attendeeId: string) {
  const em = c.var.deps.orm.em.fork();
  const row = await findAttendee(em, c.var.organizationId, eventId, attendeeId);
  if (!row) throw notFound('The attendee');
  const event = await findEvent(em, c.var.organizationId, eventId);
  if (!event) throw notFound('The event');
  return { em, row, event };
}

export const action: RouteHandler<typeof routes.runAction, AppEnv> = async (c) => {
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
    ...(loginToken ? { loginTokenHash: hashToken(loginToken) } : {}),
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

export const patch: RouteHandler<typeof routes.patchAttendee, AppEnv> = async (c) => {
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

export const chatPermission: RouteHandler<typeof routes.getChatPermission, AppEnv> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const row = await findAttendee(c.var.deps.orm.em.fork(), c.var.organizationId, eventId, attendeeId);
  if (!row) throw notFound('The attendee');
  const answer = decideChatPermission({
    status: row.status,
    chatTermsAgreed: row.chat_terms_agreed,
    chatBlocked: row.chat_blocked,
  });
  return c.json({ attendeeId: row.id, ...answer }, 200);
};

export const analytics: RouteHandler<typeof routes.getAnalytics, AppEnv> = async (c) => {
  const { eventId, attendeeId } = c.req.valid('param');
  const { em, row } = await loadAttendee(c, eventId, attendeeId);
  assertAllowed(row, 'view_analytics');
  const data = await attendeeAnalytics(em, row.id);
  return c.json(data, 200);
};
