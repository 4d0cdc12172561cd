/**
 * The organization's suppression list, as rules: why an address is suppressed, where it came
 * from, and how Postmark's webhooks map onto it. No I/O.
 */

/** Why no email goes to an address. */
export const SUPPRESSION_REASONS = ['hard_bounce', 'spam_complaint', 'unsubscribe', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Who suppressed it: Postmark's webhooks, the recipient through List-Unsubscribe, or an organizer. */
export const SUPPRESSION_SOURCES = ['postmark', 'list_unsubscribe', 'api'] as const;
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

/**
 * What a Postmark SubscriptionChange that suppresses means for the organization. Postmark's
 * `SuppressionReason` is HardBounce, SpamComplaint or ManualSuppression; a manual suppression
 * whose `Origin` is the recipient is an unsubscribe (Postmark's own unsubscribe link), one by the
 * account (Customer) or Postmark's staff (Admin) is manual.
 */
export function reasonOfSubscriptionChange(suppressionReason: unknown, origin: unknown): SuppressionReason {
  if (suppressionReason === 'HardBounce') return 'hard_bounce';
  if (suppressionReason === 'SpamComplaint') return 'spam_complaint';
  return origin === 'Recipient' ? 'unsubscribe' : 'manual';
}
