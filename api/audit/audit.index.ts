import { createRoute, z } from '@hono/zod-openapi';
import type { EntityManager } from '@mikro-orm/core';
import { findEvent } from '../../db/queries/events';
import { notFound, ProblemError, problemResponses } from '../problem';
import { createRouter } from '../router';
import { decodeCursor, encodeCursor, IdParam, ListQuery, pageOf } from '../schemas';

const AuditItem = z
  .object({
    id: z.uuid(),
    at: z.string(),
    actor: z.string(),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
  })
  .openapi('AuditEntry');

const listAudit = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/audit',
  tags: ['Events'],
  summary: 'The audit log of organizer actions on this event, newest first',
  request: { params: z.object({ eventId: IdParam('eventId') }), query: z.object(ListQuery) },
  responses: {
    200: {
      description: 'A page of audit entries',
      content: { 'application/json': { schema: pageOf(AuditItem, 'AuditPage') } },
    },
    ...problemResponses(400, 401, 404, 422),
  },
});

const listOrganizationAudit = createRoute({
  method: 'get',
  path: '/v1/audit',
  tags: ['Events'],
  summary:
    'The organization’s whole audit log, newest first: organizer actions on every event, and the directory writes of its SCIM client (actor "scim", no event)',
  request: { query: z.object(ListQuery) },
  responses: {
    200: {
      description: 'A page of audit entries',
      content: { 'application/json': { schema: pageOf(AuditItem, 'AuditPage') } },
    },
    ...problemResponses(400, 401, 422),
  },
});

type Row = { id: string; at: Date; actor: string; method: string; path: string; status: number };

/** One page of entries where `scope` holds (an event's, or the organization's), keyset on (at, id). */
async function auditPage(
  em: EntityManager,
  scope: { sql: string; params: unknown[] },
  limit: number,
  cursor: string | undefined,
) {
  const after = cursor ? decodeCursor(cursor, 'audit') : null;
  if (cursor && !after)
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  const conn = em.getConnection();
  const rows: Row[] = await conn.execute<Row[]>(
    `select id, at, actor, method, path, status from audit_log
      where ${scope.sql} ${after ? 'and (at, id) < (?, ?)' : ''}
      order by at desc, id desc limit ?`,
    [...scope.params, ...(after ? [new Date(after.value), after.id] : []), limit + 1],
  );
  const [counted] = await conn.execute<{ n: string }[]>(
    `select count(*) as n from audit_log where ${scope.sql}`,
    scope.params,
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    nextCursor:
      rows.length > limit && last ? encodeCursor('audit', new Date(last.at).toISOString(), last.id) : null,
    total: Number(counted?.n ?? 0),
  };
}

export const auditRouter = createRouter()
  .openapi(listAudit, async (c) => {
    const { eventId } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const em = c.var.em;
    const event = await findEvent(em, c.var.organizationId, eventId);
    if (!event) throw notFound('The event');
    const scope = { sql: 'event_id = ? and organization_id = ?', params: [event.id, c.var.organizationId] };
    return c.json(await auditPage(em, scope, limit, cursor), 200);
  })
  .openapi(listOrganizationAudit, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const scope = { sql: 'organization_id = ?', params: [c.var.organizationId] };
    return c.json(await auditPage(c.var.em, scope, limit, cursor), 200);
  });
