import {
  createEvent,
  type EventChanges,
  type EventRow,
  findEvent,
  listEvents,
  updateEvent,
} from '../../db/queries/events';
import { notFound, ProblemError } from '../problem';
import { notifyEventRescheduled } from '../reminders/reminders.temporal';
import type { AppRouteHandler } from '../router';
import { decodeCursor, encodeCursor } from '../schemas';
import type * as routes from './events.routes';

export function toEventDto(event: EventRow) {
  return {
    id: event.id,
    name: event.name,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timezone: event.timezone,
    defaultLanguage: event.defaultLanguage,
    loginMode: event.loginMode,
    closed: event.closed,
    requiresRegistration: event.requiresRegistration,
    requiresEmailConfirmation: event.requiresEmailConfirmation,
    publishedRegistration: event.publishedRegistration,
    accentColor: event.accentColor ?? null,
    accessSettings: { allowOutsideIdpGroups: event.allowOutsideIdpGroups },
    sessions: event.sessions.getItems().map((s) => ({
      id: s.id,
      name: s.name,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
    })),
    createdAt: event.createdAt.toISOString(),
  };
}

/** Rules across fields, checked on the merged result so a PATCH cannot break them either. */
function checkEventRules(e: { startsAt: Date; endsAt: Date; closed: boolean; loginMode: string }) {
  const errors = [];
  if (e.endsAt <= e.startsAt)
    errors.push({ path: 'endsAt', code: 'invalid_range', message: 'endsAt must be after startsAt.' });
  if (e.closed && e.loginMode !== 'sso') {
    errors.push({
      path: 'closed',
      code: 'closed_needs_sso',
      message: 'A closed event needs loginMode "sso".',
    });
  }
  if (errors.length > 0) throw new ProblemError(422, 'validation_failed', 'The event is not valid.', errors);
}

const toDates = (sessions?: { name: string; startsAt: string; endsAt: string }[]) =>
  sessions?.map((s) => ({ name: s.name, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }));

export const create: AppRouteHandler<typeof routes.createEvent> = async (c) => {
  const body = c.req.valid('json');
  const input = {
    ...body,
    startsAt: new Date(body.startsAt),
    endsAt: new Date(body.endsAt),
    sessions: toDates(body.sessions) ?? [],
  };
  checkEventRules(input);
  const { em } = c.var;
  const event = await createEvent(em, c.var.organizationId, input);
  return c.json(toEventDto(event), 201);
};

export const list: AppRouteHandler<typeof routes.listEvents> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, 'events') : null;
  if (cursor && !after)
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  const { em } = c.var;
  const page = await listEvents(
    em,
    c.var.organizationId,
    limit,
    after ? { createdAt: new Date(after.value), id: after.id } : null,
  );
  const last = page.items.at(-1);
  return c.json(
    {
      items: page.items.map(toEventDto),
      nextCursor: page.hasMore && last ? encodeCursor('events', last.createdAt.toISOString(), last.id) : null,
      total: page.total,
    },
    200,
  );
};

export const get: AppRouteHandler<typeof routes.getEvent> = async (c) => {
  const { em } = c.var;
  const event = await findEvent(em, c.var.organizationId, c.req.valid('param').eventId);
  if (!event) throw notFound('The event');
  return c.json(toEventDto(event), 200);
};

export const patch: AppRouteHandler<typeof routes.patchEvent> = async (c) => {
  const body = c.req.valid('json');
  const { em } = c.var;
  const event = await findEvent(em, c.var.organizationId, c.req.valid('param').eventId);
  if (!event) throw notFound('The event');
  const changes: EventChanges = {
    ...body,
    startsAt: body.startsAt ? new Date(body.startsAt) : undefined,
    endsAt: body.endsAt ? new Date(body.endsAt) : undefined,
    sessions: toDates(body.sessions),
  };
  for (const key of Object.keys(changes) as (keyof EventChanges)[]) {
    if (changes[key] === undefined) delete changes[key];
  }
  checkEventRules({
    startsAt: changes.startsAt ?? event.startsAt,
    endsAt: changes.endsAt ?? event.endsAt,
    closed: changes.closed ?? event.closed,
    loginMode: changes.loginMode ?? event.loginMode,
  });
  await updateEvent(em, event, changes);
  // Every PATCH carrying startsAt tells the reminder workflow (a retried PATCH too); it reloads the date.
  if (changes.startsAt) await notifyEventRescheduled(c.var.deps, event.id, event.startsAt);
  return c.json(toEventDto(event), 200);
};
