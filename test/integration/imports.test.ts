import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../domain/csv-import';
import { type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let apiKey: string;

beforeAll(async () => {
  stack = await startStack();
  const org = await stack.createOrganization();
  api = org.client;
  apiKey = org.key;
});
afterAll(() => stack.close());

async function newEvent(overrides: Record<string, unknown> = {}) {
  const res = await api('POST', '/v1/events', sampleEvent(overrides));
  expect(res.status).toBe(201);
  return res.json.id as string;
}

/** Uploads a file as the raw body (or a FormData) and reads the JSON answer. */
async function upload(
  eventId: string,
  body: string | Uint8Array | FormData | ReadableStream<Uint8Array>,
  contentType: string | null = 'text/csv',
  extra: RequestInit = {},
) {
  const res = await fetch(`${stack.baseUrl}/v1/events/${eventId}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body: body as RequestInit['body'],
    ...extra,
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

const HEADER = 'email,first_name,last_name,company,title,language,role';
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

const errorsOf = (json: { errors: { row: number; column: string; code: string; message: string }[] }) =>
  json.errors.map((e) => [e.row, e.column, e.code]);

async function importRowCount(importId: string) {
  const [row] = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>('select count(*)::int as n from import_rows where import_id = ?', [importId]);
  return row?.n ?? 0;
}

describe('the CSV template', () => {
  it('answers the header and two example rows that pass the check as they are', async () => {
    const eventId = await newEvent();
    const res = await api('GET', `/v1/events/${eventId}/imports/template.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = res.text.trim().split(/\r\n/);
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(3);

    const report = await upload(eventId, res.text);
    expect(report.status).toBe(201);
    expect(report.json.totals).toEqual({
      rows: 2,
      valid: 2,
      invalid: 0,
      duplicateInFile: 0,
      alreadyInvited: 0,
    });
    expect(report.json.preview[1]).toMatchObject({
      roles: ['attendee', 'speaker', 'moderator'],
      language: 'pt-BR',
    });
  });

  it('answers 404 for an event of another organization', async () => {
    const eventId = await newEvent();
    const other = (await stack.createOrganization()).client;
    expect((await other('GET', `/v1/events/${eventId}/imports/template.csv`)).status).toBe(404);
  });
});

