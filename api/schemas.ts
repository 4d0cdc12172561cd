import { z } from '@hono/zod-openapi';
import { hasControlCharacters } from '../domain/import-invitee';
import { LANGUAGE_CODES } from '../domain/languages';

export const LanguageSchema = z
  .enum(LANGUAGE_CODES)
  .openapi({ description: 'One of the 19 invitation languages.' });

export const IsoDateTime = z.iso.datetime({ offset: true }).openapi({ example: '2027-03-01T09:00:00Z' });

export const ListQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: 'Page size, at most 500.' }),
  cursor: z.string().max(1000).optional().openapi({ description: 'The nextCursor of the previous page.' }),
};

export function pageOf<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() })
    .openapi(name);
}

/** A JSON response of a route declaration. */
export const json = (schema: z.ZodTypeAny, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const IdParam = (name: string) =>
  z.uuid().openapi({ param: { name, in: 'path' }, example: '0199a1b2-0000-7000-8000-000000000000' });

/** Opaque keyset cursors: the sort they belong to, the last row's sort value and id. */
export function encodeCursor(sort: string, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): { value: string; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      typeof parsed[1] === 'string' &&
      typeof parsed[2] === 'string'
    ) {
      return { value: parsed[1], id: parsed[2] };
    }
  } catch {
    // fall through: a malformed cursor is a client error
  }
  return null;
}

/** A person's name: trimmed, 1–100 characters, no control characters (no header-like line breaks in emails). */
export const PersonName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !hasControlCharacters(v), 'must not contain control characters such as line breaks');
