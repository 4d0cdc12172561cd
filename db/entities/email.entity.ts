import { defineEntity, p } from '@mikro-orm/core';
import { Attendee } from './attendee.entity';

export const EMAIL_KINDS = [
  'invitation',
  'registration_confirmation',
  'login_link',
  'reminder',
  'import_finished',
  // An organizer-written message (a bulk send_message); a reminder rule's own text stays `reminder`.
  'message',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/**
 * The email ledger: one row per intended message, keyed so a retried activity finds
 * what it already sent instead of sending again. Stored at fillfactor 50, so the stamp before
 * the call stays on the row's page (migration 20261201020000_hot_updates).
 */
export const EmailMessage = defineEntity({
  name: 'EmailMessage',
  tableName: 'email_messages',
  properties: {
    id: p.uuid().primary(),
    ledgerKey: p.string().length(300).unique(),
    attendee: () => p.manyToOne(Attendee).nullable().deleteRule('cascade'),
    eventId: p.uuid().nullable(),
    kind: p.enum(EMAIL_KINDS),
    toAddress: p.string().length(254),
    // sent → delivered | bounced come from Postmark's webhooks; suppressed: never sent, the
    // address is on the organization's suppression list (error_message names the reason).
    status: p.enum(['pending', 'sent', 'failed', 'delivered', 'bounced', 'suppressed'] as const),
    providerMessageId: p.string().length(100).nullable(),
    errorCode: p.integer().nullable(),
    errorMessage: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
    // The provider call this pending row last went out in: looked up before it is sent again.
    sendAttempt: p.uuid().nullable(),
    // The Postmark message stream its last call went out on (`outbound`, or the broadcast stream).
    messageStream: p.string().length(50).nullable(),
  },
  indexes: [
    { name: 'email_messages_attendee_idx', properties: ['attendee', 'createdAt'] },
    // Postmark's webhooks find their email by its message id.
    {
      name: 'email_messages_provider_message_idx',
      properties: ['providerMessageId'],
      where: 'provider_message_id is not null',
    },
  ],
});

/** Single-use link tokens; only the sha256 of a token is kept. */
export const AccessToken = defineEntity({
  name: 'AccessToken',
  tableName: 'access_tokens',
  properties: {
    id: p.uuid().primary(),
    attendee: () => p.manyToOne(Attendee).deleteRule('cascade'),
    kind: p.enum(['invitation', 'registration_confirmation', 'login_link'] as const),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
