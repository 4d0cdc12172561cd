import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../problem';
import { json } from '../schemas';

const Token = z.string().min(20).max(300);

export const unsubscribe = createRoute({
  method: 'post',
  path: '/v1/public/unsubscribe',
  tags: ['Attendee-facing'],
  summary: 'Unsubscribe with the token of a bulk email’s List-Unsubscribe link',
  description:
    'Suppresses the address for the organization (reason `unsubscribe`): no more email of any kind to it in any ' +
    'of its events until an organizer lifts it. The token comes from the `List-Unsubscribe` URL of a bulk email ' +
    '(`…/events/{eventId}/unsubscribe?token=`), as a query parameter or in the body. Mailbox providers POST that ' +
    'URL itself with `List-Unsubscribe=One-Click` (RFC 8058), which Roster serves too; this endpoint is for an ' +
    'event site of the organization’s own. Repeating it changes nothing. Not rate limited per client address: ' +
    'one-click unsubscribes arrive from a few mailbox providers’ servers, and a token cannot be guessed.',
  security: [],
  request: {
    query: z.object({ token: Token.optional() }),
    body: {
      content: {
        'application/json': { schema: z.object({ token: Token.optional() }) },
        'application/x-www-form-urlencoded': {
          schema: z.object({ token: Token.optional(), 'List-Unsubscribe': z.string().max(50).optional() }),
        },
      },
      required: false,
    },
  },
  responses: {
    200: json(
      z.object({ unsubscribed: z.literal(true) }).openapi('Unsubscribed'),
      'The address is suppressed',
    ),
    ...problemResponses(401, 415, 422),
  },
});
