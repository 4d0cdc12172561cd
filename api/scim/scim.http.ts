import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { scimTokenOrganization } from '../../db/queries/directory/scim-tokens';
import { isDangerousKey } from '../../domain/scim-attributes';
import { isObject, SCIM_SCHEMAS, type ScimType } from '../../domain/scim-resources';
import { hashSecret } from '../../domain/secrets';
import type { AppEnv } from '../context';

/** SCIM's media type (RFC 7644 §3.1); every answer of /scim/v2 carries it. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** A SCIM error (RFC 7644 §3.12), answered as `{ schemas: [Error], status: "409", scimType, detail }`. */
export class ScimError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    detail: string,
    readonly scimType?: ScimType | 'tooMany',
  ) {
    super(detail);
  }
}

export function scimErrorResponse(c: Context, error: ScimError): Response {
  return c.body(
    JSON.stringify({
      schemas: [SCIM_SCHEMAS.error],
      status: String(error.status),
      ...(error.scimType ? { scimType: error.scimType } : {}),
      detail: error.message,
    }),
    error.status,
    { 'content-type': SCIM_CONTENT_TYPE },
  );
}

export function scimJson(c: Context, body: unknown, status: ContentfulStatusCode = 200, headers = {}) {
  return c.body(JSON.stringify(body), status, { 'content-type': SCIM_CONTENT_TYPE, ...headers });
}

/** Bearer SCIM token → organization. Tokens are looked up by their sha256; revoked ones are refused. */
export const requireScimToken = createMiddleware<AppEnv>(async (c, next) => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (!match?.[1]) throw new ScimError(401, 'A SCIM token is required: Authorization: Bearer <token>.');
  const organizationId = await scimTokenOrganization(c.var.em, hashSecret(match[1]));
  if (!organizationId) throw new ScimError(401, 'The SCIM token is not valid.');
  c.set('organizationId', organizationId);
  c.set('actor', 'scim');
  await next();
});

class DangerousKey extends Error {}

/** Refuses keys that reach the prototype chain the moment they are parsed, at any depth. */
function refuseDangerousKeys(key: string, value: unknown) {
  if (isDangerousKey(key)) throw new DangerousKey(key);
  return value;
}

/**
 * The JSON body, whatever its content type (the body limit in api/guards.ts applies to all);
 * not JSON is a SCIM `invalidSyntax`, a key like `__proto__` or `constructor` an `invalidValue`.
 */
export async function scimBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text(), refuseDangerousKeys);
  } catch (error) {
    if (error instanceof DangerousKey) {
      throw new ScimError(400, `"${error.message}" is not an attribute name.`, 'invalidValue');
    }
    throw new ScimError(400, 'The body is not valid JSON.', 'invalidSyntax');
  }
  if (!isObject(body)) throw new ScimError(400, 'The body must be a JSON object.', 'invalidSyntax');
  return body;
}

/** Where this API is reachable (PUBLIC_API_URL, else the request's origin). */
export function publicBase(c: Context<AppEnv>): string {
  return (c.var.deps.publicApiUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

export const scimBase = (c: Context<AppEnv>) => `${publicBase(c)}/scim/v2`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A resource id from the path; anything that is not one of ours is a 404. */
export function resourceId(c: Context, what: 'User' | 'Group'): string {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) throw new ScimError(404, `${what} ${id} not found.`);
  return id.toLowerCase();
}

export const MAX_COUNT = 200;
const DEFAULT_COUNT = 100;

/** startIndex (1-based, default 1) and count (default 100, at most 200; 0 answers the total only). */
export function paging(c: Context): { startIndex: number; count: number } {
  const parse = (name: string, fallback: number) => {
    const raw = c.req.query(name);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer.`, 'invalidValue');
    return n;
  };
  return {
    startIndex: Math.max(1, parse('startIndex', 1)),
    count: Math.min(MAX_COUNT, Math.max(0, parse('count', DEFAULT_COUNT))),
  };
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), on top-level attributes. */
export function projection(c: Context) {
  const list = (name: string) =>
    (c.req.query(name) ?? '')
      .split(',')
      .map((a) =>
        a
          .trim()
          .toLowerCase()
          .replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, ''),
      )
      .filter(Boolean);
  const attributes = list('attributes');
  const excluded = list('excludedAttributes');
  const always = new Set(['id', 'schemas']);
  return {
    wants: (name: string) => {
      const lower = name.toLowerCase();
      if (always.has(lower)) return true;
      if (attributes.length > 0) return attributes.some((a) => a === lower || a.startsWith(`${lower}.`));
      return !excluded.includes(lower);
    },
    apply<T extends Record<string, unknown>>(resource: T): Partial<T> {
      return Object.fromEntries(Object.entries(resource).filter(([k]) => this.wants(k))) as Partial<T>;
    },
  };
}

export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: [SCIM_SCHEMAS.list],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
