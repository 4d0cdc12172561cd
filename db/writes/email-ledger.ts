/**
 * The one writer of the email ledger (`email_messages`): a row per intended message, pending
 * before the call, stamped with the call it goes out in, settled after (activities/send-once.ts);
 * delivered or bounced by Postmark's webhooks. A later write never undoes an earlier fact:
 * `sent` only settles a pending row, and a late Delivery never overwrites a Bounce.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { EmailKind } from '../entities/email.entity';
import { sql, sqlArray } from '../sql';
import { emitEmailOutcomes, inTransaction, type LedgerEventRow, type WebhookWakes } from './webhook-events';

/**
 * Metadata every message carries (Postmark allows 20 characters per key and 80 per value): the
 * call it went out in, and its ledger row, which Postmark echoes back in its webhooks.
 */
export const ATTEMPT_KEY = 'rosterAttempt';
export const LEDGER_KEY = 'rosterLedgerId';

export type LedgerStatus = 'pending' | 'sent' | 'failed' | 'delivered' | 'bounced' | 'suppressed';

export interface LedgerEntry {
  /** Unique per intended message: a retry finds the row and does not send twice. */
  ledgerKey: string;
  attendeeId: string | null;
  eventId: string;
  kind: EmailKind;
  to: string;
}

export interface LedgerRow {
  id: string;
  ledger_key: string;
  status: LedgerStatus;
  send_attempt: string | null;
  provider_message_id: string | null;
  error_code: number | null;
  error_message: string | null;
  /** The Postmark message stream its last call went out on (null: never stamped, or before streams were kept). */
  message_stream: string | null;
}

/** Pending rows for the entries not on the ledger yet; answers every entry's row. */
export async function openLedgerRows(
  em: EntityManager,
  entries: readonly LedgerEntry[],
): Promise<LedgerRow[]> {
  if (entries.length === 0) return [];
  await sql(em)(
    `insert into email_messages (id, ledger_key, attendee_id, event_id, kind, to_address, status, created_at)
     select gen_random_uuid(), r.ledger_key, r.attendee_id, r.event_id, r.kind, r.to_address, 'pending', now()
       from jsonb_to_recordset(?::jsonb) as r(ledger_key text, attendee_id uuid, event_id uuid, kind text, to_address text)
     on conflict (ledger_key) do nothing`,
    [
      JSON.stringify(
        entries.map((e) => ({
          ledger_key: e.ledgerKey,
          attendee_id: e.attendeeId,
          event_id: e.eventId,
          kind: e.kind,
          to_address: e.to,
        })),
      ),
    ],
  );
  return sql(em)<LedgerRow[]>(
    `select id, ledger_key, status, send_attempt, provider_message_id, error_code, error_message, message_stream
       from email_messages where ledger_key = any(?::text[])`,
    [sqlArray(entries.map((e) => e.ledgerKey))],
  );
}

/**
 * Stamps pending rows with a new call id and the message stream it goes out on, committed before
 * the call is made (the EntityManager must not be inside a transaction); answers the id.
 */
export async function stampAttempt(
  em: EntityManager,
  ledgerIds: readonly string[],
  stream = 'outbound',
): Promise<string> {
  const attempt = randomUUID();
  await sql(em)(
    `update email_messages set send_attempt = ?, message_stream = ?
      where id = any(?::uuid[]) and status = 'pending'`,
    [attempt, stream, sqlArray(ledgerIds)],
  );
  return attempt;
}

/**
 * Messages not sent because their address is on the organization's suppression list: only
 * pending rows, with the reason (`suppressed: spam_complaint`). Final, never retried.
 */
export async function settleSuppressed(
  em: EntityManager,
  suppressed: readonly { id: string; reason: string }[],
): Promise<void> {
  if (suppressed.length === 0) return;
  await sql(em)(
    `update email_messages m set status = 'suppressed', error_message = 'suppressed: ' || v.reason
       from jsonb_to_recordset(?::jsonb) as v(id uuid, reason text)
      where m.id = v.id and m.status = 'pending'`,
    [JSON.stringify(suppressed)],
  );
}

/**
 * Postmark took these messages (ledger id → provider message id). Only a pending row becomes
 * `sent`; a webhook that came first (delivered, bounced) keeps its status.
 */
export async function settleSent(em: EntityManager, sent: ReadonlyMap<string, string>): Promise<void> {
  if (sent.size === 0) return;
  await sql(em)(
    `update email_messages m
        set status = case when m.status = 'pending' then 'sent' else m.status end,
            provider_message_id = coalesce(m.provider_message_id, v.message_id),
            sent_at = coalesce(m.sent_at, now())
       from jsonb_to_recordset(?::jsonb) as v(id uuid, message_id text)
      where m.id = v.id and m.status <> 'failed'`,
    [JSON.stringify([...sent].map(([id, messageId]) => ({ id, message_id: messageId })))],
  );
}

const LEDGER_EVENT_COLUMNS = `m.id, m.attendee_id, m.event_id, m.kind, m.to_address, m.status, m.provider_message_id,
  m.error_code, m.error_message, m.created_at, m.sent_at`;

/**
 * Final refusals (inactive recipient, invalid address, ...): only pending rows, each with its
 * `email.failed` webhook event in the same transaction.
 */
export async function settleFailed(
  em: EntityManager,
  failed: readonly { id: string; code: number; message: string }[],
  wakes?: WebhookWakes,
): Promise<void> {
  if (failed.length === 0) return;
  await inTransaction(em, async (tx) => {
    const settled = await sql(tx)<LedgerEventRow[]>(
      `update email_messages m set status = 'failed', error_code = v.code, error_message = v.message
         from jsonb_to_recordset(?::jsonb) as v(id uuid, code int, message text)
        where m.id = v.id and m.status = 'pending'
        returning ${LEDGER_EVENT_COLUMNS}`,
      [JSON.stringify(failed)],
    );
    await emitEmailOutcomes(tx, settled, 'failed', wakes);
  });
}

/**
 * A Postmark Delivery or Bounce webhook: found by the provider's message id, or by the ledger id
 * the message carried as metadata (a webhook may come before the send's answer is stored). A late
 * Delivery never overwrites a Bounce. Writes the `email.delivered` / `email.bounced` webhook
 * event in the same transaction (once per row and outcome, however often Postmark repeats it).
 * Answers the attendees of the rows changed.
 */
export async function recordProviderEvent(
  em: EntityManager,
  event: { status: 'delivered' | 'bounced'; messageId: string; ledgerId: string | null },
  wakes?: WebhookWakes,
): Promise<{ attendee_id: string | null }[]> {
  return inTransaction(em, async (tx) => {
    const rows = await sql(tx)<LedgerEventRow[]>(
      `update email_messages m set status = ?, provider_message_id = coalesce(provider_message_id, ?)
        where (provider_message_id = ?
               or (id = ?::uuid and (provider_message_id is null or provider_message_id = ?)))
          and status <> 'failed' and (status <> 'bounced' or ? = 'bounced')
        returning ${LEDGER_EVENT_COLUMNS}`,
      [event.status, event.messageId, event.messageId, event.ledgerId, event.messageId, event.status],
    );
    await emitEmailOutcomes(tx, rows, event.status, wakes);
    return rows.map((r) => ({ attendee_id: r.attendee_id }));
  });
}
