import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { AppEnv } from './context';

/**
 * The API reference at /docs, offline: the reference's single-file bundle is served from
 * node_modules (never a CDN) and no web fonts are asked for.
 */
export const docsRouter = new Hono<AppEnv>();

export const DOCS_SCRIPT_PATH = '/docs/standalone.js';

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('@scalar/api-reference'));
const scriptFile = join(dist, 'browser', 'standalone.js');
const { version } = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
let script: Promise<Buffer> | undefined;

docsRouter.get(DOCS_SCRIPT_PATH, compress(), async (c) => {
  const etag = `"scalar-${version}"`;
  c.header('etag', etag);
  c.header('cache-control', 'public, max-age=86400');
  // Compression weakens the tag (W/"…"): either form matches.
  if (c.req.header('if-none-match')?.replace(/^W\//, '') === etag) return c.body(null, 304);
  script ??= readFile(scriptFile);
  const body = await script;
  return c.body(new Uint8Array(body), 200, { 'content-type': 'text/javascript; charset=utf-8' });
});

docsRouter.get('/docs', async (c, next) => {
  // The inline start-up script runs by its nonce; the bundle injects its styles at run time.
  const nonce = randomBytes(16).toString('base64');
  const handler = Scalar<AppEnv>({
    url: '/openapi.json',
    pageTitle: 'Roster API',
    cdn: DOCS_SCRIPT_PATH,
    nonce,
    withDefaultFonts: false,
    hideClientButton: true,
    // Nothing that would call Scalar's services: no telemetry, no AI agent, no MCP.
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    // Scalar's own toolbar (share, deploy, generate an SDK) points at its hosted services.
    ...({ showToolbar: 'never' } as object),
    showDeveloperTools: 'never',
  });
  const res = await handler(c, next);
  res?.headers.set(
    'content-security-policy',
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
      "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  return res;
});
