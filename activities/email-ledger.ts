/**
 * Exactly-once email across unknown outcomes. A provider call that timed out, or was in flight
 * when a worker died, may or may not have reached Postmark. Every pending ledger row is stamped
 * with the id of the call it goes out in (committed before the call), and every message carries
 * that id and its ledger row id as metadata. Before a row is sent again, the calls it was stamped
 * with are looked up through Postmark's message search: what Postmark took is recorded as sent,
 * and only the rest is sent again. The routine that does all this is send-once.ts; the ledger's
 * writes are db/writes/email-ledger.ts.
 */
import { heartbeat } from '@temporalio/activity';
import { ATTEMPT_KEY, LEDGER_KEY } from '../db/writes/email-ledger';
import { type EmailTransport, TRANSACTIONAL_STREAM } from './email-transport';

export { ATTEMPT_KEY, LEDGER_KEY };

export interface UnsettledRow {
  id: string;
  send_attempt: string | null;
  /** The stream the stamped call went out on (Postmark searches one stream at a time). */
  message_stream?: string | null;
}

/**
 * Ledger rows that an earlier call did get through: row id → provider message id. Rows never
 * stamped were never sent, so they cost no lookup; each call is looked up on its own stream.
 */
export async function acceptedEarlier(
  transport: EmailTransport,
  rows: readonly UnsettledRow[],
): Promise<Map<string, string>> {
  const wanted = new Set(rows.map((r) => r.id));
  const calls = new Map<string, { attempt: string; stream: string }>();
  for (const r of rows) {
    if (!r.send_attempt) continue;
    const stream = r.message_stream ?? TRANSACTIONAL_STREAM;
    calls.set(`${r.send_attempt}/${stream}`, { attempt: r.send_attempt, stream });
  }
  const accepted = new Map<string, string>();
  for (const { attempt, stream } of calls.values()) {
    for (const message of await transport.findSent(ATTEMPT_KEY, attempt, stream)) {
      const ledgerId = message.metadata[LEDGER_KEY];
      if (ledgerId && wanted.has(ledgerId)) accepted.set(ledgerId, message.messageId);
    }
  }
  return accepted;
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
