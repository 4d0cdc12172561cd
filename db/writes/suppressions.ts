/**
 * The one writer of the organization's suppression list (`email_suppressions`): a hard bounce, a
 * spam complaint, an unsubscribe (List-Unsubscribe or Postmark's own) or an organizer adds an
 * address; an organizer, or Postmark reactivating the address, lifts it. Every send path skips
 * the addresses on the list (activities/send-once.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { emailKey } from '../../domain/email-address';
import type { SuppressionReason, SuppressionSource } from '../../domain/suppressions';
import type { SuppressionRow } from '../queries/suppressions';
import { sql } from '../sql';
import { markDeliverable } from './attendees';
import { inTransaction } from './webhook-events';

export interface NewSuppression {
  organizationId: string;
  email: string;
  reason: SuppressionReason;
  source: SuppressionSource;
  detail?: string | null;
  eventId?: string | null;
}

const COLUMNS = `id, organization_id, email, reason, source, detail, event_id, created_at,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

/**
 * Puts the address on the organization's list. An address already there keeps its first row
 * (reason, source, time): `created` says whether this call added it.
 */
export async function addSuppression(
  em: EntityManager,
  s: NewSuppression,
): Promise<{ created: boolean; row: SuppressionRow }> {
  const key = emailKey(s.email);
  const inserted = await sql(em)<SuppressionRow[]>(
    `insert into email_suppressions (id, organization_id, email, reason, source, detail, event_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, now())
     on conflict (organization_id, email) do nothing
     returning ${COLUMNS}`,
    [
      randomUUID(),
      s.organizationId,
      key,
      s.reason,
      s.source,
      s.detail?.slice(0, 300) ?? null,
      s.eventId ?? null,
    ],
  );
  if (inserted[0]) return { created: true, row: inserted[0] };
  const [existing] = await sql(em)<SuppressionRow[]>(
    `select ${COLUMNS} from email_suppressions where organization_id = ? and email = ?`,
    [s.organizationId, key],
  );
  if (!existing) throw new Error('suppression vanished while it was added');
  return { created: false, row: existing };
}

/**
 * Lifts the address's suppression in the organization (answers whether there was one); its
 * attendees there may be emailed again, a hard bounce's per-attendee mark included.
 */
export async function liftSuppression(em: EntityManager, organizationId: string, email: string) {
  const key = emailKey(email);
  return inTransaction(em, async (tx) => {
    const lifted = await sql(tx)<{ id: string }[]>(
      'delete from email_suppressions where organization_id = ? and email = ? returning id',
      [organizationId, key],
    );
    if (lifted.length > 0) await markDeliverable(tx, organizationId, key);
    return lifted.length > 0;
  });
}

/**
 * Postmark reactivated the address (a SubscriptionChange with SuppressSending false): lifts what
 * Postmark's webhooks put on the list, in the organization whose email it names, or, when it names
 * none (a reactivation in Postmark's UI or API), in every organization. What a recipient or an
 * organizer put there through Roster stays. Answers how many were lifted.
 */
export async function liftPostmarkSuppressions(
  em: EntityManager,
  email: string,
  organizationId: string | null,
): Promise<number> {
  const key = emailKey(email);
  return inTransaction(em, async (tx) => {
    const lifted = await sql(tx)<{ organization_id: string }[]>(
      `delete from email_suppressions
        where email = ? and source = 'postmark' ${organizationId ? 'and organization_id = ?' : ''}
        returning organization_id`,
      organizationId ? [key, organizationId] : [key],
    );
    for (const row of lifted) await markDeliverable(tx, row.organization_id, key);
    return lifted.length;
  });
}
