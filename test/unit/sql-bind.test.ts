import { describe, expect, it } from 'vitest';
import { BIND_OVER_CHARS, bindLongStrings } from '../../db/sql';

const long = (c: string) => c.repeat(BIND_OVER_CHARS + 1);

describe('bindLongStrings', () => {
  it('leaves a query whose strings are all short to MikroORM', () => {
    expect(bindLongStrings('select * from t where a = ? and b = ?', ['x', 5])).toBeNull();
    expect(bindLongStrings('select 1', [])).toBeNull();
  });

  it('binds each long string as $n::text, in order, and keeps the other placeholders', () => {
    const rows = long('r');
    const more = long('m');
    expect(
      bindLongStrings('insert into t select * from jsonb_to_recordset(?::jsonb) where e = ? and x = ?', [
        rows,
        'event',
        more,
      ]),
    ).toEqual({
      query: 'insert into t select * from jsonb_to_recordset($1::text::jsonb) where e = ? and x = $2::text',
      inline: ['event'],
      bound: [rows, more],
    });
  });

  it('binds only past the limit, with quotes and backslashes left as they are', () => {
    const atLimit = "'".repeat(BIND_OVER_CHARS);
    expect(bindLongStrings('select ?', [atLimit])).toBeNull();
    const over = `\\'${atLimit}`;
    expect(bindLongStrings('select ?', [over])?.bound).toEqual([over]);
  });

  it("leaves MikroORM's own forms (?? and \\?) and a placeholder count that does not match to MikroORM", () => {
    expect(bindLongStrings('select ?? from t where a = ?', ['col', long('a')])).toBeNull();
    expect(bindLongStrings("select '\\?' where a = ?", [long('a')])).toBeNull();
    expect(bindLongStrings('select ? where a = ?', [long('a')])).toBeNull();
  });
});
