import { describe, expect, it } from 'vitest';
import { BIND_OVER_CHARS, bindLongStrings, sqlArray } from '../../db/sql';

const long = (c: string) => c.repeat(BIND_OVER_CHARS + 1);

describe('bindLongStrings', () => {
  it('leaves a query whose strings are all short to MikroORM', () => {
    expect(bindLongStrings('select * from t where a = ? and b = ?', ['x', 5])).toBeNull();
    expect(bindLongStrings('select 1', [])).toBeNull();
  });

  it('binds each long string as $n::text, or as $n with its own cast, in order, and keeps the other placeholders', () => {
    const rows = long('r');
    const more = long('m');
    expect(
      bindLongStrings('insert into t select * from jsonb_to_recordset(?::jsonb) where e = ? and x = ?', [
        rows,
        'event',
        more,
      ]),
    ).toEqual({
      query: 'insert into t select * from jsonb_to_recordset($1::jsonb) where e = ? and x = $2::text',
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

describe('sqlArray', () => {
  it('writes numbers bare and quotes every string, escaping quotes and backslashes', () => {
    expect(sqlArray([])).toBe('{}');
    expect(sqlArray([3, 14])).toBe('{3,14}');
    expect(sqlArray(['a/invitation/1', 'x,y', 'say "hi"', 'back\\slash', 'NULL', ' pad '])).toBe(
      '{"a/invitation/1","x,y","say \\"hi\\"","back\\\\slash","NULL"," pad "}',
    );
  });
});
