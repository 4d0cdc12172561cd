import { randomBytes } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import { createScimToken, listScimTokens, revokeScimToken } from '../../db/queries/directory';
import { ensureAccessSweepSchedule } from '../access/access.temporal';
import type { AppEnv } from '../context';
import { notFound } from '../problem';
import { hashScimToken, scimBase } from './scim.http';
import type * as routes from './scim-tokens.routes';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const create: RouteHandler<typeof routes.createScimToken, AppEnv> = async (c) => {
  const body = c.req.valid('json') ?? {};
  // 256 random bits; only the sha256 is stored.
  const token = `scim_${randomBytes(32).toString('base64url')}`;
  const row = await createScimToken(
    c.var.deps.orm.em.fork(),
    c.var.organizationId,
    hashScimToken(token),
    body.label ?? null,
  );
  await ensureAccessSweepSchedule(c.var.deps);
  c.header('cache-control', 'no-store');
  return c.json(
    {
      id: row.id,
      label: row.label,
      createdAt: new Date(row.created_at).toISOString(),
      token,
      scimBaseUrl: scimBase(c),
    },
    201,
  );
};

export const list: RouteHandler<typeof routes.listScimTokens, AppEnv> = async (c) => {
  const rows = await listScimTokens(c.var.deps.orm.em.fork(), c.var.organizationId);
  return c.json(
    {
      items: rows.map((r) => ({
        id: r.id,
        label: r.label,
        createdAt: new Date(r.created_at).toISOString(),
        lastUsedAt: iso(r.last_used_at),
        revokedAt: iso(r.revoked_at),
      })),
    },
    200,
  );
};

export const revoke: RouteHandler<typeof routes.revokeScimToken, AppEnv> = async (c) => {
  const { tokenId } = c.req.valid('param');
  const revoked = await revokeScimToken(c.var.deps.orm.em.fork(), c.var.organizationId, tokenId);
  if (!revoked) throw notFound('The SCIM token');
  return c.body(null, 204);
};
