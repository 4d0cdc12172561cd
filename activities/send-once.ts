/**
 * Every email Roster sends goes through `sendOnce`: a pending ledger row is written before the
 * call, a row an earlier attempt settled is not sent again, a call whose answer never came is
 * looked up at Postmark first (email-ledger.ts), each row is stamped with the call it goes out
 * in, then the call is made and its answer settled on the ledger. Callers give the recipients
 * and the rendering; the rendering runs only for what is really sent (its links' tokens too).
 * An address on the organization's suppression list is not sent to: its row is settled
 * `suppressed` (final, not an error). Bulk sends go on the broadcast stream when one is set, each
 * with its List-Unsubscribe link; everything else on the transactional stream.
 */
import type { EntityManager } from '@mikro-orm/core';
import { log } from '@temporalio/activity';
import { suppressedAmong } from '../db/queries/suppressions';
import {
  type LedgerEntry,
  type LedgerRow,
  openLedgerRows,
  settleFailed,
  settleSent,
  settleSuppressed,
  stampAttempt,
} from '../db/writes/email-ledger';
import type { WebhookWakes } from '../db/writes/webhook-events';
import { listUnsubscribeHeaders } from '../domain/list-unsubscribe';
import type { Metrics } from '../observability/metrics';
import type { BroadcastSettings } from './deps';
import { acceptedEarlier, attemptMetadata, whileHeartbeating } from './email-ledger';
import {
  EmailRejectedError,
  type EmailTransport,
  type OutgoingEmail,
  TRANSACTIONAL_STREAM,
} from './email-transport';
import { wakeWebhooks } from './webhook-wake';

/** Postmark takes at most 500 messages per batch call. */
export const MAX_BATCH = 500;

/** A message's content; `sendOnce` adds the sender, the recipient and the ledger's metadata. */
export type EmailContent = Pick<
  OutgoingEmail,
  'subject' | 'html' | 'text' | 'tag' | 'metadata' | 'attachments'
>;

/**
 * `sent` also when an earlier call got through (found at Postmark) or a webhook came first;
 * `pending`: refused for now (batch only: rate limit, ...), to be retried; `suppressed`: not sent,
 * the address is on the organization's suppression list (final, not an error). `earlier`: settled
 * before this call, nothing was sent now.
 */
export type SendOutcome =
  | { status: 'sent'; messageId: string | null; earlier: boolean }
  | { status: 'failed'; code: number | null; message: string; earlier: boolean }
  | { status: 'suppressed'; reason: string; earlier: boolean }
  | { status: 'pending' };

export interface SendOnceDeps {
  email: EmailTransport;
  emailFrom: string;
  /** Wakes webhook dispatchers after a final refusal wrote its `email.failed` event. */
  wakeWebhooks?: (endpointIds: ReadonlySet<string>) => Promise<void>;
  /** Where bulk sends go (the broadcast stream, with List-Unsubscribe); absent: `outbound`. */
  broadcast?: BroadcastSettings;
  /** Emails are counted here, once each, as the ledger settles them. */
  metrics?: Pick<Metrics, 'emailsSent' | 'emailsFailed' | 'emailsSuppressed'>;
}

/** Counts the outcomes this call settled (not those earlier calls had) that are not counted yet. */
function countSettled(
  metrics: SendOnceDeps['metrics'],
  entries: readonly LedgerEntry[],
  outcomes: ReadonlyMap<string, SendOutcome>,
  counted: Set<string>,
) {
  if (!metrics) return;
  const counters = {
    sent: metrics.emailsSent,
    failed: metrics.emailsFailed,
    suppressed: metrics.emailsSuppressed,
  };
  const tally = new Map<string, { counter: (typeof counters)['sent']; kind: string; n: number }>();
  for (const entry of entries) {
    const outcome = outcomes.get(entry.ledgerKey);
    if (!outcome || outcome.status === 'pending' || outcome.earlier || counted.has(entry.ledgerKey)) continue;
    const counter = counters[outcome.status as keyof typeof counters];
    if (!counter) continue;
    counted.add(entry.ledgerKey);
    const key = `${outcome.status}/${entry.kind}`;
    const row = tally.get(key) ?? { counter, kind: entry.kind, n: 0 };
    row.n += 1;
    tally.set(key, row);
  }
  for (const { counter, kind, n } of tally.values()) counter.inc({ kind }, n);
}

const settledBefore = (row: LedgerRow): SendOutcome | null => {
  if (row.status === 'pending') return null;
  if (row.status === 'suppressed') {
    const reason = row.error_message?.replace(/^suppressed: /, '') ?? 'suppressed';
    return { status: 'suppressed', reason, earlier: true };
  }
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
 * `bulk`: a send to many (import invitations, reminders, organizer messages), which goes on the
 * broadcast stream when one is configured. `em` must not be inside a transaction (each stamp is
 * committed before its call).
 */
export async function sendOnce<T extends LedgerEntry>(
  deps: SendOnceDeps,
  em: EntityManager,
  entries: readonly T[],
  render: (todo: readonly T[]) => Promise<EmailContent[]>,
  options: { via: 'single' | 'batch'; bulk?: boolean },
): Promise<Map<string, SendOutcome>> {
  const outcomes = new Map<string, SendOutcome>();
  const counted = new Set<string>();
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
  countSettled(deps.metrics, entries, outcomes, counted);

  // Addresses on the organization's suppression list: settled as skipped, never rendered or sent.
  const suppressed = await suppressedAmong(
    em,
    entries.filter((e) => !outcomes.has(e.ledgerKey)),
  );
  await settleSuppressed(
    em,
    entries.flatMap((e) => {
      const reason = suppressed.get(e.ledgerKey);
      return reason ? [{ id: rowOf(e).id, reason }] : [];
    }),
  );
  for (const [ledgerKey, reason] of suppressed) {
    outcomes.set(ledgerKey, { status: 'suppressed', reason, earlier: false });
  }
  countSettled(deps.metrics, entries, outcomes, counted);

  const todo = entries.filter((e) => !outcomes.has(e.ledgerKey));
  const size = options.via === 'batch' ? MAX_BATCH : 1;
  const broadcast = options.bulk ? deps.broadcast : undefined;
  const stream = broadcast?.stream ?? TRANSACTIONAL_STREAM;
  for (let i = 0; i < todo.length; i += size) {
    const chunk = todo.slice(i, i + size);
    const contents = await render(chunk);
    const attempt = await stampAttempt(
      em,
      chunk.map((e) => rowOf(e).id),
      stream,
    );
    const messages: OutgoingEmail[] = chunk.map((entry, index) => {
      const content = contents[index] as EmailContent;
      const unsubscribe =
        broadcast && entry.attendeeId ? broadcast.unsubscribeUrl(entry.attendeeId, entry.eventId) : null;
      return {
        ...content,
        from: deps.emailFrom,
        to: entry.to,
        metadata: { ...content.metadata, ...attemptMetadata(attempt, rowOf(entry).id) },
        stream,
        ...(unsubscribe ? { headers: listUnsubscribeHeaders(unsubscribe) } : {}),
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
    const wakes: WebhookWakes = new Set();
    await settleFailed(em, failed, wakes);
    countSettled(deps.metrics, chunk, outcomes, counted);
    await wakeWebhooks(deps, wakes);
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
