import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { CompiledQuery, type Kysely } from 'kysely';

/**
 * Runs raw SQL on the EntityManager's connection, inside its transaction when it has one. `?`
 * placeholders; long strings (a page's rows as JSON) go as bound parameters (bindLongStrings).
 */
export function sql(em: EntityManager) {
  const conn = em.getConnection();
  const ctx = em.getTransactionContext<Kysely<unknown>>();
  return async <T = Record<string, unknown>[]>(query: string, params: unknown[] = []): Promise<T> => {
    const split = bindLongStrings(query, params);
    if (!split) return conn.execute<T>(query, params, 'all', ctx) as Promise<T>;
    // Straight to the driver: MikroORM's query log (off here, `debug: false`) does not see these.
    const text = conn.getPlatform().formatQuery(split.query, split.inline);
    const client = ctx ?? (conn as AbstractSqlConnection).getClient();
    const result = await client.executeQuery(CompiledQuery.raw(text, split.bound));
    return result.rows as T;
  };
}

/** Strings longer than this are bound, not quoted into the SQL text. */
export const BIND_OVER_CHARS = 1024;

/**
 * MikroORM quotes every parameter into the SQL text, a character at a time: about 16 ns a
 * character, and the garbage of it, which a bulk-invite page's JSON (hundreds of KB per query)
 * made a tenth of the worker's time. This splits them: each long string becomes a bound
 * `$n::text` (PostgreSQL reads it as is; `?::jsonb` becomes `$n::jsonb`), every other
 * parameter stays a `?` for MikroORM to quote as before. Null when no string is long, or when
 * the text uses MikroORM's `??` (identifier) or `\?` (a literal question mark) forms.
 */
export function bindLongStrings(
  query: string,
  params: readonly unknown[],
): { query: string; inline: unknown[]; bound: string[] } | null {
  const long = (value: unknown): value is string =>
    typeof value === 'string' && value.length > BIND_OVER_CHARS;
  if (!params.some(long) || query.includes('??') || query.includes('\\?')) return null;
  const parts = query.split('?');
  if (parts.length - 1 !== params.length) return null;
  let text = parts[0] as string;
  const inline: unknown[] = [];
  const bound: string[] = [];
  params.forEach((value, i) => {
    if (long(value)) {
      bound.push(value);
      // A placeholder with its own cast takes that type, so PostgreSQL reads the value once, at
      // bind time (`$n::uuid[]`): `$n::text::uuid[]` would parse the array again for every row
      // it filters, as text → array is not a cast the planner can fold.
      text += (parts[i + 1] as string).startsWith('::') ? `$${bound.length}` : `$${bound.length}::text`;
    } else {
      inline.push(value);
      text += '?';
    }
    text += parts[i + 1];
  });
  return { query: text, inline, bound };
}

/**
 * A list as a PostgreSQL array literal, for `col = any(?::uuid[])`. The planner then knows the
 * list's length and values, so a look-up by key stays an index probe (or, on a table it believes
 * small, a hashed filter) even while the table's statistics lag behind a bulk write. The form it
 * replaces, `col in (select jsonb_array_elements_text(?::jsonb))`, was planned there as a nested
 * loop over the whole table per page: 80–650 ms a page in a fresh database's first bulk invite.
 */
export function sqlArray(values: readonly (string | number)[]): string {
  const element = (v: string | number) =>
    typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`;
  return `{${values.map(element).join(',')}}`;
}

/**
 * A unique constraint refused the write (PostgreSQL 23505, from the driver or wrapped by
 * MikroORM); `constraint` names which. Null for any other error.
 */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string; name?: string } | null;
  if (e?.code === '23505') return e.constraint ?? 'unique';
  return e?.name === 'UniqueConstraintViolationException' ? (e.constraint ?? 'unique') : null;
}
