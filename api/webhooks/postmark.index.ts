import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { ProblemError, problemResponses } from '../problem';
import { createRouter } from '../router';

// The fields Roster reads of Postmark's delivery and bounce webhooks; the rest passes through.
const PostmarkWebhook = z
  .object({
    RecordType: z.string(),
    MessageID: z.string().max(100),
    Type: z.string().optional(),
    Inactive: z.boolean().optional(),
  })
  .passthrough()
  .openapi('PostmarkWebhook');

const webhook = createRoute({
  method: 'post',
  path: '/v1/webhooks/postmark',
  tags: ['Operations'],
  summary:
    'Postmark delivery and bounce webhooks (basic auth: any user, password POSTMARK_WEBHOOK_TOKEN). Updates email status; a hard bounce marks the address undeliverable.',
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

export const postmarkWebhookRouter = createRouter().openapi(webhook, async (c) => {
  const { deps } = c.var;
  if (!deps.postmarkWebhookToken)
    throw new ProblemError(404, 'not_found', 'Postmark webhooks are not enabled.');
  const password = passwordOf(c.req.header('authorization'));
  if (password === null || !same(password, deps.postmarkWebhookToken)) {
    throw new ProblemError(401, 'unauthorized', 'Wrong webhook credentials.');
  }
  const body = c.req.valid('json');
  const conn = deps.orm.em.fork().getConnection();
  let status: 'delivered' | 'bounced' | null = null;
  if (body.RecordType === 'Delivery') status = 'delivered';
  if (body.RecordType === 'Bounce') status = 'bounced';
  if (!status) return c.json({ updated: 0 }, 200);

  // A late Delivery never overwrites a Bounce.
  const updated = await conn.execute<{ attendee_id: string | null }[]>(
    `update email_messages set status = ?
      where provider_message_id = ? and (status <> 'bounced' or ? = 'bounced')
      returning attendee_id`,
    [status, body.MessageID, status],
  );
  const hard = body.RecordType === 'Bounce' && (body.Type === 'HardBounce' || body.Inactive === true);
  const attendeeId = updated[0]?.attendee_id;
  if (hard && attendeeId) {
    await conn.execute('update attendees set email_undeliverable = true where id = ?', [attendeeId]);
  }
  return c.json({ updated: updated.length }, 200);
});
