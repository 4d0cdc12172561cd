import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { ProblemError } from './problem';

/** One router shape for every resource: zod failures become one 422 problem shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          code: issue.code,
          message: issue.message,
        }));
        throw new ProblemError(422, 'validation_failed', 'The request is not valid.', errors);
      }
    },
  });
}
