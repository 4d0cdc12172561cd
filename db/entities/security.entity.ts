import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/** Organizer and SCIM actions: who did what, when. Read per event and per organization through the API. */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    eventId: p.uuid().nullable(),
    actor: p.string().length(200),
    method: p.string().length(10),
    path: p.string().length(500),
    status: p.integer(),
    at: p.datetime(),
  },
  indexes: [
    { name: 'audit_log_event_at_idx', properties: ['eventId', 'at', 'id'] },
    { name: 'audit_log_organization_at_idx', properties: ['organization', 'at', 'id'] },
  ],
});

/** Fixed-window request counters, shared by every API instance. */
export const RateLimitWindow = defineEntity({
  name: 'RateLimitWindow',
  tableName: 'rate_limits',
  properties: {
    key: p.string().length(200).primary(),
    windowStart: p.datetime().primary(),
    /** The window's end: rows past it are purged (rate-limit.ts). */
    expiresAt: p.datetime().index(),
    count: p.integer(),
  },
});
