import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';

/**
 * Each request's own EntityManager (`c.var.em`): one identity map for the request, so what a
 * middleware or lookup loaded is not loaded again, and nothing leaks between requests.
 */
export const requestEm = createMiddleware<AppEnv>(async (c, next) => {
  c.set('em', c.var.deps.orm.em.fork());
  await next();
});
