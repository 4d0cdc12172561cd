/**
 * Exactly-once email across unknown outcomes. A provider call that timed out, or was in flight
 * when a worker died, may or may not have reached Postmark. Every pending ledger row is stamped
 * with the id of the call it goes out in (committed before the call), and every message carries
 * that id and its ledger row id as metadata. Before a row is sent again, the calls it was stamped
 * with are looked up through Postmark's message search: what Postmark took is recorded as sent,
 * and only the rest is sent again.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { heartbeat } from '@temporalio/activity';
import { sql } from '../db/queries/imports';
import type { EmailTransport } from './email-transport';

/** Metadata keys (Postmark allows 20 characters per key and 80 per value). */
export const ATTEMPT_KEY = 'rosterAttempt';
export const LEDGER_KEY = 'rosterLedgerId';

export interface UnsettledRow {
  id: string;
  send_attempt: string | null;
}

/**
 * Ledger rows that an earlier call did get through: row id → provider message id. Rows never
 * stamped were never sent, so they cost no lookup.
 */
export async function acceptedEarlier(
  transport: EmailTransport,
  rows: readonly UnsettledRow[],
): Promise<Map<string, string>> {
  const wanted = new Set(rows.map((r) => r.id));
  const attempts = new Set(rows.flatMap((r) => (r.send_attempt ? [r.send_attempt] : [])));
  const accepted = new Map<string, string>();
  for (const attempt of attempts) {
    for (const message of await transport.findSent(ATTEMPT_KEY, attempt)) {
      const ledgerId = message.metadata[LEDGER_KEY];
      if (ledgerId && wanted.has(ledgerId)) accepted.set(ledgerId, message.messageId);
    }
  }
  return accepted;
}

/** Records what Postmark had taken as sent (only rows still pending). */
export async function markAccepted(em: EntityManager, accepted: ReadonlyMap<string, string>) {
  if (accepted.size === 0) return;
  await sql(em)(
    `update email_messages m set status = 'sent', provider_message_id = v.message_id, sent_at = now()
       from jsonb_to_recordset(?::jsonb) as v(id uuid, message_id text)
      where m.id = v.id and m.status = 'pending'`,
    [JSON.stringify([...accepted].map(([id, messageId]) => ({ id, message_id: messageId })))],
  );
}

/**
 * Stamps pending rows with a new call id, committed before the call is made (the EntityManager
 * must not be inside a transaction), and answers the metadata for each row's message.
 */
export async function stampAttempt(em: EntityManager, ledgerIds: readonly string[]) {
  const attempt = randomUUID();
  await sql(em)(
    `update email_messages set send_attempt = ?
      where id in (select jsonb_array_elements_text(?::jsonb)::uuid) and status = 'pending'`,
    [attempt, JSON.stringify(ledgerIds)],
  );
  return (ledgerId: string) => attemptMetadata(attempt, ledgerId);
}

export const attemptMetadata = (attempt: string, ledgerId: string) => ({
  [ATTEMPT_KEY]: attempt,
  [LEDGER_KEY]: ledgerId,
});

/** Heartbeats while a provider call runs, so a slow call is not taken for a dead worker. */
export async function whileHeartbeating<T>(details: unknown, call: () => Promise<T>): Promise<T> {
  heartbeat(details);
  const timer = setInterval(() => heartbeat(details), 5_000);
  try {
    return await call();
  } finally {
    clearInterval(timer);
  }
}
