import {
  type AccessGroupRow,
  findAccessGroup,
  grantGroup,
  listAccessGroups,
  revokeGroup,
  setAllowOutsideIdpGroups,
} from '../../db/queries/directory/event-access';
import { findEvent } from '../../db/queries/events';
import type { AppEnv } from '../context';
import { notFound, ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { decodeCursor, encodeCursor } from '../schemas';
import type * as routes from './access.routes';
import { ensureAccessSweepSchedule, requestAccessReconciliation } from './access.temporal';

const toDto = (row: AccessGroupRow) => ({
  id: row.id,
  displayName: row.display_name,
  memberCount: Number(row.member_count),
  granted: row.granted,
});

/** The event if it is the organization's (else 404) and closed (else 409 event_not_closed). */
async function closedEvent(c: { var: AppEnv['Variables'] }, eventId: string) {
  const { em } = c.var;
  const event = await findEvent(em, c.var.organizationId, eventId);
  if (!event) throw notFound('The event');
  if (!event.closed) {
    throw new ProblemError(
      409,
      'event_not_closed',
      'Event access applies to closed events only (closed: true, loginMode: "sso").',
    );
  }
  return { em, event };
}

async function accessGroup(c: { var: AppEnv['Variables'] }, eventId: string, groupId: string) {
  const row = await findAccessGroup(c.var.em, c.var.organizationId, eventId, groupId);
  if (!row) throw notFound('The group');
  return row;
}

export const list: AppRouteHandler<typeof routes.listAccessGroups> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { filter, q, limit, cursor } = c.req.valid('query');
  const { em, event } = await closedEvent(c, eventId);
  const after = cursor ? decodeCursor(cursor, 'name') : null;
  if (cursor && !after)
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  const page = await listAccessGroups(em, c.var.organizationId, event.id, { filter, q, limit, after });
  const last = page.items.at(-1);
  return c.json(
    {
      items: page.items.map(toDto),
      nextCursor: page.hasMore && last ? encodeCursor('name', last.display_name_key, last.id) : null,
      total: page.total,
    },
    200,
  );
};

export const grant: AppRouteHandler<typeof routes.grantAccessGroup> = async (c) => {
  const { eventId, groupId } = c.req.valid('param');
  const { em, event } = await closedEvent(c, eventId);
  await accessGroup(c, event.id, groupId);
  await grantGroup(em, event.id, groupId, c.var.actor);
  await ensureAccessSweepSchedule(c.var.deps);
  return c.json(toDto(await accessGroup(c, event.id, groupId)), 200);
};

export const remove: AppRouteHandler<typeof routes.removeAccessGroup> = async (c) => {
  const { eventId, groupId } = c.req.valid('param');
  const { em, event } = await closedEvent(c, eventId);
  await accessGroup(c, event.id, groupId);
  if (await revokeGroup(em, event.id, groupId)) {
    await requestAccessReconciliation(
      c.var.deps,
      c.var.organizationId,
      `event ${event.id} lost group ${groupId}`,
    );
  }
  return c.json(toDto(await accessGroup(c, event.id, groupId)), 200);
};

export const getSettings: AppRouteHandler<typeof routes.getAccessSettings> = async (c) => {
  const { event } = await closedEvent(c, c.req.valid('param').eventId);
  return c.json({ allowOutsideIdpGroups: event.allowOutsideIdpGroups }, 200);
};

export const putSettings: AppRouteHandler<typeof routes.putAccessSettings> = async (c) => {
  const { allowOutsideIdpGroups } = c.req.valid('json');
  const { em, event } = await closedEvent(c, c.req.valid('param').eventId);
  await setAllowOutsideIdpGroups(em, event.id, allowOutsideIdpGroups);
  if (event.allowOutsideIdpGroups && !allowOutsideIdpGroups) {
    await requestAccessReconciliation(
      c.var.deps,
      c.var.organizationId,
      `event ${event.id} closed to outsiders`,
    );
  }
  return c.json({ allowOutsideIdpGroups }, 200);
};
