import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { Schemas } from '../client';
import { CliError, type Connection, call, EXIT } from './api';
import { count, importProgressLine, json, table } from './output';

type Import = Schemas['Import'];
type Report = Schemas['ImportReport'];

export interface ImportOptions {
  file: string;
  eventId: string;
  yes: boolean;
  sendEmail: boolean;
  errorsOut: string;
  json: boolean;
}

const SHOWN_ERRORS = 20;

function printReport(report: Report) {
  const t = report.totals;
  console.log(
    table(
      ['rows', 'valid', 'invalid', 'duplicate in file', 'already invited'],
      [[count(t.rows), count(t.valid), count(t.invalid), count(t.duplicateInFile), count(t.alreadyInvited)]],
    ),
  );
  if (report.errors.length > 0) {
    console.log(`\n${count(report.errorCount)} row error(s):`);
    const shown = report.errors.slice(0, SHOWN_ERRORS);
    console.log(
      table(
        ['row', 'column', 'code', 'message'],
        shown.map((e) => [e.row, e.column, e.code, e.message]),
      ),
    );
    if (report.errorCount > shown.length)
      console.log(`… and ${count(report.errorCount - shown.length)} more`);
  }
  if (report.preview.length > 0) {
    console.log('\nFirst valid rows:');
    console.log(
      table(
        ['email', 'first name', 'last name', 'language', 'roles'],
        report.preview
          .slice(0, 5)
          .map((r) => [r.email, r.firstName, r.lastName, r.language ?? '', (r.roles ?? []).join('|')]),
      ),
    );
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Follows the import's event stream until its `finished` event; reconnects when the stream drops. */
async function follow(conn: Connection, eventId: string, importId: string, onChange: (i: Import) => void) {
  const url = `${conn.baseUrl.replace(/\/+$/, '')}/v1/events/${eventId}/imports/${importId}/events`;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${conn.apiKey}`, accept: 'text/event-stream' },
      });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const events = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      for await (const event of events) {
        const current = JSON.parse(event.data) as Import;
        onChange(current);
        if (event.event === 'finished') return current;
      }
    } catch (error) {
      if (attempt === 19)
        throw new CliError(`Lost the import's progress: ${(error as Error).message}`, EXIT.unavailable);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 5000)));
  }
  throw new CliError("Lost the import's progress.", EXIT.unavailable);
}

/** `roster import FILE --event …`: check the file, ask, invite, follow, save errors.csv. */
export async function runImport(conn: Connection, options: ImportOptions): Promise<number> {
  const body = await readFile(options.file).catch((error: Error) => {
    throw new CliError(`Cannot read ${options.file}: ${error.message}`, EXIT.usage);
  });
  const report = await call<Report>(
    conn.client.POST('/v1/events/{eventId}/imports', {
      params: { path: { eventId: options.eventId } },
      body: body as unknown as string,
      bodySerializer: (b: unknown) => b as BodyInit,
      headers: { 'content-type': 'text/csv' },
    }),
  );
  if (!options.json) printReport(report);

  let errorsCsv: string | null = null;
  if (report.errorCount > 0) {
    const text = await call<string>(
      conn.client.GET('/v1/events/{eventId}/imports/{importId}/errors.csv', {
        params: { path: { eventId: options.eventId, importId: report.id } },
        parseAs: 'text',
      }),
    );
    await writeFile(options.errorsOut, text);
    errorsCsv = options.errorsOut;
    if (!options.json) console.log(`\nEvery row error is in ${errorsCsv}.`);
  }

  const valid = report.totals.valid;
  if (valid === 0) {
    if (options.json) process.stdout.write(json({ report, import: null, errorsCsv }));
    else console.log('\nNo valid row: nobody to invite.');
    return EXIT.notDone;
  }
  if (!options.yes) {
    if (options.json) throw new CliError('--json does not ask: add --yes to invite.', EXIT.usage);
    const emails = options.sendEmail ? ' and email them an invitation' : ' without an email';
    if (!(await confirm(`\nInvite ${count(valid)} ${valid === 1 ? 'person' : 'people'}${emails}?`))) {
      console.log('Nothing was invited.');
      return EXIT.notDone;
    }
  }

  await call(
    conn.client.POST('/v1/events/{eventId}/imports/{importId}/start', {
      params: { path: { eventId: options.eventId, importId: report.id } },
      body: { sendEmail: options.sendEmail },
    }),
  );

  const tty = !options.json && process.stderr.isTTY;
  let lastLine = 0;
  const finished = await follow(conn, options.eventId, report.id, (current) => {
    if (options.json) return;
    const line = importProgressLine(current.progress, valid);
    if (tty) process.stderr.write(`\r${line}`);
    else if (Date.now() - lastLine > 2000 || current.status !== 'running') {
      process.stderr.write(`${line}\n`);
      lastLine = Date.now();
    }
  });
  if (tty) process.stderr.write('\n');

  const p = finished.progress;
  if (options.json) process.stdout.write(json({ report, import: finished, errorsCsv }));
  else
    console.log(
      `Import ${finished.status}: ${count(p.invited)} invited, ${count(p.emailed)} emailed, ${count(p.failed)} failed.`,
    );
  if (finished.status !== 'completed') return EXIT.notDone;
  return p.failed > 0 || report.errorCount > 0 ? EXIT.partial : EXIT.ok;
}
