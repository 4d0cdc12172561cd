import { z } from '@hono/zod-openapi';
import { routePath } from 'hono/route';
import { createRouter } from '../router';
import {
  getResourceType,
  getSchema,
  listResourceTypes,
  listSchemas,
  serviceProviderConfig,
} from './scim.discovery';
import {
  createGroup,
  deleteGroupHandler,
  getGroup,
  listGroupsHandler,
  patchGroup,
  putGroup,
} from './scim.groups';
import { requireScimToken, ScimError, scimErrorResponse } from './scim.http';
import { createUser, deleteUserHandler, getUser, listUsersHandler, patchUser, putUser } from './scim.users';

/**
 * The SCIM 2.0 service provider (RFC 7643/7644) at /scim/v2, authenticated with an organization's
 * SCIM token. SCIM bodies are loose by nature (extensions, IdP quirks), so these routes read and
 * validate them in the handlers and answer SCIM errors; the OpenAPI document lists them below.
 */
export const scimRouter = createRouter();

scimRouter.use('/scim/v2/*', requireScimToken);

scimRouter.get('/scim/v2/ServiceProviderConfig', serviceProviderConfig);
scimRouter.get('/scim/v2/Schemas', listSchemas);
scimRouter.get('/scim/v2/Schemas/:id', getSchema);
scimRouter.get('/scim/v2/ResourceTypes', listResourceTypes);
scimRouter.get('/scim/v2/ResourceTypes/:id', getResourceType);

scimRouter.post('/scim/v2/Users', createUser);
scimRouter.get('/scim/v2/Users', listUsersHandler);
scimRouter.get('/scim/v2/Users/:id', getUser);
scimRouter.put('/scim/v2/Users/:id', putUser);
scimRouter.patch('/scim/v2/Users/:id', patchUser);
scimRouter.delete('/scim/v2/Users/:id', deleteUserHandler);

scimRouter.post('/scim/v2/Groups', createGroup);
scimRouter.get('/scim/v2/Groups', listGroupsHandler);
scimRouter.get('/scim/v2/Groups/:id', getGroup);
scimRouter.put('/scim/v2/Groups/:id', putGroup);
scimRouter.patch('/scim/v2/Groups/:id', patchGroup);
scimRouter.delete('/scim/v2/Groups/:id', deleteGroupHandler);

scimRouter.all('/scim/v2/*', (c) => {
  throw new ScimError(404, `No SCIM endpoint ${c.req.method} ${c.req.path}.`);
});

scimRouter.onError((error, c) => {
  if (error instanceof ScimError) return scimErrorResponse(c, error);
  // The route's pattern, never the concrete path (ids today; nothing secret may ever ride there).
  c.var.deps.logger.error(
    { err: error, method: c.req.method, route: routePath(c, -1) },
    'unhandled SCIM error',
  );
  return scimErrorResponse(c, new ScimError(500, 'Something went wrong on our side.'));
});

// ---------------------------------------------------------------- OpenAPI

const ScimResource = z.record(z.string(), z.unknown()).openapi('ScimResource', {
  description: 'A SCIM resource (RFC 7643), e.g. a User or a Group.',
});
const ScimErrorBody = z
  .object({
    schemas: z.array(z.string()),
    status: z.string(),
    scimType: z.string().optional(),
    detail: z.string(),
  })
  .openapi('ScimError');
const scimContent = (schema: z.ZodType) => ({ 'application/scim+json': { schema } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: 'SCIM error', content: scimContent(ScimErrorBody) }]),
  );
const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const listQuery = z.object({
  filter: z
    .string()
    .optional()
    .openapi({ description: '`eq` on userName / externalId / displayName, joined by `and`.' }),
  startIndex: z.string().optional().openapi({ description: '1-based, default 1.' }),
  count: z.string().optional().openapi({ description: 'Default 100, at most 200.' }),
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
});

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const register = (
  method: Method,
  path: string,
  summary: string,
  options: { params?: boolean; query?: boolean; body?: boolean; ok: number; errorCodes: number[] },
) =>
  scimRouter.openAPIRegistry.registerPath({
    method,
    path,
    summary,
    tags: ['SCIM 2.0'],
    security: [{ scimToken: [] }],
    request: {
      ...(options.params ? { params: idParam } : {}),
      ...(options.query ? { query: listQuery } : {}),
      ...(options.body ? { body: { content: scimContent(ScimResource), required: true } } : {}),
    },
    responses: {
      [options.ok]:
        options.ok === 204
          ? { description: 'Done' }
          : { description: 'The resource or list', content: scimContent(ScimResource) },
      ...errors(...options.errorCodes),
    },
  });

register('get', '/scim/v2/ServiceProviderConfig', 'What this SCIM service provider supports', {
  ok: 200,
  errorCodes: [401],
});
register('get', '/scim/v2/Schemas', 'The schemas (User, EnterpriseUser, Group)', {
  ok: 200,
  errorCodes: [401],
});
register('get', '/scim/v2/Schemas/{id}', 'One schema', { params: true, ok: 200, errorCodes: [401, 404] });
register('get', '/scim/v2/ResourceTypes', 'The resource types (User, Group)', { ok: 200, errorCodes: [401] });
register('get', '/scim/v2/ResourceTypes/{id}', 'One resource type', {
  params: true,
  ok: 200,
  errorCodes: [401, 404],
});
for (const [kind, path] of [
  ['User', '/scim/v2/Users'],
  ['Group', '/scim/v2/Groups'],
] as const) {
  register('post', path, `Create a ${kind}`, { body: true, ok: 201, errorCodes: [400, 401, 409] });
  register('get', path, `List ${kind}s`, { query: true, ok: 200, errorCodes: [400, 401] });
  register('get', `${path}/{id}`, `Get a ${kind}`, { params: true, ok: 200, errorCodes: [401, 404] });
  register('put', `${path}/{id}`, `Replace a ${kind}`, {
    params: true,
    body: true,
    ok: 200,
    errorCodes: [400, 401, 404, 409],
  });
  register('patch', `${path}/{id}`, `Patch a ${kind} (PatchOp)`, {
    params: true,
    body: true,
    ok: kind === 'User' ? 200 : 204,
    errorCodes: [400, 401, 404, 409],
  });
  register('delete', `${path}/{id}`, `Delete a ${kind}`, { params: true, ok: 204, errorCodes: [401, 404] });
}
