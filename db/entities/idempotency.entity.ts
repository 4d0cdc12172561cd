import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/** The first answer to a mutating request that carried an Idempotency-Key. */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_records',
  properties: {
    organization: () => p.manyToOne(Organization).primary().deleteRule('cascade'),
    key: p.string().length(255).primary(),
    requestHash: p.string().length(64),
    // Null while the first request is still running.
    statusCode: p.integer().nullable(),
    responseBody: p.json<unknown>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
