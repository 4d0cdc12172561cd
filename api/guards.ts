import { randomUUID } from 'node:crypto';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { MAX_IMPORT_BYTES } from '../domain/csv-import';
import { SCIM_SCHEMAS } from '../domain/scim-resources';
import type { AppEnv } from './context';
import { problemBody } from './problem';

/** Request bodies are small; the two upload routes below check their own, larger limits. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** CSV imports (MAX_IMPORT_BYTES) and profile images (IMAGE_MAX_BYTES) stream under their own limits. */
const UPLOADS: [string, RegExp][] = [
  ['POST', /^\/v1\/events\/[^/]+\/imports\/?$/],
  ['PUT', /^\/v1\/events\/[^/]+\/attendees\/[^/]+\/image\/?$/],
  ['PUT', /^\/v1\/events\/[^/]+\/logo\/?$/],
];

const INVITE_FORM = /^\/v1\/events\/[^/]+\/attendees\/?$/;
const INVITE_FORM_LIMIT = 3 * 1024 * 1024;

/** The console's forms that upload a file: a bulk-invite CSV, an invite with a speaker's image. */
const CONSOLE_UPLOADS: [RegExp, number][] = [
  [/^\/console\/events\/[^/]+\/imports\/?$/, MAX_IMPORT_BYTES + 64 * 1024],
  [/^\/console\/events\/[^/]+\/invite\/?$/, INVITE_FORM_LIMIT],
];

/**
 * Every body is limited, whatever its content type (a handler may parse a body its type does not
 * announce, as SCIM does): 413, in SCIM's error shape on /scim/v2.
 */
export const limitBodies = createMiddleware<AppEnv>(async (c, next) => {
  if (UPLOADS.some(([method, path]) => c.req.method === method && path.test(c.req.path))) return next();
  // A single invite as a form may carry the speaker's image (checked at 2 MB by its handler).
  const form =
    INVITE_FORM.test(c.req.path) && /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
  // The console's upload forms carry the same files, wrapped in a form (the API checks them again).
  const consoleUpload =
    c.req.method === 'POST' ? CONSOLE_UPLOADS.find(([path]) => path.test(c.req.path)) : undefined;
  const maxSize = consoleUpload ? consoleUpload[1] : form ? INVITE_FORM_LIMIT : JSON_BODY_LIMIT;
  const detail = `A request body is at most ${maxSize / 1024} KiB.`;
  return bodyLimit({
    maxSize,
    // Answered before the body is read: close the connection so no client reuses a half-read socket.
    onError: (ctx) =>
      ctx.req.path.startsWith('/scim/')
        ? ctx.body(JSON.stringify({ schemas: [SCIM_SCHEMAS.error], status: '413', detail }), 413, {
            'content-type': 'application/scim+json; charset=utf-8',
            connection: 'close',
          })
        : ctx.body(JSON.stringify(problemBody(413, 'too_large', detail)), 413, {
            'content-type': 'application/problem+json',
            connection: 'close',
          }),
  })(c, next);
});

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVENT_IN_PATH = /^\/v1\/events\/([0-9a-f-]{36})/;

/** Records every mutating organizer request that was answered (not a 5xx): who, what, when. */
export const auditLog = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!MUTATING.has(c.req.method) || c.res.status >= 500 || !c.var.organizationId) return;
  const eventId = EVENT_IN_PATH.exec(c.req.path)?.[1] ?? null;
  // A SCIM create is recorded under the new resource's path (its Location), so the entry names it.
  const location = c.req.path.startsWith('/scim/') ? c.res.headers.get('location') : null;
  const path = location ? new URL(location, 'http://x').pathname : c.req.path;
  await c.var.em.getConnection().execute(
    `insert into audit_log (id, organization_id, event_id, actor, method, path, status, at)
       values (?, ?, ?, ?, ?, ?, ?, now())`,
    [
      randomUUID(),
      c.var.organizationId,
      eventId,
      c.var.actor,
      c.req.method,
      path.slice(0, 500),
      c.res.status,
    ],
  );
});
