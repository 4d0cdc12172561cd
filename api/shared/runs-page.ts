import { ProblemError } from '../problem';
import { decodeCursor, encodeCursor } from '../schemas';

/** Where a page of an event's runs (imports, bulk actions) continues: after this creation time and id. */
export interface CreatedAtKeyset {
  value: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page of an event's runs, newest first, in the contract's shape. A cursor this list did not
 * make answers 400 `invalid_cursor` (after a 404 for an event that is not there), never a failing
 * query; `load` answers null when the event is not the organization's.
 */
export async function runsPage<Row extends { id: string; created_key: string }, Dto>(
  cursor: string | undefined,
  options: {
    load: (
      after: CreatedAtKeyset | null,
    ) => Promise<{ items: Row[]; hasMore: boolean; total: number } | null>;
    /** Throws the event's 404 when it is not there. */
    requireEvent: () => Promise<unknown>;
    notFound: () => Error;
    dto: (row: Row) => Dto;
  },
) {
  const decoded = cursor ? decodeCursor(cursor, 'createdAt') : null;
  const after = decoded && UUID.test(decoded.id) && !Number.isNaN(Date.parse(decoded.value)) ? decoded : null;
  if (cursor && !after) {
    await options.requireEvent();
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  }
  const page = await options.load(after);
  if (!page) throw options.notFound();
  const last = page.items.at(-1);
  return {
    items: page.items.map(options.dto),
    nextCursor: page.hasMore && last ? encodeCursor('createdAt', last.created_key, last.id) : null,
    total: page.total,
  };
}
