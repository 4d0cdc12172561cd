/**
 * Postmark's webhooks that change who may be emailed: a hard bounce, a spam complaint and a
 * subscription change suppress the address for the organization whose email it was about (found
 * through the email ledger, or the event in the message's metadata); a subscription change with
 * `SuppressSending: false` (a reactivation) lifts what Postmark put on the list. Written through
 * db/writes/suppressions.ts.
 */
import type { EntityManager } from '@mikro-orm/core';
import { emailOrigin } from '../../db/queries/suppressions';
import { LEDGER_KEY } from '../../db/writes/email-ledger';
import { addSuppression, liftPostmarkSuppressions } from '../../db/writes/suppressions';
import { reasonOfSubscriptionChange, type SuppressionReason } from '../../domain/suppressions';

/** The fields read here of Postmark's Bounce, SpamComplaint and SubscriptionChange payloads. */
export interface SuppressionWebhook {
  RecordType: string;
  MessageID?: string | null;
  Email?: string | null;
  Recipient?: string | null;
  SuppressSending?: boolean | null;
  SuppressionReason?: string | null;
  Origin?: string | null;
  Metadata?: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOr = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : null);

/** Whose email the webhook is about: the organization, the event and the address. */
async function originOf(em: EntityManager, body: SuppressionWebhook) {
  return emailOrigin(em, {
    messageId: body.MessageID || null,
    ledgerId: uuidOr(body.Metadata?.[LEDGER_KEY]),
    eventId: uuidOr(body.Metadata?.eventId),
  });
}

async function suppress(em: EntityManager, body: SuppressionWebhook, reason: SuppressionReason) {
  const origin = await originOf(em, body);
  // Postmark names the address (Email, Recipient); the ledger row does too.
  const email = body.Email || body.Recipient || origin?.email;
  if (!origin || !email) return 0;
  await addSuppression(em, {
    organizationId: origin.organizationId,
    email,
    reason,
    source: 'postmark',
    detail: [body.RecordType, body.MessageID].filter(Boolean).join(' '),
    eventId: origin.eventId,
  });
  return 1;
}

/** A hard bounce: the address is suppressed across the organization, beside the attendee's own mark. */
export function suppressHardBounce(em: EntityManager, body: SuppressionWebhook) {
  return suppress(em, body, 'hard_bounce');
}

/**
 * A SpamComplaint or SubscriptionChange webhook; answers how many suppressions it added or lifted.
 * One that names no email of Roster's (a suppression made in Postmark's UI) changes nothing here:
 * Postmark refuses the address itself (406, recorded as `failed`). A reactivation (usually
 * naming no message) lifts Postmark's suppressions of the address in every organization.
 */
export async function recordSuppressionWebhook(em: EntityManager, body: SuppressionWebhook): Promise<number> {
  if (body.RecordType === 'SpamComplaint') return suppress(em, body, 'spam_complaint');
  if (body.RecordType !== 'SubscriptionChange') return 0;
  if (body.SuppressSending !== false) {
    return suppress(em, body, reasonOfSubscriptionChange(body.SuppressionReason, body.Origin));
  }
  // Postmark's list is per stream for the whole server, which every organization shares: its
  // reactivation ends the reason of what it put on every organization's list.
  const email = body.Recipient || (await originOf(em, body))?.email;
  if (!email) return 0;
  return liftPostmarkSuppressions(em, email, null);
}
