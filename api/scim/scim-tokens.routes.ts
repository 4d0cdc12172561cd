import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../problem';
import { IdParam } from '../schemas';

export const CreateScimTokenBody = z
  .object({
    label: z.string().trim().max(200).optional().openapi({ example: 'Okta provisioning' }),
  })
  .openapi('CreateScimToken');

export const ScimTokenSchema = z
  .object({
    id: z.uuid(),
    label: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ScimToken');

export const createScimToken = createRoute({
  method: 'post',
  path: '/v1/scim-tokens',
  tags: ['SCIM tokens'],
  summary: 'Create a SCIM token for the organization (shown once; only its hash is kept)',
  request: {
    body: { content: { 'application/json': { schema: CreateScimTokenBody } }, required: false },
  },
  responses: {
    201: {
      description: 'The token, shown this once. Give it to the IdP as the SCIM bearer token.',
      content: {
        'application/json': {
          schema: ScimTokenSchema.pick({ id: true, label: true, createdAt: true })
            .extend({ token: z.string(), scimBaseUrl: z.string() })
            .openapi('NewScimToken'),
        },
      },
    },
    ...problemResponses(401, 422),
  },
});

export const listScimTokens = createRoute({
  method: 'get',
  path: '/v1/scim-tokens',
  tags: ['SCIM tokens'],
  summary: 'The organization’s SCIM tokens (never the tokens themselves)',
  responses: {
    200: {
      description: 'The tokens, newest first',
      content: { 'application/json': { schema: z.object({ items: z.array(ScimTokenSchema) }) } },
    },
    ...problemResponses(401),
  },
});

export const revokeScimToken = createRoute({
  method: 'delete',
  path: '/v1/scim-tokens/{tokenId}',
  tags: ['SCIM tokens'],
  summary: 'Revoke a SCIM token',
  request: { params: z.object({ tokenId: IdParam('tokenId') }) },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 404, 422) },
});
