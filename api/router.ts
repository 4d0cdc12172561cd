import { OpenAPIHono, type RouteConfig, type RouteHandler, type z } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { ProblemError } from './problem';

const invalid = (error: z.ZodError) =>
  new ProblemError(
    422,
    'validation_failed',
    'The request is not valid.',
    error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: issue.message })),
  );

/** A handler of one declared route, with the app's context variables. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** One router shape for every resource: zod failures become one 422 problem shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalid(result.error);
    },
  });
}

/** A value a handler shapes itself, checked with the same 422 answer as the routes' own. */
export function parseOr422<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error);
  return result.data;
}
