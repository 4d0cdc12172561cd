import { createScimToken, listScimTokens, revokeScimToken } from '../../db/queries/directory/scim-tokens';
import { hashSecret, newToken } from '../../domain/secrets';
import { ensureAccessSweepSchedule } from '../access/access.temporal';
import { notFound } from '../problem';
import type { AppRouteHandler } from '../router';
import { scimBase } from './scim.http';
import type * as routes from './scim-tokens.routes';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const create: AppRouteHandler<typeof routes.createScimToken> = async (c) => {
  const body = c.req.valid('json') ?? {};
  // Only its hash is stored.
  const token = newToken('scim_');
  const row = await createScimToken(c.var.em, c.var.organizationId, hashSecret(token), body.label ?? null);
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

export const list: AppRouteHandler<typeof routes.listScimTokens> = async (c) => {
  const rows = await listScimTokens(c.var.em, c.var.organizationId);
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

export const revoke: AppRouteHandler<typeof routes.revokeScimToken> = async (c) => {
  const { tokenId } = c.req.valid('param');
  const revoked = await revokeScimToken(c.var.em, c.var.organizationId, tokenId);
  if (!revoked) throw notFound('The SCIM token');
  return c.body(null, 204);
};
