import { createRoute, z } from '@hono/zod-openapi';
import { ACCESS_GROUP_FILTERS } from '../../domain/access';
import { problemResponses } from '../problem';
import { IdParam, ListQuery, pageOf } from '../schemas';

export const AccessGroupSchema = z
  .object({
    id: z.uuid(),
    displayName: z.string(),
    memberCount: z.number().int().openapi({ description: 'Active directory users in the group.' }),
    granted: z.boolean().openapi({ description: 'Whether the group’s members may enter the event.' }),
  })
  .openapi('AccessGroup');

export const AccessSettingsSchema = z
  .object({
    allowOutsideIdpGroups: z.boolean().openapi({
      description:
        'With false, only active members of granted groups may be invited, register or log in (409 outside_idp_groups).',
    }),
  })
  .openapi('AccessSettings');

const eventParam = z.object({ eventId: IdParam('eventId') });
const groupParams = z.object({ eventId: IdParam('eventId'), groupId: IdParam('groupId') });
const closedOnly =
  'Only for closed events (`closed: true`); other events answer 409 `event_not_closed`, unknown ones 404.';

export const listAccessGroups = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/access/groups',
  tags: ['Event access'],
  summary: 'The IdP groups synced for the organization, with member counts and whether the event grants them',
  description: closedOnly,
  request: {
    params: eventParam,
    query: z.object({
      filter: z.enum(ACCESS_GROUP_FILTERS).default('all'),
      q: z.string().trim().max(200).optional().openapi({ description: 'Substring of the group name.' }),
      ...ListQuery,
    }),
  },
  responses: {
    200: {
      description: 'Groups by name',
      content: { 'application/json': { schema: pageOf(AccessGroupSchema, 'AccessGroupPage') } },
    },
    ...problemResponses(400, 401, 404, 409, 422),
  },
});

export const grantAccessGroup = createRoute({
  method: 'put',
  path: '/v1/events/{eventId}/access/groups/{groupId}',
  tags: ['Event access'],
  summary: 'Grant the group’s members access to the event',
  description: `${closedOnly} Idempotent.`,
  request: { params: groupParams },
  responses: {
    200: {
      description: 'The group, granted',
      content: { 'application/json': { schema: AccessGroupSchema } },
    },
    ...problemResponses(401, 404, 409, 422),
  },
});

export const removeAccessGroup = createRoute({
  method: 'delete',
  path: '/v1/events/{eventId}/access/groups/{groupId}',
  tags: ['Event access'],
  summary: 'Remove the group’s access to the event',
  description: `${closedOnly} Idempotent. Members who are no longer entitled cannot log in again and their sessions end.`,
  request: { params: groupParams },
  responses: {
    200: {
      description: 'The group, not granted',
      content: { 'application/json': { schema: AccessGroupSchema } },
    },
    ...problemResponses(401, 404, 409, 422),
  },
});

export const getAccessSettings = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/access/settings',
  tags: ['Event access'],
  summary: 'The event’s access settings',
  description: closedOnly,
  request: { params: eventParam },
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: AccessSettingsSchema } } },
    ...problemResponses(401, 404, 409, 422),
  },
});

export const putAccessSettings = createRoute({
  method: 'put',
  path: '/v1/events/{eventId}/access/settings',
  tags: ['Event access'],
  summary: 'Change the event’s access settings',
  description: closedOnly,
  request: {
    params: eventParam,
    body: { content: { 'application/json': { schema: AccessSettingsSchema } }, required: true },
  },
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: AccessSettingsSchema } } },
    ...problemResponses(401, 404, 409, 422),
  },
});