describe('the check-your-file report', () => {
  it('reports every row-level error code with its line number, column and a message', async () => {
    const eventId = await newEvent({ defaultLanguage: 'fr' });
    const taken = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'taken@example.org',
      firstName: 'Taken',
      lastName: 'Already',
      sendEmail: false,
    });
    expect(taken.status).toBe(201);

    const file = csv(
      'ok@example.org,Ok,Person,,,,', // 2 valid, event's language
      'nofirst@example.org,,Person,,,,', // 3 missing_field first_name
      'ada@localhost,Ada,L,,,,', // 4 invalid_email (no dotted domain)
      'josé@example.org,Jose,N,,,,', // 5 email_special_characters
      'typo@gmial.com,Ty,Po,,,,', // 6 email_domain_typo → gmail.com
      'tld@example.con,Tl,D,,,,', // 7 email_domain_typo → example.com
      '  OK@Example.ORG ,Ok,Again,,,,', // 8 duplicate_in_file of row 2
      'Taken@Example.org,Ta,Ken,,,,', // 9 already_invited
      'lang@example.org,La,Ng,,,tlh,', // 10 invalid_language
      'ptbr@example.org,Pt,Br,,,pt-br,', // 11 valid, pt-BR
      'role@example.org,Ro,Le,,,,host', // 12 invalid_role
      'both@example.org,Bo,Th,ACME,CTO,DE,SPEAKER|Moderator', // 13 valid
      `long@example.org,${'x'.repeat(101)},Name,,,,`, // 14 field_too_long
      'comp@example.org,Co,Mp,ACME,Head of Ops,Portuguese (Brazilian),', // 15 valid: company and title for anyone, a language's name
    );
    const res = await upload(eventId, file);
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('validated');
    expect(res.json.totals).toEqual({
      rows: 14,
      valid: 4,
      invalid: 10,
      duplicateInFile: 1,
      alreadyInvited: 1,
    });
    expect(errorsOf(res.json)).toEqual([
      [3, 'first_name', 'missing_field'],
      [4, 'email', 'invalid_email'],
      [5, 'email', 'email_special_characters'],
      [6, 'email', 'email_domain_typo'],
      [7, 'email', 'email_domain_typo'],
      [8, 'email', 'duplicate_in_file'],
      [9, 'email', 'already_invited'],
      [10, 'language', 'invalid_language'],
      [12, 'role', 'invalid_role'],
      [14, 'first_name', 'field_too_long'],
    ]);
    const message = (row: number) => res.json.errors.find((e: { row: number }) => e.row === row)?.message;
    expect(message(6)).toContain('gmail.com');
    expect(message(7)).toContain('example.com');
    expect(message(8)).toContain('row 2');
    expect(res.json.preview.map((p: { row: number }) => p.row)).toEqual([2, 11, 13, 15]);
    expect(res.json.preview).toEqual([
      {
        row: 2,
        email: 'ok@example.org',
        firstName: 'Ok',
        lastName: 'Person',
        company: null,
        title: null,
        language: 'fr',
        roles: ['attendee'],
      },
      expect.objectContaining({ row: 11, language: 'pt-BR' }),
      expect.objectContaining({
        row: 13,
        language: 'de',
        roles: ['attendee', 'speaker', 'moderator'],
        company: 'ACME',
        title: 'CTO',
      }),
      expect.objectContaining({
        row: 15,
        language: 'pt-BR',
        roles: ['attendee'],
        company: 'ACME',
        title: 'Head of Ops',
      }),
    ]);
    // The report is kept: GET answers it again.
    const again = await api('GET', `/v1/events/${eventId}/imports/${res.json.id}`);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(res.json);
  });

  it('reports all errors of one row and counts duplicates of differently cased, padded addresses', async () => {
    const eventId = await newEvent();
    const res = await upload(
      eventId,
      csv('dup@example.org,A,B,,,,', ' DUP@EXAMPLE.ORG,,B,,,xx,', 'Dup@Example.Org ,C,D,,,,'),
    );
    expect(res.status).toBe(201);
    expect(res.json.totals).toMatchObject({ rows: 3, valid: 1, invalid: 2, duplicateInFile: 2 });
    expect(errorsOf(res.json)).toEqual([
      [3, 'first_name', 'missing_field'],
      [3, 'language', 'invalid_language'],
      [3, 'email', 'duplicate_in_file'],
      [4, 'email', 'duplicate_in_file'],
    ]);
  });

  it('matches headers case-insensitively ignoring spaces and _, with a BOM, CRLF and quoted fields', async () => {
    const eventId = await newEvent();
    const file =
      '\uFEFFE Mail,FIRST NAME, last_Name ,Company,Title,Role,unknown column\r\n' +
      'q1@example.org,"Smith, Jane","O""Brien",,,,ignored\r\n' +
      // Line breaks inside quoted cells (names refuse them: invalid_characters; a title keeps them).
      'q2@example.org,"Multi Line",Name,"Acme, ""Inc.""\nSecond line","CEO\r\nFounder",speaker,\r\n' +
      '\r\n' +
      ',,,,,,\r\n' +
      'bad,"x\ny",z,,,,\r\n';
    const res = await upload(eventId, file);
    expect(res.status).toBe(201);
    expect(res.json.totals).toMatchObject({ rows: 3, valid: 2, invalid: 1 });
    expect(res.json.preview).toEqual([
      expect.objectContaining({ row: 2, firstName: 'Smith, Jane', lastName: 'O"Brien' }),
      expect.objectContaining({
        row: 3,
        firstName: 'Multi Line',
        company: 'Acme, "Inc."\nSecond line',
        title: 'CEO\r\nFounder',
      }),
    ]);
    // Row 3 spans lines 3-5, then a blank line (6) and an empty record (7): the bad row is line 8.
    expect(errorsOf(res.json)).toEqual([
      [8, 'email', 'invalid_email'],
      [8, 'first_name', 'invalid_characters'],
    ]);
  });

  it('skips blank lines before the header and still numbers rows by file line', async () => {
    const eventId = await newEvent();
    const res = await upload(
      eventId,
      '\r\n\r\nemail;first_name;last_name\r\nok@example.org;O;K\r\nbad;B;D\r\n',
    );
    expect(res.status).toBe(201);
    expect(res.json.totals).toMatchObject({ rows: 2, valid: 1 });
    expect(res.json.preview[0].row).toBe(4);
    expect(errorsOf(res.json)).toEqual([[5, 'email', 'invalid_email']]);
  });

  it('reads a file that a spreadsheet saved with semicolons and LF line endings', async () => {
    const eventId = await newEvent();
    const res = await upload(
      eventId,
      'email;first_name;last_name\nsemi@example.org;Se;Mi\nx@example.org;"a;b";c\n',
    );
    expect(res.status).toBe(201);
    expect(res.json.totals).toMatchObject({ rows: 2, valid: 2 });
    expect(res.json.preview[1].firstName).toBe('a;b');
  });

  it('accepts the file as the multipart field `file`', async () => {
    const eventId = await newEvent();
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([csv('multi@example.org,Mul,Ti,,,,')], { type: 'text/csv' }), 'people.csv');
    const res = await upload(eventId, form, null);
    expect(res.status).toBe(201);
    expect(res.json.totals).toMatchObject({ rows: 1, valid: 1 });

    const noFile = new FormData();
    noFile.append('other', new Blob(['x']), 'x.csv');
    const missing = await upload(eventId, noFile, null);
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0]).toMatchObject({ path: 'file' });
  });

  it('replays the report for a repeated Idempotency-Key and still refuses a Windows-1252 file', async () => {
    const eventId = await newEvent();
    const body = csv('idem@example.org,Id,Em,,,,');
    const headers = {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'text/csv',
      'idempotency-key': `up-${eventId}`,
    };
    const post = (b: string | Uint8Array, h = headers) =>
      fetch(`${stack.baseUrl}/v1/events/${eventId}/imports`, { method: 'POST', headers: h, body: b });
    const first = await post(body);
    expect(first.status).toBe(201);
    const firstJson = (await first.json()) as { id: string };
    const again = await post(body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(firstJson.id);

    const latin = new Uint8Array(Buffer.from(csv('jose@example.org,José,Núñez,,,,'), 'latin1'));
    const refused = await post(latin, { ...headers, 'idempotency-key': `latin-${eventId}` });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { code: string }).code).toBe('not_utf8');
  });

  it('checks a file of many pages against the attendees page by page and stores it in file order', async () => {
    const eventId = await newEvent();
    // Already invited: rows on the first, second, third and fifth page of 1,000 rows.
    const taken = [10, 1500, 2999, 4400];
    for (const i of taken) {
      const res = await api('POST', `/v1/events/${eventId}/attendees`, {
        email: `m${i}@example.org`,
        firstName: 'Taken',
        lastName: `${i}`,
        sendEmail: false,
      });
      expect(res.status).toBe(201);
    }
    const rows = Array.from({ length: 4500 }, (_, i) => `M${i}@Example.org,M,${i},,,,`);
    rows[3600] = 'm5@example.org,Again,Five,,,,'; // duplicate_in_file of row 7
    const res = await upload(eventId, csv(...rows));
    expect(res.status).toBe(201);
    expect(res.json.totals).toMatchObject({
      rows: 4500,
      valid: 4495,
      invalid: 5,
      alreadyInvited: 4,
      duplicateInFile: 1,
    });
    // File line = index + 2 (the header is line 1).
    expect(errorsOf(res.json)).toEqual([
      [12, 'email', 'already_invited'],
      [1502, 'email', 'already_invited'],
      [3001, 'email', 'already_invited'],
      [3602, 'email', 'duplicate_in_file'],
      [4402, 'email', 'already_invited'],
    ]);
    type Stored = {
      row_number: number;
      seq: number | null;
      email_key: string | null;
      attendee_id: string | null;
    };
    const stored: Stored[] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<Stored[]>(
        'select row_number, seq, email_key, attendee_id from import_rows where import_id = ? order by row_number',
        [res.json.id],
      );
    expect(stored).toHaveLength(4500);
    const valid = stored.filter((r) => r.seq !== null);
    // Valid rows are numbered 1, 2, 3, … in file order, each with its own attendee id.
    expect(valid.map((r) => r.seq)).toEqual(Array.from({ length: 4495 }, (_, i) => i + 1));
    expect(new Set(valid.map((r) => r.attendee_id)).size).toBe(4495);
    expect(valid.at(-1)).toMatchObject({ row_number: 4501, seq: 4495, email_key: 'm4499@example.org' });
  });

  it('holds the first 20 valid rows in the preview', async () => {
    const eventId = await newEvent();
    const rows = Array.from({ length: 30 }, (_, i) => `p${i}@example.org,P,${i},,,,`);
    const res = await upload(eventId, csv(...rows));
    expect(res.json.totals.valid).toBe(30);
    expect(res.json.preview).toHaveLength(20);
    expect(res.json.preview.at(-1)).toMatchObject({ row: 21, email: 'p19@example.org' });
  });
});

