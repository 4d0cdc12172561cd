import { ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { unsubscribe as unsubscribeWith } from '../shared/unsubscribe';
import type * as routes from './unsubscribe.routes';

export const unsubscribe: AppRouteHandler<typeof routes.unsubscribe> = async (c) => {
  const token = c.req.valid('query').token ?? c.req.valid('json').token ?? c.req.valid('form').token;
  const owner = token ? await unsubscribeWith(c.var.deps, c.var.em, token) : null;
  if (!owner) throw new ProblemError(401, 'invalid_token', 'The unsubscribe link is not valid.');
  return c.json({ unsubscribed: true as const }, 200);
};
