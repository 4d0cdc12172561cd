import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW_ERROR_CODES } from '../../api/imports/imports.routes';
import { type Stack, sampleEvent, startStack } from '../support/stack';

/**
 * Random uploads to the check-your-file endpoint: random bytes, CSV with hostile quoting, line
 * breaks, formula cells, huge fields and invalid UTF-8, as text/csv and as multipart. Never a 5xx,
 * every refusal a problem document, every report consistent, every errors.csv neutralized.
 */
let stack: Stack;
let key: string;
let eventId: string;

beforeAll(async () => {
  stack = await startStack();
  const org = await stack.createOrganization();
  key = org.key;
  eventId = (await org.client('POST', '/v1/events', sampleEvent())).json.id;
});
afterAll(() => stack.close());

const COLUMNS = ['email', 'first_name', 'last_name', 'company', 'title', 'language', 'role'];
const ROW_CODES = new Set<string>(ROW_ERROR_CODES);

const cell = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 4, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"',
      '""',
      ',',
      '\n',
      '\r\n',
      '\r',
      '=HYPERLINK("x")',
      '+1',
      '@SUM(A1)',
      '\u0000',
      '\ufeff',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('speaker', 'moderator|speaker', 'en', 'de', 'xx') },
);
// Now and then one huge field (up to 200k characters) somewhere in the file.
const huge = fc.integer({ min: 300, max: 200_000 }).map((n) => 'x'.repeat(n));

/** The value in about one case out of `every`, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, every: number) =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;
const line = fc
  // Mostly quoted as a careful writer would; sometimes raw, quotes and line breaks and all.
  .array(fc.tuple(cell, fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, fc.constant(false))), {
    maxLength: 9,
  })
  .map((cells) => cells.map(([value, quote]) => (quote ? quoted(value) : value)).join(','));

const variant = (n: string) =>
  fc.constantFrom(n, n.toUpperCase(), n.replace('_', ' '), ` ${n} `, n.replace('_', ''));
// Mostly the mandatory columns with some optional ones, in any order and spelling; sometimes any subset.
const header = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc
        .shuffledSubarray(COLUMNS.slice(3))
        .chain((optional) =>
          fc.shuffledSubarray([...COLUMNS.slice(0, 3), ...optional], { minLength: 3 + optional.length }),
        ),
    },
    { weight: 1, arbitrary: fc.shuffledSubarray(COLUMNS) },
  )
  .chain((names) => fc.tuple(...names.map(variant)))
  .map((names) => names.join(','));

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, Latin-1. */
const badBytes = fc.constantFrom(
  [0xff],
  [0xc3],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe9, 0x74, 0xe9],
);

const csvFile = fc
  .record({
    bom: fc.boolean(),
    header,
    lines: fc.array(line, { maxLength: 30 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    huge: sometimes(fc.tuple(fc.nat(), huge), 10),
    corrupt: sometimes(fc.tuple(fc.nat(), badBytes), 6),
  })
  .map(({ bom, header, lines, eol, huge, corrupt }) => {
    if (huge && lines.length > 0) lines[huge[0] % lines.length] += `,${huge[1]}`;
    const bytes = Buffer.from(`${bom ? '\ufeff' : ''}${[header, ...lines].join(eol)}${eol}`, 'utf8');
    if (!corrupt) return bytes;
    const at = corrupt[0] % (bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(corrupt[1]), bytes.subarray(at)]);
  });

/** A file that prints as its size and first bytes, so a failure report stays readable. */
const shown = (bytes: Buffer) => ({
  bytes,
  [fc.toStringMethod]: () =>
    `<${bytes.length} bytes: ${JSON.stringify(bytes.subarray(0, 300).toString('latin1'))}>`,
});

const upload = fc.oneof(
  { weight: 4, arbitrary: csvFile.map(shown) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4000 }).map((b) => shown(Buffer.from(b))) },
);

async function send(file: Buffer, multipart: boolean) {
  if (multipart) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)], { type: 'text/csv' }), 'people.csv');
    return fetch(`${stack.baseUrl}/v1/events/${eventId}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
  }
  return fetch(`${stack.baseUrl}/v1/events/${eventId}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body: new Uint8Array(file),
  });
}

describe('fuzzing the CSV upload', () => {
  it('never answers 5xx; refusals are problem documents; reports and errors.csv hold together', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(upload, fc.boolean(), async ({ bytes }, multipart) => {
        const res = await send(bytes, multipart);
        const text = await res.text();
        const outcome = res.status === 201 ? '201' : `${res.status} ${JSON.parse(text).code}`;
        seen[outcome] = (seen[outcome] ?? 0) + 1;
        expect(res.status, text).toBeLessThan(500);
        if (res.status !== 201) {
          expect([400, 413, 415, 422]).toContain(res.status);
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(JSON.parse(text).code).toMatch(/^[a-z_0-9]+$/);
          return;
        }
        const report = JSON.parse(text);
        const { totals } = report;
        expect(totals.rows).toBe(totals.valid + totals.invalid);
        expect(report.preview.length).toBe(Math.min(20, totals.valid));
        for (const error of report.errors) {
          expect(ROW_CODES.has(error.code), error.code).toBe(true);
          expect(error.row).toBeGreaterThanOrEqual(2);
        }
        const errors = await fetch(`${stack.baseUrl}/v1/events/${eventId}/imports/${report.id}/errors.csv`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(errors.status).toBe(200);
        // No cell of the export starts a formula: those are prefixed with an apostrophe.
        const cells: string[] = parse(await errors.text(), { relax_column_count: true }).flat();
        expect(cells.filter((value) => /^[=+\-@\t\r]/.test(value))).toEqual([]);
      }),
      { numRuns: 150 },
    );
    console.log(`csv fuzz: 150 uploads, answers ${JSON.stringify(seen)}`);
    // The generator reaches both sides: accepted reports and refusals.
    expect(seen['201']).toBeGreaterThan(0);
    expect(Object.keys(seen).length).toBeGreaterThan(1);
  }, 240_000);
});
