import { createRoute, z } from '@hono/zod-openapi';
import { findEvent } from '../../db/queries/events';
import { checkImage, IMAGE_MAX_BYTES } from '../images/images.index';
import { notFound, ProblemError, problemResponses } from '../problem';
import { createRouter } from '../router';
import { IdParam } from '../schemas';

const binary = { schema: z.string().openapi({ format: 'binary' }) };
const params = z.object({ eventId: IdParam('eventId') });

const putLogo = createRoute({
  method: 'put',
  path: '/v1/events/{eventId}/logo',
  tags: ['Events'],
  summary:
    'Upload the event’s logo for its attendee pages (PNG, JPEG or WebP, at most 2 MB; about 320×96 looks best)',
  request: {
    params,
    body: { content: { 'image/png': binary, 'image/jpeg': binary, 'image/webp': binary }, required: true },
  },
  responses: {
    204: { description: 'Stored; the pages show it at /events/{eventId}/logo' },
    ...problemResponses(401, 404, 413, 415, 422),
  },
});

const deleteLogo = createRoute({
  method: 'delete',
  path: '/v1/events/{eventId}/logo',
  tags: ['Events'],
  summary: 'Remove the event’s logo',
  request: { params },
  responses: { 204: { description: 'Removed (or there was none)' }, ...problemResponses(401, 404, 422) },
});

/** The event's logo: checked like profile images (by its bytes), one per event. */
export const logoRouter = createRouter()
  .openapi(putLogo, async (c) => {
    const { eventId } = c.req.valid('param');
    if (Number(c.req.header('content-length') ?? 0) > IMAGE_MAX_BYTES)
      throw new ProblemError(413, 'too_large', 'An image is at most 2 MB.');
    const declared = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const image = checkImage(new Uint8Array(await c.req.arrayBuffer()), declared);
    const event = await findEvent(c.var.em, c.var.organizationId, eventId, { sessions: false });
    if (!event) throw notFound('The event');
    await c.var.em.getConnection().execute(
      `insert into event_logos (event_id, content_type, bytes, updated_at) values (?, ?, ?, now())
       on conflict (event_id) do update set content_type = excluded.content_type, bytes = excluded.bytes, updated_at = now()`,
      [eventId, image.type, Buffer.from(image.bytes)],
    );
    return c.body(null, 204);
  })
  .openapi(deleteLogo, async (c) => {
    const { eventId } = c.req.valid('param');
    const event = await findEvent(c.var.em, c.var.organizationId, eventId, { sessions: false });
    if (!event) throw notFound('The event');
    await c.var.em.getConnection().execute('delete from event_logos where event_id = ?', [eventId]);
    return c.body(null, 204);
  });
