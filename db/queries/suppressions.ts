/** Reads of the organization's suppression list (written by db/writes/suppressions.ts). */
import type { EntityManager } from '@mikro-orm/core';
import { emailKey } from '../../domain/email-address';
import type { SuppressionReason, SuppressionSource } from '../../domain/suppressions';
import { sql } from '../sql';

export interface SuppressionRow {
  id: string;
  organization_id: string;
  email: string;
  reason: SuppressionReason;
  source: SuppressionSource;
  detail: string | null;
  event_id: string | null;
  created_at: Date;
  /** created_at to the microsecond, as text: the keyset cursor's value. */
  created_key: string;
}

export const toSuppressionDto = (r: SuppressionRow) => ({
  email: r.email,
  reason: r.reason,
  source: r.source,
  detail: r.detail,
  eventId: r.event_id,
  createdAt: new Date(r.created_at).toISOString(),
});

const COLUMNS = `id, organization_id, email, reason, source, detail, event_id, created_at,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

/** Newest first, a keyset page after (created_key, id), filtered by address and reason, and the total. */
export async function listSuppressions(
  em: EntityManager,
  organizationId: string,
  filter: { email?: string; reason?: SuppressionReason },
  limit: number,
  after: { value: string; id: string } | null,
) {
  const where = ['organization_id = ?'];
  const params: unknown[] = [organizationId];
  if (filter.email) {
    where.push('email = ?');
    params.push(emailKey(filter.email));
  }
  if (filter.reason) {
    where.push('reason = ?');
    params.push(filter.reason);
  }
  const page = after ? ' and (created_at, id) < (?::timestamptz, ?::uuid)' : '';
  const [rows, total] = await Promise.all([
    sql(em)<SuppressionRow[]>(
      `select ${COLUMNS} from email_suppressions where ${where.join(' and ')}${page}
        order by created_at desc, id desc limit ?`,
      [...params, ...(after ? [after.value, after.id] : []), limit + 1],
    ),
    sql(em)<{ n: string }[]>(
      `select count(*) as n from email_suppressions where ${where.join(' and ')}`,
      params,
    ),
  ]);
  return { items: rows.slice(0, limit), hasMore: rows.length > limit, total: Number(total[0]?.n ?? 0) };
}

export async function findSuppression(em: EntityManager, organizationId: string, email: string) {
  const [row] = await sql(em)<SuppressionRow[]>(
    `select ${COLUMNS} from email_suppressions where organization_id = ? and email = ?`,
    [organizationId, emailKey(email)],
  );
  return row ?? null;
}

/**
 * Which of these intended messages go to an address suppressed in the organization of their
 * event: ledger key → reason. One indexed lookup for a whole batch.
 */
export async function suppressedAmong(
  em: EntityManager,
  entries: readonly { ledgerKey: string; eventId: string; to: string }[],
): Promise<Map<string, SuppressionReason>> {
  if (entries.length === 0) return new Map();
  const rows = await sql(em)<{ ledger_key: string; reason: SuppressionReason }[]>(
    `select m.ledger_key, s.reason
       from jsonb_to_recordset(?::jsonb) as m(ledger_key text, event_id uuid, email text)
       join events e on e.id = m.event_id
       join email_suppressions s on s.organization_id = e.organization_id and s.email = m.email`,
    [
      JSON.stringify(
        entries.map((e) => ({ ledger_key: e.ledgerKey, event_id: e.eventId, email: emailKey(e.to) })),
      ),
    ],
  );
  return new Map(rows.map((r) => [r.ledger_key, r.reason]));
}

/**
 * The organization, event and address of the email a Postmark webhook is about: its ledger row,
 * found by Postmark's message id or by the ledger id it carried as metadata; else the event named
 * in its metadata. Null when neither names one of Roster's emails.
 */
export async function emailOrigin(
  em: EntityManager,
  ref: { messageId: string | null; ledgerId: string | null; eventId: string | null },
): Promise<{ organizationId: string; eventId: string; email: string | null } | null> {
  if (ref.messageId || ref.ledgerId) {
    const [row] = await sql(em)<{ organization_id: string; event_id: string; to_address: string }[]>(
      `select e.organization_id, m.event_id, m.to_address
         from email_messages m join events e on e.id = m.event_id
        where m.provider_message_id = ? or m.id = ?::uuid
        limit 1`,
      [ref.messageId ?? '', ref.ledgerId],
    );
    if (row) return { organizationId: row.organization_id, eventId: row.event_id, email: row.to_address };
  }
  if (!ref.eventId) return null;
  const [event] = await sql(em)<{ organization_id: string }[]>(
    'select organization_id from events where id = ?::uuid',
    [ref.eventId],
  );
  return event ? { organizationId: event.organization_id, eventId: ref.eventId, email: null } : null;
}
