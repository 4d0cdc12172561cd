import { createRoute, z } from '@hono/zod-openapi';
import { WEBHOOK_DELIVERY_STATUSES } from '../../db/entities/webhook.entity';
import { SECRET_OVERLAP_HOURS, WEBHOOK_EVENT_TYPES } from '../../domain/webhooks';
import { problemResponses } from '../problem';
import { IdParam, json, ListQuery, pageOf } from '../schemas';

const EventType = z.enum(WEBHOOK_EVENT_TYPES).openapi('WebhookEventType', {
  description:
    'What happened. `attendee.*` carry the attendee as the API shows it (`attendee.erased`: only `{ id, eventId }`); ' +
    '`import.*` the import; `email.*` the email of the ledger. See docs/webhooks.md for example payloads.',
});

const Events = z
  .array(EventType)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'must not repeat an event type')
  .openapi({ description: 'The event types sent to this endpoint.', example: ['attendee.invited'] });

const Url = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .openapi({
    description:
      'Where events are POSTed. Refused with 409 `webhook_url_not_allowed` when the host is or resolves to a ' +
      'private, loopback, link-local or otherwise non-public address (unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true); ' +
      'checked again, on the address connected to, at every delivery. Redirects are not followed.',
    example: 'https://hooks.example.com/roster',
  });

const Description = z.string().trim().max(500);

export const CreateEndpointBody = z
  .object({ url: Url, events: Events, description: Description.optional() })
  .openapi('CreateWebhookEndpoint');

export const PatchEndpointBody = z
  .object({
    url: Url.optional(),
    events: Events.optional(),
    description: Description.nullable().optional(),
    enabled: z.boolean().optional().openapi({
      description:
        '`true` re-enables an endpoint disabled after failing (its pending deliveries go out again); `false` disables it.',
    }),
  })
  .openapi('PatchWebhookEndpoint');

export const EndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(EventType),
    enabled: z.boolean(),
    disabledReason: z
      .string()
      .nullable()
      .openapi({ description: 'Why the endpoint is disabled (failing for too long, or through the API).' }),
    disabledAt: z.string().nullable(),
    failingSince: z
      .string()
      .nullable()
      .openapi({ description: 'Since when every delivery attempt has failed; null after a success.' }),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({
        description: `After a rotation: until when the previous secret still signs beside the new one (${SECRET_OVERLAP_HOURS} hours).`,
      }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint');

const Secret = z.string().openapi({
  description:
    'The signing secret (`whsec_` and base64), shown only in this answer: verify each delivery with it (Standard Webhooks).',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
});

export const EndpointWithSecretSchema = EndpointSchema.extend({ secret: Secret }).openapi(
  'WebhookEndpointWithSecret',
);

export const AttemptSchema = z
  .object({
    at: z.string(),
    succeeded: z.boolean(),
    statusCode: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The endpoint's HTTP status; null when none came." }),
    durationMs: z.number().int(),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'Why the attempt failed (status, timeout, refused address, ...).' }),
    responseBody: z.string().nullable().openapi({ description: 'The start of the answer (at most 4 KiB).' }),
  })
  .openapi('WebhookAttempt');

export const DeliverySchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().openapi({ description: 'The event, sent as `webhook-id` on every attempt.' }),
    eventType: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).openapi({
      description:
        '`pending` (waiting for its next attempt), `succeeded`, or `failed` (its retry window passed).',
    }),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    attempts: z.array(AttemptSchema).openapi({ description: 'Every attempt, oldest first.' }),
  })
  .openapi('WebhookDelivery');

const EndpointParams = z.object({ endpointId: IdParam('endpointId') });
const DeliveryParams = z.object({ endpointId: IdParam('endpointId'), deliveryId: IdParam('deliveryId') });
const TAGS = ['Webhooks'];

export const createEndpoint = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints',
  tags: TAGS,
  summary: 'Create a webhook endpoint; answers its signing secret once',
  request: { body: { content: { 'application/json': { schema: CreateEndpointBody } }, required: true } },
  responses: {
    201: json(EndpointWithSecretSchema, 'The endpoint, with its secret (shown only now)'),
    ...problemResponses(400, 401, 409, 422),
  },
});

export const listEndpoints = createRoute({
  method: 'get',
  path: '/v1/webhook-endpoints',
  tags: TAGS,
  summary: "The organization's webhook endpoints, newest first",
  request: { query: z.object(ListQuery) },
  responses: {
    200: json(pageOf(EndpointSchema, 'WebhookEndpointPage'), 'A page of endpoints'),
    ...problemResponses(400, 401, 422),
  },
});

export const getEndpoint = createRoute({
  method: 'get',
  path: '/v1/webhook-endpoints/{endpointId}',
  tags: TAGS,
  summary: 'A webhook endpoint (with why it is disabled, if it is)',
  request: { params: EndpointParams },
  responses: { 200: json(EndpointSchema, 'The endpoint'), ...problemResponses(401, 404, 422) },
});

export const patchEndpoint = createRoute({
  method: 'patch',
  path: '/v1/webhook-endpoints/{endpointId}',
  tags: TAGS,
  summary: 'Change a webhook endpoint: its URL, events, description, or re-enable it',
  request: {
    params: EndpointParams,
    body: { content: { 'application/json': { schema: PatchEndpointBody } }, required: true },
  },
  responses: { 200: json(EndpointSchema, 'The endpoint'), ...problemResponses(400, 401, 404, 409, 422) },
});

export const deleteEndpoint = createRoute({
  method: 'delete',
  path: '/v1/webhook-endpoints/{endpointId}',
  tags: TAGS,
  summary: 'Delete a webhook endpoint with its deliveries',
  request: { params: EndpointParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 404, 422) },
});

export const rotateSecret = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{endpointId}/rotate-secret',
  tags: TAGS,
  summary: `A new signing secret, shown once; the previous one signs too for ${SECRET_OVERLAP_HOURS} hours`,
  description:
    'During the overlap every delivery carries two signatures in `webhook-signature` (space-separated), so a ' +
    'receiver verifies with either secret while it switches.',
  request: { params: EndpointParams },
  responses: {
    200: json(EndpointWithSecretSchema, 'The endpoint, with its new secret (shown only now)'),
    ...problemResponses(401, 404, 422),
  },
});

export const sendTestEvent = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{endpointId}/test',
  tags: TAGS,
  summary: 'Send a test event (`webhook.test`) to this endpoint',
  request: { params: EndpointParams },
  responses: {
    202: json(DeliverySchema, 'The delivery of the test event, on its way'),
    ...problemResponses(401, 404, 409, 422),
  },
});

export const listDeliveries = createRoute({
  method: 'get',
  path: '/v1/webhook-endpoints/{endpointId}/deliveries',
  tags: TAGS,
  summary: "The endpoint's deliveries, newest first, each with every attempt",
  request: {
    params: EndpointParams,
    query: z.object({
      ...ListQuery,
      status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
      eventId: z.uuid().optional().openapi({ description: 'Only the delivery of this event.' }),
    }),
  },
  responses: {
    200: json(pageOf(DeliverySchema, 'WebhookDeliveryPage'), 'A page of deliveries'),
    ...problemResponses(400, 401, 404, 422),
  },
});

export const redeliver = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver',
  tags: TAGS,
  summary: 'Send a delivery again now (same event id), with a fresh retry window',
  request: { params: DeliveryParams },
  responses: {
    202: json(DeliverySchema, 'The delivery, pending again'),
    ...problemResponses(401, 404, 409, 422),
  },
});