describe('file-level errors', () => {
  it('answers 422 not_utf8 naming the likely encoding when the file is saved as Windows-1252', async () => {
    const eventId = await newEvent();
    const latin = Buffer.from(
      csv('jose@example.org,José,Núñez,,,,', 'zoe@example.org,Zoë,Åberg,Café “Noir”,,,'),
      'latin1',
    );
    const res = await upload(eventId, new Uint8Array(latin));
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('not_utf8');
    expect(res.json.detail).toMatch(/windows-1252|ISO-8859-1/i);
  });

  it('answers 422 not_utf8 when an invalid byte sits far into a large file', async () => {
    const eventId = await newEvent();
    const good = Buffer.from(csv(...Array.from({ length: 3000 }, (_, i) => `u${i}@example.org,U,${i},,,,`)));
    const res = await upload(
      eventId,
      new Uint8Array(Buffer.concat([good, Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x0d, 0x0a])])),
    );
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('not_utf8');
  });

  it.each([
    ['a header without first_name and last_name', 'email,name\r\na@example.org,A\r\n', 'missing_columns'],
    ['a header naming email twice', 'email,first_name,last_name,E-mail,EMAIL\r\n', 'duplicate_columns'],
    ['an empty body', '', 'empty_file'],
    ['only a byte-order mark and blank lines', '\uFEFF\r\n\r\n', 'empty_file'],
    ['a header and no rows', `${HEADER}\r\n,,,\r\n\r\n`, 'empty_file'],
    ['an unclosed quote', `${HEADER}\r\na@example.org,"Ada,L,,,,\r\n`, 'invalid_csv'],
  ])('answers 422 when given %s', async (_label, body, code) => {
    const eventId = await newEvent();
    const res = await upload(eventId, body);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe(code);
    if (code === 'missing_columns') {
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['first_name', 'last_name']);
    }
  });

  it('answers 415 for a body that is not CSV', async () => {
    const eventId = await newEvent();
    const res = await upload(eventId, '{"email":"a@example.org"}', 'application/json');
    expect(res.status).toBe(415);
    expect(res.json.code).toBe('unsupported_media_type');
  });

  it(`answers 422 too_many_rows past ${MAX_IMPORT_ROWS} rows and keeps nothing of the file`, async () => {
    const eventId = await newEvent();
    const lines = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `r${i}@example.org,R,${i}`);
    const res = await upload(eventId, `email,first_name,last_name\n${lines.join('\n')}\n`);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('too_many_rows');
    const [left] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>('select count(*)::int as n from imports where event_id = ?', [eventId]);
    expect(left?.n).toBe(0);
  });

  it('answers 413 file_too_large when the declared length is over the limit', async () => {
    const eventId = await newEvent();
    const body = new Uint8Array(MAX_IMPORT_BYTES + 100 * 1024).fill(0x2c);
    const res = await upload(eventId, body);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('file_too_large');
  });

  it('answers 413 file_too_large when a streamed body without a length grows over the limit', async () => {
    const eventId = await newEvent();
    // Lines of spaces: blank records, so the parser skips them quickly.
    const chunk = new TextEncoder().encode(`${' '.repeat(16_000)}\n`.repeat(4));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`${HEADER}\n`));
      },
      pull(controller) {
        if (sent > MAX_IMPORT_BYTES + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await upload(eventId, stream, 'text/csv', { duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('file_too_large');
  });
});

