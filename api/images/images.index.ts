import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { EntityManager } from '@mikro-orm/core';
import { type AttendeeRow, findAttendee } from '../../db/queries/attendees';
import { type EventRow, eventRules, findEvent } from '../../db/queries/events';
import { PROFILE_ROLES, type Role } from '../../domain/attendee-lifecycle';
import { AttendeeSchema } from '../attendees/attendees.routes';
import type { AppDeps } from '../context';
import { notFound, ProblemError, problemResponses } from '../problem';
import { createRouter } from '../router';
import { IdParam } from '../schemas';
import { toAttendeeDto } from '../shared/attendee-dto';
import { sendCommand } from '../shared/commands';

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
  summary:
    'A profile image (public; Cache-Control: no-cache with an ETag, so a deleted image stops being served at once)',
  security: [],
  request: { params: z.object({ imageId: IdParam('imageId') }) },
  responses: {
    200: {
      description: 'The image',
      content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    304: { description: 'Unchanged (If-None-Match)' },
    ...problemResponses(404),
  },
});

export interface CheckedImage {
  type: string;
  bytes: Uint8Array;
}

/** The image's type by its bytes, which must agree with the declared one; 413 / 415 otherwise. */
export function checkImage(bytes: Uint8Array, declared: string): CheckedImage {
  if (!SIGNATURES.some((s) => s.type === declared)) {
    throw new ProblemError(
      415,
      'unsupported_media_type',
      'Send the image as image/png, image/jpeg or image/webp.',
    );
  }
  if (bytes.byteLength > IMAGE_MAX_BYTES)
    throw new ProblemError(413, 'too_large', 'An image is at most 2 MB.');
  const actual = SIGNATURES.find((s) => s.test(bytes));
  if (!actual || actual.type !== declared) {
    throw new ProblemError(415, 'unsupported_media_type', `The body is not a ${declared} image.`);
  }
  return { type: actual.type, bytes };
}

/**
 * Stores a speaker's or moderator's profile image and shows it through the attendee's workflow
 * (an `edit`, whose profile write deletes the image it replaces). The one way images are added.
 */
export async function attachImage(
  deps: AppDeps,
  em: EntityManager,
  input: {
    organizationId: string;
    row: AttendeeRow;
    event: EventRow;
    image: CheckedImage;
    by: string;
    baseUrl: string;
  },
) {
  const { row, image } = input;
  if (!row.roles.some((r: Role) => PROFILE_ROLES.has(r))) {
    throw new ProblemError(422, 'validation_failed', 'Only speakers and moderators have a profile image.', [
      { path: 'roles', code: 'profile_needs_role', message: 'Give the speaker or moderator role first.' },
    ]);
  }
  // A new id for every upload: the attendee workflow's profile write deletes the one it replaces.
  const imageId = randomUUID();
  const conn = em.getConnection();
  await conn.execute(
    'insert into images (id, organization_id, attendee_id, content_type, bytes, created_at) values (?, ?, ?, ?, ?, now())',
    [imageId, input.organizationId, row.id, image.type, Buffer.from(image.bytes)],
  );
  const imageUrl = new URL(`/v1/images/${imageId}`, input.baseUrl).toString();
  try {
    await sendCommand(deps, row, {
      command: { type: 'edit' },
      event: eventRules(input.event),
      by: input.by,
      profile: { imageUrl },
    });
  } catch (error) {
    // Refused (e.g. removed meanwhile): the image was never shown; keep no copy.
    await conn.execute('delete from images where id = ?', [imageId]);
    throw error;
  }
}

export const imagesRouter = createRouter()
  .openapi(uploadImage, async (c) => {
    const { eventId, attendeeId } = c.req.valid('param');
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > IMAGE_MAX_BYTES) throw new ProblemError(413, 'too_large', 'An image is at most 2 MB.');
    const declared = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const image = checkImage(new Uint8Array(await c.req.arrayBuffer()), declared);
    const { deps, em, organizationId } = c.var;
    const [row, event] = await Promise.all([
      findAttendee(em, organizationId, eventId, attendeeId),
      findEvent(em, organizationId, eventId, { sessions: false }),
    ]);
    if (!row || !event) throw notFound('The attendee');
    await attachImage(deps, em, { organizationId, row, event, image, by: c.var.actor, baseUrl: c.req.url });
    const after = await findAttendee(em, organizationId, eventId, attendeeId);
    if (!after) throw notFound('The attendee');
    return c.json(toAttendeeDto(after), 200);
  })
  .openapi(getImage, async (c) => {
    const { imageId } = c.req.valid('param');
    const conn = c.var.em.getConnection();
    // The bytes under an id never change, so the id is the ETag; `no-cache` makes every cache ask
    // again before each use, so a deleted image (erasure, removal, replacement) is gone at once,
    // and an unchanged one costs a 304 without its bytes.
    const etag = `"${imageId}"`;
    const headers = { 'cache-control': 'no-cache', etag, 'x-content-type-options': 'nosniff' };
    const matches = (c.req.header('if-none-match') ?? '').split(',').some((t) => t.trim() === etag);
    if (matches) {
      const found = await conn.execute<{ id: string }[]>('select id from images where id = ?', [imageId]);
      if (found.length > 0) return c.body(null, 304, headers);
    }
    const rows = await conn.execute<{ content_type: string; bytes: Buffer }[]>(
      'select content_type, bytes from images where id = ?',
      [imageId],
    );
    const image = rows[0];
    if (!image) throw notFound('The image');
    return c.body(new Uint8Array(image.bytes), 200, { ...headers, 'content-type': image.content_type });
  });
