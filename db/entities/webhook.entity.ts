import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/**
 * An organization's outgoing webhook endpoint (Standard Webhooks). Its signing secret is stored
 * sealed with the payload keys (config/payload-codec.ts SecretBox); after a rotation the previous
 * one signs too until `previousSecretExpiresAt`. Written by db/writes/webhook-endpoints.ts; its
 * health (failing, backing off, disabled) by db/writes/webhook-deliveries.ts.
 */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    url: p.string().length(2048),
    description: p.string().length(500).nullable(),
    eventTypes: p.array().columnType('text[]'),
    secretSealed: p.text(),
    previousSecretSealed: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    enabled: p.boolean().default(true),
    disabledReason: p.text().nullable(),
    disabledAt: p.datetime().nullable(),
    // Since when every attempt has failed (null: the last one succeeded), and the endpoint's own
    // backoff: while it fails, one delivery at a time probes it when retryAt comes.
    failingSince: p.datetime().nullable(),
    consecutiveFailures: p.integer().default(0),
    retryAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ name: 'webhook_endpoints_organization_idx', properties: ['organization', 'createdAt', 'id'] }],
});

/**
 * The outbox: one row per event, written in the same transaction as the change that caused it.
 * `sourceKey` is derived from that cause (a history row id, a ledger row and outcome, ...), so a
 * retried activity or a replayed provider webhook never writes it twice. `data` is kept as `json`
 * (not jsonb) so the payload keeps the key order of the API's own answers.
 */
export const WebhookEvent = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    type: p.string().length(64),
    sourceKey: p.string().length(300).unique(),
    // The attendee the event is about: its payloads are redacted when the person is erased.
    subjectId: p.uuid().nullable(),
    data: p.json<Record<string, unknown>>().columnType('json'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { name: 'webhook_events_subject_idx', properties: ['subjectId'], where: 'subject_id is not null' },
  ],
});

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint: `pending` until an attempt succeeds (`succeeded`) or its retry
 * window has passed (`failed`). A dispatcher claims due rows with a lease (`leaseUntil`), so a
 * worker that dies mid-delivery leaves them to be claimed again once the lease has run out.
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.uuid().primary(),
    endpoint: () => p.manyToOne(WebhookEndpoint).deleteRule('cascade'),
    event: () => p.manyToOne(WebhookEvent).deleteRule('cascade'),
    status: p.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    // Start of the current retry window: when it was emitted, or asked for again.
    retryFrom: p.datetime(),
    leaseUntil: p.datetime().nullable(),
    leaseToken: p.uuid().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ name: 'webhook_deliveries_endpoint_event_unique', properties: ['endpoint', 'event'] }],
  indexes: [
    {
      name: 'webhook_deliveries_due_idx',
      properties: ['endpoint', 'nextAttemptAt'],
      where: "status = 'pending'",
    },
    { name: 'webhook_deliveries_endpoint_created_idx', properties: ['endpoint', 'createdAt', 'id'] },
    // The deliveries in flight (or left by a worker that died): few, found without a scan.
    {
      name: 'webhook_deliveries_lease_idx',
      properties: ['endpoint', 'leaseUntil'],
      where: 'lease_until is not null',
    },
  ],
});

/** Every attempt of a delivery, kept: answer code, duration, error and the start of the answer. */
export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  properties: {
    id: p.uuid().primary(),
    delivery: () => p.manyToOne(WebhookDelivery).deleteRule('cascade'),
    at: p.datetime(),
    succeeded: p.boolean(),
    statusCode: p.integer().nullable(),
    durationMs: p.integer(),
    error: p.text().nullable(),
    responseBody: p.text().nullable(),
  },
  indexes: [{ name: 'webhook_attempts_delivery_idx', properties: ['delivery', 'at'] }],
});
