/**
 * Temporal's codec server protocol, so the Web UI and `temporal workflow show --codec-endpoint`
 * can show encrypted payloads: `POST /codec/encode` and `/codec/decode` (also under a namespace
 * segment, `/codec/{namespace}/decode`, for the CLI's endpoint templating), each taking and
 * answering `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`. It decrypts every
 * tenant's data, so it answers only the operator's ROSTER_CODEC_TOKEN, and is off without one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { payloadFromJson, payloadToJson } from '../../config/payload-codec';
import type { AppEnv } from '../context';
import { ProblemError } from '../problem';

const Body = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});

const digest = (s: string) => createHash('sha256').update(s).digest();

export const codecRouter = new Hono<AppEnv>();

codecRouter.use('/codec/*', async (c, next) => {
  const origins = c.var.deps.codec?.corsOrigins ?? [];
  return cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
    maxAge: 600,
  })(c, next);
});

codecRouter.post('/codec/:op{encode|decode}', run);
codecRouter.post('/codec/:namespace/:op{encode|decode}', run);

async function run(c: Context<AppEnv>) {
  const settings = c.var.deps.codec;
  if (!settings?.token) throw new ProblemError(404, 'not_found', 'The codec endpoint is not enabled.');
  const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
  if (!timingSafeEqual(digest(given), digest(settings.token))) {
    throw new ProblemError(401, 'unauthorized', 'The codec endpoint needs its bearer token.');
  }
  const parsed = Body.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new ProblemError(400, 'malformed', 'Expected { payloads: [...] }.');
  const payloads = parsed.data.payloads.map(payloadFromJson);
  const op = c.req.param('op');
  let result: Awaited<ReturnType<typeof settings.codec.decode>>;
  try {
    result = op === 'encode' ? await settings.codec.encode(payloads) : await settings.codec.decode(payloads);
  } catch (error) {
    throw new ProblemError(400, 'undecodable', (error as Error).message);
  }
  return c.json({ payloads: result.map(payloadToJson) }, 200);
}
