import { createRoute, z } from '@hono/zod-openapi';
import { LANGUAGES } from '../domain/languages';
import { createRouter } from './router';

const Health = z.object({ status: z.literal('ok') }).openapi('Health');
const Ready = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ postgres: z.boolean(), temporal: z.boolean() }),
    draining: z.boolean().optional().openapi({
      description: 'True while the process stops: it finishes what it holds and takes nothing new',
    }),
  })
  .openapi('Ready');
const Languages = z
  .object({
    items: z.array(
      z.object({
        code: z.string(),
        name: z.string().openapi({ description: 'The language’s own name, e.g. Deutsch' }),
        englishName: z
          .string()
          .openapi({ description: 'As the CSV language column also accepts it, e.g. German' }),
        maintained: z.boolean(),
        lastUpdated: z.string().optional(),
      }),
    ),
  })
  .openapi('Languages');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['Operations'],
  summary: 'Readiness: Postgres and Temporal reachable',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Ready } } },
  },
});

const languages = createRoute({
  method: 'get',
  path: '/v1/languages',
  tags: ['Languages'],
  summary: 'The 19 invitation languages',
  responses: { 200: { description: 'Languages', content: { 'application/json': { schema: Languages } } } },
});

async function postgresReachable(check: () => Promise<unknown>) {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

export const metaRouter = createRouter()
  .openapi(health, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(ready, async (c) => {
    const { orm, temporalReady, drain } = c.var.deps;
    const [postgres, temporal] = await Promise.all([
      postgresReachable(() => orm.em.fork().getConnection().execute('select 1')),
      temporalReady(),
    ]);
    // A stopping process answers 503 so load balancers send new requests elsewhere.
    const draining = drain?.draining ?? false;
    const ok = postgres && temporal && !draining;
    return c.json(
      {
        status: ok ? ('ready' as const) : ('not_ready' as const),
        checks: { postgres, temporal },
        ...(draining ? { draining } : {}),
      },
      ok ? 200 : 503,
    );
  })
  .openapi(languages, (c) => c.json({ items: LANGUAGES.map((l) => ({ ...l })) }, 200));
