import { defineEntity, p } from '@mikro-orm/core';
import { Attendee } from './attendee.entity';
import { Organization } from './organization.entity';

/**
 * Uploaded profile images, kept in the database so every API instance can serve them. Each
 * belongs to its attendee: deleted with it (erasure), on removal and when replaced.
 */
export const Image = defineEntity({
  name: 'Image',
  tableName: 'images',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    attendee: () => p.manyToOne(Attendee).deleteRule('cascade').index(),
    contentType: p.string().length(50),
    bytes: p.blob(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** What an erasure leaves behind: counts, no personal data. */
export const Erasure = defineEntity({
  name: 'Erasure',
  tableName: 'erasures',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    at: p.datetime(),
    attendees: p.integer(),
    events: p.integer(),
  },
});
