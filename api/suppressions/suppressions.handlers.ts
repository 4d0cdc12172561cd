import { findSuppression, listSuppressions, toSuppressionDto } from '../../db/queries/suppressions';
import { addSuppression, liftSuppression } from '../../db/writes/suppressions';
import { checkEmail } from '../../domain/email-address';
import { notFound, ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { decodeCursor, encodeCursor } from '../schemas';
import type * as routes from './suppressions.routes';

const SORT = 'createdAt';

export const list: AppRouteHandler<typeof routes.listSuppressions> = async (c) => {
  const { limit, cursor, email, reason } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, SORT) : null;
  if (cursor && !after)
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  const page = await listSuppressions(
    c.var.em,
    c.var.organizationId,
    { ...(email ? { email } : {}), ...(reason ? { reason } : {}) },
    limit,
    after,
  );
  const last = page.items.at(-1);
  return c.json(
    {
      items: page.items.map(toSuppressionDto),
      nextCursor: page.hasMore && last ? encodeCursor(SORT, last.created_key, last.id) : null,
      total: page.total,
    },
    200,
  );
};

export const add: AppRouteHandler<typeof routes.addSuppression> = async (c) => {
  const checked = checkEmail(c.req.valid('json').email);
  if (!checked.ok) {
    throw new ProblemError(422, 'validation_failed', checked.message, [
      { path: 'email', code: checked.code, message: checked.message },
    ]);
  }
  const { created, row } = await addSuppression(c.var.em, {
    organizationId: c.var.organizationId,
    email: checked.key,
    reason: 'manual',
    source: 'api',
    detail: c.var.actor,
  });
  return created ? c.json(toSuppressionDto(row), 201) : c.json(toSuppressionDto(row), 200);
};

export const get: AppRouteHandler<typeof routes.getSuppression> = async (c) => {
  const row = await findSuppression(c.var.em, c.var.organizationId, c.req.valid('param').email);
  if (!row) throw notFound('The suppression');
  return c.json(toSuppressionDto(row), 200);
};

export const lift: AppRouteHandler<typeof routes.liftSuppression> = async (c) => {
  const lifted = await liftSuppression(c.var.em, c.var.organizationId, c.req.valid('param').email);
  if (!lifted) throw notFound('The suppression');
  return c.body(null, 204);
};
