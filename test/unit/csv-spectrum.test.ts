import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../api/imports/imports.validate';

/**
 * The csv-spectrum corpus through the importer's own parsing (csv-parse with its options and
 * header sniffing), fed in small chunks so quoted fields and line breaks straddle chunk ends.
 */
const corpus = path.dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'));
const cases = readdirSync(path.join(corpus, 'csvs')).map((f) => path.basename(f, '.csv'));

async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function parse(text: string, size: number) {
  const rows: string[][] = [];
  for await (const record of csvRecords(chunks(text, size))) {
    if (record.every((cell) => cell.trim() === '')) continue;
    rows.push(record);
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
}

describe('csv-spectrum', () => {
  it('has the corpus installed', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of cases) {
    const bytes = readFileSync(path.join(corpus, 'csvs', `${name}.csv`));
    let text: string | null;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = null;
    }
    if (text === null) {
      it(`${name}: is not UTF-8, which the importer refuses as not_utf8`, () => {
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
      });
      continue;
    }
    const expected = JSON.parse(readFileSync(path.join(corpus, 'json', `${name}.json`), 'utf8'));
    if (name === 'location_coordinates') {
      // The corpus's JSON for this case is a bare object and carries another phone number than
      // its CSV: compare the fields it agrees on.
      it(`${name}: parses quotes inside an unquoted field`, async () => {
        const [record] = await parse(text as string, 5);
        const { 'Contact Phone Number': _phone, ...rest } = expected;
        expect(record).toMatchObject(rest);
        expect(record?.['Contact Phone Number']).toBe('2095257564');
      });
      continue;
    }
    for (const size of [3, 64, 1 << 16]) {
      it(`${name}: parses to the corpus's records in chunks of ${size}`, async () => {
        expect(await parse(text as string, size)).toEqual(expected);
      });
    }
  }
});
