import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/** The first answer to a mutating request that carried an Idempotency-Key; kept 24 hours. */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_records',
  indexes: [{ name: 'idempotency_records_created_at_idx', properties: ['createdAt'] }],
  properties: {
    organization: () => p.manyToOne(Organization).primary().deleteRule('cascade'),
    key: p.string().length(255).primary(),
    requestHash: p.string().length(64),
    // Null while the first request is still running.
    statusCode: p.integer().nullable(),
    // Null with a status: the answer carried a secret shown once, so no copy was kept.
    responseBody: p.json<unknown>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
