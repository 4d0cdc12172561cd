import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../../db/sql';
import { LEDGER_KEY, recordProviderEvent } from '../../db/writes/email-ledger';
import type { WebhookWakes } from '../../db/writes/webhook-events';
import { bouncedSignal } from '../../workflows/attendee/definitions';
import type { AppDeps } from '../context';
import { ProblemError, problemResponses } from '../problem';
import { createRouter } from '../router';
import { signalAttendee } from '../shared/commands';
import { recordSuppressionWebhook, suppressHardBounce } from './postmark-suppressions';
import { wakeEndpoints } from './webhooks.wake';

// The fields Roster reads of Postmark's delivery, bounce, spam complaint and subscription change
// webhooks; the rest passes through.
const PostmarkWebhook = z
  .object({
    RecordType: z.string(),
    // Null in a SubscriptionChange that no message caused (a reactivation, a suppression in Postmark's UI).
    MessageID: z.string().max(100).nullable().optional(),
    Type: z.string().optional(),
    Inactive: z.boolean().optional(),
    // The address of a Bounce or SpamComplaint; a SubscriptionChange's is Recipient.
    Email: z.string().max(254).nullable().optional(),
    Recipient: z.string().max(254).nullable().optional(),
    // SubscriptionChange: true suppresses, false reactivates; why, and who did it.
    SuppressSending: z.boolean().nullable().optional(),
    SuppressionReason: z.string().max(50).nullable().optional(),
    Origin: z.string().max(50).nullable().optional(),
    // Postmark echoes the message's metadata, with the ledger row it was sent as.
    Metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()
  .openapi('PostmarkWebhook');

const webhook = createRoute({
  method: 'post',
  path: '/v1/webhooks/postmark',
  tags: ['Operations'],
  summary: 'Postmark webhooks: delivery, bounce, spam complaint, subscription change',
  description:
    'Basic auth: any user, password POSTMARK_WEBHOOK_TOKEN. Updates email status; a hard bounce, a spam ' +
    'complaint or an unsubscribe suppresses the address for the organization (docs/deliverability.md).',
  security: [],
  request: { body: { content: { 'application/json': { schema: PostmarkWebhook } }, required: true } },
  responses: {
    200: {
      description: 'Recorded',
      content: { 'application/json': { schema: z.object({ updated: z.number() }) } },
    },
    ...problemResponses(401, 404, 422),
  },
});

function passwordOf(header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

const same = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The attendee's workflow records the bounce (it owns the row); one that ended starts again from the row. */
async function reportBounce(deps: AppDeps, em: EntityManager, attendeeId: string) {
  const [row] = await sql(em)<{ id: string }[]>('select id from attendees where id = ?', [attendeeId]);
  if (!row) return;
  await signalAttendee(deps, row, bouncedSignal, { attendeeId });
}

export const postmarkWebhookRouter = createRouter().openapi(webhook, async (c) => {
  const { deps } = c.var;
  if (!deps.postmarkWebhookToken)
    throw new ProblemError(404, 'not_found', 'Postmark webhooks are not enabled.');
  const password = passwordOf(c.req.header('authorization'));
  if (password === null || !same(password, deps.postmarkWebhookToken)) {
    throw new ProblemError(401, 'unauthorized', 'Wrong webhook credentials.');
  }
  const body = c.req.valid('json');
  const em = deps.orm.em.fork();
  // Who may be emailed: the organization's suppression list (postmark-suppressions.ts).
  if (body.RecordType === 'SpamComplaint' || body.RecordType === 'SubscriptionChange')
    return c.json({ updated: await recordSuppressionWebhook(em, body) }, 200);
  let status: 'delivered' | 'bounced' | null = null;
  if (body.RecordType === 'Delivery') status = 'delivered';
  if (body.RecordType === 'Bounce') status = 'bounced';
  if (!status) return c.json({ updated: 0 }, 200);

  // Matched on the ledger id too: the webhook may come before the send's answer is stored.
  const ledgerId = body.Metadata?.[LEDGER_KEY];
  const wakes: WebhookWakes = new Set();
  const updated = await recordProviderEvent(
    em,
    {
      status,
      messageId: body.MessageID ?? '',
      ledgerId: typeof ledgerId === 'string' && UUID.test(ledgerId) ? ledgerId : null,
    },
    wakes,
  );
  if (updated.length > 0)
    (status === 'bounced' ? deps.metrics?.emailsBounced : deps.metrics?.emailsDelivered)?.inc(updated.length);
  await wakeEndpoints(deps, wakes);
  const hard = body.RecordType === 'Bounce' && (body.Type === 'HardBounce' || body.Inactive === true);
  const attendeeId = updated[0]?.attendee_id;
  if (hard) await suppressHardBounce(em, body);
  if (hard && attendeeId) await reportBounce(deps, em, attendeeId);
  return c.json({ updated: updated.length }, 200);
});