describe('errors.csv', () => {
  it('lists every row error with its value and neutralizes cells that a spreadsheet would evaluate', async () => {
    const eventId = await newEvent();
    const res = await upload(
      eventId,
      csv(
        '=HYPERLINK("http://evil.example"),Eve,L,,,,',
        'ok@example.org,Ok,P,,,"@SUM(A1)",',
        'x@example.org,X,Y,,,,-2+3',
        'y@example.org,Y,Z,,,+cmd,',
      ),
    );
    expect(res.status).toBe(201);
    const file = await api('GET', `/v1/events/${eventId}/imports/${res.json.id}/errors.csv`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    const lines = file.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,column,code,message,value');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^2,email,invalid_email,/);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"")"`);
    expect(lines[2]).toMatch(/^3,language,invalid_language,.*,'@SUM\(A1\)$/);
    expect(lines[3]).toMatch(/^4,role,invalid_role,.*,'-2\+3$/);
    expect(lines[4]).toMatch(/^5,language,invalid_language,.*,'\+cmd$/);
    // Nothing in the file starts a cell with a formula character.
    for (const line of lines) expect(line).not.toMatch(/(^|,)[=+\-@\t\r]/);
  });

  it('answers 404 for an import of another organization', async () => {
    const eventId = await newEvent();
    const res = await upload(eventId, csv('o@example.org,O,P,,,,'));
    const other = (await stack.createOrganization()).client;
    expect((await other('GET', `/v1/events/${eventId}/imports/${res.json.id}/errors.csv`)).status).toBe(404);
    expect((await other('GET', `/v1/events/${eventId}/imports/${res.json.id}`)).status).toBe(404);
    expect(await importRowCount(res.json.id)).toBe(1);
  });
});

describe('the OpenAPI document', () => {
  it('describes every bulk-invite route with its media types', async () => {
    const res = await stack.client()('GET', '/openapi.json');
    const paths = res.json.paths;
    const base = '/v1/events/{eventId}/imports';
    expect(Object.keys(paths[`${base}`]).sort()).toEqual(['get', 'post']);
    expect(paths[`${base}`].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ImportPage',
    );
    expect(Object.keys(paths[`${base}`].post.requestBody.content).sort()).toEqual([
      'multipart/form-data',
      'text/csv',
    ]);
    expect(paths[`${base}/template.csv`].get.responses['200'].content).toHaveProperty('text/csv');
    expect(paths[`${base}/{importId}`].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ImportReport',
    );
    expect(paths[`${base}/{importId}/start`].post.responses).toHaveProperty('202');
    expect(paths[`${base}/{importId}/cancel`].post.responses).toHaveProperty('409');
    expect(paths[`${base}/{importId}/events`].get.responses['200'].content).toHaveProperty(
      'text/event-stream',
    );
    expect(paths[`${base}/{importId}/errors.csv`].get.responses['200'].content).toHaveProperty('text/csv');
    expect(res.json.components.schemas.ImportRowError.properties.code.enum).toContain('email_domain_typo');
  });
});
