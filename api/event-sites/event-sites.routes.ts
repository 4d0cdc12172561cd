import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../problem';
import { json } from '../schemas';

/** At most this many event sites per organization. */
export const MAX_EVENT_SITES = 20;

/** An origin as browsers send it: scheme, host and port only; https, or http for localhost. */
const Origin = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      return url.origin === value && (url.protocol === 'https:' || (url.protocol === 'http:' && local));
    } catch {
      return false;
    }
  }, 'An origin: https://host[:port] with no path (http only for localhost).')
  .openapi({ example: 'https://events.example.com' });

export const EventSitesSchema = z
  .object({
    origins: z
      .array(Origin)
      .max(MAX_EVENT_SITES)
      .openapi({
        description:
          'Where the organization’s event sites run. Browsers on these origins (and on EVENT_SITE_URL) may call ' +
          'the attendee-facing endpoints (/v1/public/…) across origins.',
      }),
  })
  .openapi('EventSites');

export const getEventSites = createRoute({
  method: 'get',
  path: '/v1/event-sites',
  tags: ['Event sites'],
  summary: 'The origins of the organization’s event sites (CORS for the attendee-facing endpoints)',
  responses: { 200: json(EventSitesSchema, 'The origins'), ...problemResponses(401) },
});

export const putEventSites = createRoute({
  method: 'put',
  path: '/v1/event-sites',
  tags: ['Event sites'],
  summary: 'Set the origins of the organization’s event sites',
  request: { body: { content: { 'application/json': { schema: EventSitesSchema } }, required: true } },
  responses: { 200: json(EventSitesSchema, 'The origins'), ...problemResponses(401, 422) },
});
