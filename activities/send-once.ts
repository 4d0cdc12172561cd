/**
 * Every email Roster sends goes through `sendOnce`: a pending ledger row is written before the
 * call, a row an earlier attempt settled is not sent again, a call whose answer never came is
 * looked up at Postmark first (email-ledger.ts), each row is stamped with the call it goes out
 * in, then the call is made and its answer settled on the ledger. Callers give the recipients
 * and the rendering; the rendering runs only for what is really sent (its links' tokens too).
 */
import type { EntityManager } from '@mikro-orm/core';
import { log } from '@temporalio/activity';
import {
  type LedgerEntry,
  type LedgerRow,
  openLedgerRows,
  settleFailed,
  settleSent,
  stampAttempt,
} from '../db/writes/email-ledger';
import { acceptedEarlier, attemptMetadata, whileHeartbeating } from './email-ledger';
import { EmailRejectedError, type EmailTransport, type OutgoingEmail } from './email-transport';

/** Postmark takes at most 500 messages per batch call. */
export const MAX_BATCH = 500;

/** A message's content; `sendOnce` adds the sender, the recipient and the ledger's metadata. */
export type EmailContent = Pick<OutgoingEmail, 'subject' | 'html' | 'text' | 'tag' | 'metadata'>;

/**
 * `sent` also when an earlier call got through (found at Postmark) or a webhook came first;
 * `pending`: refused for now (batch only: rate limit, ...), to be retried. `earlier`: settled
 * before this call, nothing was sent now.
 */
export type SendOutcome =
  | { status: 'sent'; messageId: string | null; earlier: boolean }
  | { status: 'failed'; code: number | null; message: string; earlier: boolean }
  | { status: 'pending' };

export interface SendOnceDeps {
  email: EmailTransport;
  emailFrom: string;
}

const settledBefore = (row: LedgerRow): SendOutcome | null => {
  if (row.status === 'pending') return null;
  if (row.status === 'failed') {
    return {
      status: 'failed',
      code: row.error_code,
      message: row.error_message ?? 'rejected',
      earlier: true,
    };
  }
  return { status: 'sent', messageId: row.provider_message_id, earlier: true };
};

/**
 * Sends each entry at most once per ledger key: one call per message (`single`, Postmark's
 * /email) or up to 500 per call (`batch`). Answers each entry's outcome by ledger key. A failed
 * call (429, 5xx, network, timeout) throws: the retried activity finds what it got through.
 * `em` must not be inside a transaction (each stamp is committed before its call).
 */
export async function sendOnce<T extends LedgerEntry>(
  deps: SendOnceDeps,
  em: EntityManager,
  entries: readonly T[],
  render: (todo: readonly T[]) => Promise<EmailContent[]>,
  options: { via: 'single' | 'batch' },
): Promise<Map<string, SendOutcome>> {
  const outcomes = new Map<string, SendOutcome>();
  const rows = new Map((await openLedgerRows(em, entries)).map((r) => [r.ledger_key, r]));
  const rowOf = (entry: T) => {
    const row = rows.get(entry.ledgerKey);
    if (!row) throw new Error(`ledger row ${entry.ledgerKey} vanished`);
    return row;
  };
  for (const entry of entries) {
    const settled = settledBefore(rowOf(entry));
    if (settled) outcomes.set(entry.ledgerKey, settled);
  }

  // Calls of earlier attempts whose answer never came: what Postmark took counts as sent.
  const unsettled = entries.filter((e) => !outcomes.has(e.ledgerKey)).map(rowOf);
  const accepted = await acceptedEarlier(deps.email, unsettled);
  await settleSent(em, accepted);
  for (const row of unsettled) {
    const messageId = accepted.get(row.id);
    if (messageId) outcomes.set(row.ledger_key, { status: 'sent', messageId, earlier: false });
  }

  const todo = entries.filter((e) => !outcomes.has(e.ledgerKey));
  const size = options.via === 'batch' ? MAX_BATCH : 1;
  for (let i = 0; i < todo.length; i += size) {
    const chunk = todo.slice(i, i + size);
    const contents = await render(chunk);
    const attempt = await stampAttempt(
      em,
      chunk.map((e) => rowOf(e).id),
    );
    const messages: OutgoingEmail[] = chunk.map((entry, index) => {
      const content = contents[index] as EmailContent;
      return {
        ...content,
        from: deps.emailFrom,
        to: entry.to,
        metadata: { ...content.metadata, ...attemptMetadata(attempt, rowOf(entry).id) },
      };
    });
    const results =
      options.via === 'batch'
        ? await whileHeartbeating({ step: 'email', recipients: messages.length }, () =>
            deps.email.sendBatch(messages),
          )
        : [await sendSingle(deps.email, messages[0] as OutgoingEmail)];
    const sent = new Map<string, string>();
    const failed: { id: string; code: number; message: string }[] = [];
    results.forEach((result, index) => {
      const entry = chunk[index] as T;
      const id = rowOf(entry).id;
      if (result.ok) {
        sent.set(id, result.messageId);
        outcomes.set(entry.ledgerKey, { status: 'sent', messageId: result.messageId, earlier: false });
      } else if (result.final) {
        log.warn('email refused', { kind: entry.kind, attendeeId: entry.attendeeId, code: result.code });
        failed.push({ id, code: result.code, message: result.message });
        outcomes.set(entry.ledgerKey, {
          status: 'failed',
          code: result.code,
          message: result.message,
          earlier: false,
        });
      } else outcomes.set(entry.ledgerKey, { status: 'pending' });
    });
    await settleSent(em, sent);
    await settleFailed(em, failed);
  }
  return outcomes;
}

/** One message through /email, its final refusal as a result like the batch endpoint's. */
async function sendSingle(transport: EmailTransport, message: OutgoingEmail) {
  try {
    return { ok: true as const, ...(await transport.send(message)) };
  } catch (error) {
    if (!(error instanceof EmailRejectedError)) throw error;
    return { ok: false as const, code: error.code, message: error.message, final: true };
  }
}
