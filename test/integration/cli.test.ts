import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, sampleEvent, startStack } from '../support/stack';

/** The `roster` command-line tool as a person or a script runs it: a process against the real stack. */
let stack: Stack;
let key: string;
let dir: string;
let eventId: string;

function roster(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/roster.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, ROSTER_URL: stack.baseUrl, ROSTER_API_KEY: key, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

beforeAll(async () => {
  stack = await startStack();
  key = (await stack.createOrganization()).key;
  dir = await mkdtemp(join(tmpdir(), 'roster-cli-'));
});
afterAll(() => stack.close());

const CSV = (rows: string[]) => ['email,first_name,last_name,language,role', ...rows].join('\n');

describe('roster command-line tool', () => {
  it('creates and lists events, as JSON for scripts and as a table for people', async () => {
    const e = sampleEvent();
    const created = await roster([
      'events',
      'create',
      '--name',
      'CLI Week',
      '--starts',
      e.startsAt,
      '--ends',
      e.endsAt,
      '--timezone',
      e.timezone,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    eventId = JSON.parse(created.stdout).id;
    const listed = await roster(['events', 'list', '--json']);
    expect(JSON.parse(listed.stdout).map((x: { id: string }) => x.id)).toContain(eventId);
    const table = await roster(['events', 'list']);
    expect(table.stdout).toMatch(/^id\s+name\s+starts/);
    expect(table.stdout).toContain('CLI Week');
  });

  it('invites one person and answers exit code 3 with the problem when Roster refuses', async () => {
    const args = [
      'invite',
      '--event',
      eventId,
      '--email',
      'ada@example.com',
      '--first-name',
      'Ada',
      '--last-name',
      'Lovelace',
    ];
    const first = await roster([...args, '--role', 'speaker', '--no-email']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('ada@example.com');
    const again = await roster(args);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('409 duplicate_email');
    // With sendEmail false, no invitation went out.
    expect(stack.postmark.messages.filter((m) => m.To === 'ada@example.com')).toHaveLength(0);
  });

  it('imports a file: shows the report, asks, invites with progress, saves errors.csv, exit 5 for rows left out', async () => {
    const file = join(dir, 'people.csv');
    await writeFile(
      file,
      CSV([
        'grace@example.com,Grace,Hopper,en,',
        'not-an-email,Bad,Row,en,',
        'alan@example.com,Alan,Turing,de,moderator',
        'kay@example.com,Kay,Lee,fr,',
      ]),
    );
    const errorsOut = join(dir, 'errors.csv');
    const run = await roster(['import', file, '--event', eventId, '--errors-out', errorsOut], {
      input: 'y\n',
    });
    expect(run.code, run.stderr).toBe(5);
    expect(run.stdout).toMatch(/rows\s+valid\s+invalid/);
    expect(run.stdout).toContain('invalid_email');
    expect(run.stdout).toContain('Import completed: 3 invited, 3 emailed, 0 failed.');
    expect(run.stderr).toContain('Invite 3 people and email them an invitation?');
    expect(run.stderr).toMatch(/\[#+\] 100%/);
    const errors = await readFile(errorsOut, 'utf8');
    expect(errors).toContain('not-an-email');
    const list = await roster(['attendees', 'list', '--event', eventId, '--status', 'invited', '--json']);
    expect(JSON.parse(list.stdout).total).toBe(4);
  });

  it('does nothing when the person says no (exit 6), and --json needs --yes (exit 2)', async () => {
    const file = join(dir, 'more.csv');
    await writeFile(file, CSV(['lin@example.com,Lin,Chen,en,']));
    const declined = await roster(['import', file, '--event', eventId], { input: 'n\n' });
    expect(declined.code).toBe(6);
    expect(declined.stdout).toContain('Nothing was invited.');
    const json = await roster(['import', file, '--event', eventId, '--json']);
    expect(json.code).toBe(2);
    const done = await roster(['import', file, '--event', eventId, '--json', '--yes', '--no-email']);
    expect(done.code, done.stderr).toBe(0);
    const result = JSON.parse(done.stdout);
    expect(result.import).toMatchObject({ status: 'completed', progress: { invited: 1, emailed: 0 } });
    expect(result.errorsCsv).toBeNull();
  });

  it('exports every matching attendee as spreadsheet-safe CSV', async () => {
    const out = join(dir, 'attendees.csv');
    const run = await roster(['attendees', 'export', '--event', eventId, '--role', 'speaker', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe('id,email,first_name,last_name,roles,status,detailed_status,created_at');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('ada@example.com');
    const all = await roster(['attendees', 'export', '--event', eventId]);
    expect(all.stdout.trim().split('\r\n')).toHaveLength(1 + 5);
  });

  it('answers usage errors with 2 and an unreachable Roster with 4', async () => {
    expect((await roster(['frobnicate'])).code).toBe(2);
    expect((await roster(['invite', '--event', eventId])).code).toBe(2);
    expect((await roster(['events', 'list', '--bogus'])).code).toBe(2);
    expect((await roster(['events', 'list'], { env: { ROSTER_API_KEY: '' } })).code).toBe(2);
    const down = await roster(['events', 'list'], { env: { ROSTER_URL: 'http://127.0.0.1:9' } });
    expect(down.code).toBe(4);
    const help = await roster(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
  });
});
