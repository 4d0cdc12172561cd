import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { findAttendee } from '../../db/queries/attendees';
import { eventRules, findEvent } from '../../db/queries/events';
import { PROFILE_ROLES, type Role } from '../../domain/attendee-lifecycle';
import { sendCommand, toAttendeeDto } from '../attendees/attendees.handlers';
import { AttendeeSchema } from '../attendees/attendees.routes';
import { notFound, ProblemError, problemResponses } from '../problem';
import { createRouter } from '../router';
import { IdParam } from '../schemas';

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** Recognized by their first bytes, not by what the client claims. */
const SIGNATURES: { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    test: (b) =>
      String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP',
  },
];

const uploadImage = createRoute({
  method: 'put',
  path: '/v1/events/{eventId}/attendees/{attendeeId}/image',
  tags: ['Attendees'],
  summary:
    'Upload a speaker’s or moderator’s profile image (PNG, JPEG or WebP, at most 2 MB; 500×500 recommended)',
  request: {
    params: z.object({ eventId: IdParam('eventId'), attendeeId: IdParam('attendeeId') }),
    body: {
      content: {
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'The attendee with its imageUrl',
      content: { 'application/json': { schema: AttendeeSchema } },
    },
    ...problemResponses(401, 404, 409, 413, 415, 422),
  },
});

const getImage = createRoute({
  method: 'get',
  path: '/v1/images/{imageId}',
  tags: ['Attendees'],
  summary: 'A profile image (public, immutable)',
  security: [],
  request: { params: z.object({ imageId: IdParam('imageId') }) },
  responses: {
    200: {
      description: 'The image',
      content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problemResponses(404),
  },
});

export const imagesRouter = createRouter()
  .openapi(uploadImage, async (c) => {
    const { eventId, attendeeId } = c.req.valid('param');
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > IMAGE_MAX_BYTES) throw new ProblemError(413, 'too_large', 'An image is at most 2 MB.');
    const declared = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!SIGNATURES.some((s) => s.type === declared)) {
      throw new ProblemError(
        415,
        'unsupported_media_type',
        'Send the image as image/png, image/jpeg or image/webp.',
      );
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > IMAGE_MAX_BYTES)
      throw new ProblemError(413, 'too_large', 'An image is at most 2 MB.');
    const actual = SIGNATURES.find((s) => s.test(bytes));
    if (!actual || actual.type !== declared) {
      throw new ProblemError(415, 'unsupported_media_type', `The body is not a ${declared} image.`);
    }

    const { deps, organizationId } = c.var;
    const em = deps.orm.em.fork();
    const [row, event] = await Promise.all([
      findAttendee(em, organizationId, eventId, attendeeId),
      findEvent(em, organizationId, eventId),
    ]);
    if (!row || !event) throw notFound('The attendee');
    if (!row.roles.some((r: Role) => PROFILE_ROLES.has(r))) {
      throw new ProblemError(422, 'validation_failed', 'Only speakers and moderators have a profile image.', [
        { path: 'roles', code: 'profile_needs_role', message: 'Give the speaker or moderator role first.' },
      ]);
    }
    const imageId = randomUUID();
    await em
      .getConnection()
      .execute(
        'insert into images (id, organization_id, content_type, bytes, created_at) values (?, ?, ?, ?, now())',
        [imageId, organizationId, actual.type, Buffer.from(bytes)],
      );
    const imageUrl = new URL(`/v1/images/${imageId}`, c.req.url).toString();
    await sendCommand(deps, row, {
      command: { type: 'edit' },
      event: eventRules(event),
      by: c.var.actor,
      profile: { imageUrl },
    });
    const after = await findAttendee(em, organizationId, eventId, attendeeId);
    if (!after) throw notFound('The attendee');
    return c.json(toAttendeeDto(after), 200);
  })
  .openapi(getImage, async (c) => {
    const rows = await c.var.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ content_type: string; bytes: Buffer }[]>(
        'select content_type, bytes from images where id = ?',
        [c.req.valid('param').imageId],
      );
    const image = rows[0];
    if (!image) throw notFound('The image');
    return c.body(new Uint8Array(image.bytes), 200, {
      'content-type': image.content_type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
