import { defineEntity, p } from '@mikro-orm/core';

export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().length(100).unique(),
    name: p.string().length(200),
    /** Origins (scheme, host, port) of the organization's event sites: allowed to call the public API. */
    eventSiteOrigins: p.array().columnType('text[]').defaultRaw("'{}'"),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    // sha256 of the key: the key itself is shown once and never stored.
    keyHash: p.string().length(64).unique(),
    label: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
