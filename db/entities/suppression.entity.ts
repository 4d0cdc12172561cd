import { defineEntity, p } from '@mikro-orm/core';
import { SUPPRESSION_REASONS, SUPPRESSION_SOURCES } from '../../domain/suppressions';
import { Event } from './event.entity';
import { Organization } from './organization.entity';

/**
 * An organization's suppression list: no email of any kind goes to the address in any of its
 * events until the row is lifted. Written only by db/writes/suppressions.ts.
 */
export const EmailSuppression = defineEntity({
  name: 'EmailSuppression',
  tableName: 'email_suppressions',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    // Normalized (domain/email-address.ts emailKey).
    email: p.string().length(254),
    reason: p.enum(SUPPRESSION_REASONS),
    source: p.enum(SUPPRESSION_SOURCES),
    // What it came from: Postmark's record type and message, the API key that added it.
    detail: p.string().length(300).nullable(),
    // The event whose email it came from, when one did.
    event: () => p.manyToOne(Event).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: 'email_suppressions_organization_email_unique', properties: ['organization', 'email'] }],
  indexes: [
    {
      name: 'email_suppressions_organization_created_idx',
      properties: ['organization', 'createdAt', 'id'],
    },
    // A reactivation at Postmark names no message: its suppressions are found by address.
    { name: 'email_suppressions_email_idx', properties: ['email'] },
  ],
});
