/**
 * `roster`: Roster's command-line tool, on the typed client (client/). `roster help` lists the
 * commands; exit codes are in cli/api.ts (EXIT) and the README.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Schemas } from '../client';
import { CliError, type Connection, call, connect, EXIT } from './api';
import { runImport } from './import';
import { csv, json, table } from './output';

const HELP = `roster — Roster from the command line

Usage: roster <command> [options]

  events list                              the organization's events
  events get EVENT_ID                      one event
  events create --name N --starts ISO --ends ISO --timezone TZ [--language en] [--login-mode magic_link|sso]
  invite --event ID --email E --first-name F --last-name L [--language L] [--role speaker|moderator]...
         [--title T] [--company C] [--no-email]
  attendees list --event ID [--status S] [--detailed-status S] [--role R] [--language L] [--q TEXT]
                 [--sort S] [--limit N] [--all]
  attendees export --event ID [filters as for list] [--out FILE]   every matching attendee as CSV
  import FILE --event ID [--yes] [--no-email] [--errors-out errors.csv]
         checks the file, shows the report, asks, invites with a live progress bar, saves errors.csv

Options for every command:
  --url URL        Roster's address (ROSTER_URL, default http://localhost:3000)
  --api-key KEY    an organization API key (ROSTER_API_KEY)
  --json           machine-readable output on stdout

Exit codes: 0 done; 1 unexpected error; 2 wrong usage; 3 refused by Roster (4xx: the problem is
printed); 4 Roster unreachable or failing (5xx); 5 import done but some rows not invited; 6 nothing
done (declined, cancelled or failed import).
`;

const OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  event: { type: 'string' },
  name: { type: 'string' },
  starts: { type: 'string' },
  ends: { type: 'string' },
  timezone: { type: 'string' },
  language: { type: 'string' },
  'login-mode': { type: 'string' },
  email: { type: 'string' },
  'first-name': { type: 'string' },
  'last-name': { type: 'string' },
  role: { type: 'string', multiple: true },
  title: { type: 'string' },
  company: { type: 'string' },
  'no-email': { type: 'boolean', default: false },
  status: { type: 'string' },
  'detailed-status': { type: 'string' },
  q: { type: 'string' },
  sort: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean', default: false },
  out: { type: 'string' },
  yes: { type: 'boolean', short: 'y', default: false },
  'errors-out': { type: 'string', default: 'errors.csv' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const need = (values: Values, name: keyof Values): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new CliError(`--${name} is required.`, EXIT.usage);
  return value;
};

const print = (values: Values, data: unknown, text: () => string) =>
  process.stdout.write(values.json ? json(data) : `${text()}\n`);

const eventRow = (e: Schemas['Event']) => [e.id, e.name, e.startsAt, e.endsAt, e.timezone, e.loginMode];
const EVENT_HEADERS = ['id', 'name', 'starts', 'ends', 'timezone', 'login'];
const ATTENDEE_HEADERS = [
  'id',
  'email',
  'first name',
  'last name',
  'roles',
  'status',
  'detailed status',
  'created',
];
const attendeeRow = (a: Schemas['Attendee']) => [
  a.id,
  a.email,
  a.firstName,
  a.lastName,
  a.roles.join('|'),
  a.status,
  a.detailedStatus,
  a.createdAt,
];

/** The list's filters from the options, as the attendee list takes them. */
function attendeeQuery(values: Values) {
  const query: Record<string, string | number> = {};
  const put = (key: string, value: string | undefined) => {
    if (value) query[key] = value;
  };
  put('status', values.status);
  put('detailedStatus', values['detailed-status']);
  put('role', values.role?.[0]);
  put('language', values.language);
  put('q', values.q);
  put('sort', values.sort);
  return query;
}

/** Every page of the attendee list (or only the first `limit` items). */
async function* attendees(conn: Connection, values: Values, all: boolean) {
  const eventId = need(values, 'event');
  const limit = values.limit ? Number(values.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new CliError('--limit must be a positive whole number.', EXIT.usage);
  let cursor: string | undefined;
  do {
    const page = await call(
      conn.client.GET('/v1/events/{eventId}/attendees', {
        params: {
          path: { eventId },
          query: {
            ...attendeeQuery(values),
            limit: all ? 500 : (limit ?? 50),
            ...(cursor ? { cursor } : {}),
          } as never,
        },
      }),
    );
    yield page;
    cursor = page.nextCursor ?? undefined;
  } while (all && cursor);
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(HELP);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const conn = connect(values.url, values['api-key']);

  if (command === 'events' && sub === 'list') {
    const items: Schemas['Event'][] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        conn.client.GET('/v1/events', {
          params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } as never },
        }),
      );
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    print(values, items, () => table(EVENT_HEADERS, items.map(eventRow)));
    return EXIT.ok;
  }
  if (command === 'events' && sub === 'get') {
    if (!arg) throw new CliError('events get needs an EVENT_ID.', EXIT.usage);
    const event = await call<Schemas['Event']>(
      conn.client.GET('/v1/events/{eventId}', { params: { path: { eventId: arg } } }),
    );
    print(values, event, () => table(EVENT_HEADERS, [eventRow(event)]));
    return EXIT.ok;
  }
  if (command === 'events' && sub === 'create') {
    const event = await call<Schemas['Event']>(
      conn.client.POST('/v1/events', {
        body: {
          name: need(values, 'name'),
          startsAt: need(values, 'starts'),
          endsAt: need(values, 'ends'),
          timezone: need(values, 'timezone'),
          ...(values.language ? { defaultLanguage: values.language } : {}),
          ...(values['login-mode'] ? { loginMode: values['login-mode'] } : {}),
        } as Schemas['CreateEvent'],
      }),
    );
    print(values, event, () => `Created event ${event.id} (${event.name}).`);
    return EXIT.ok;
  }
  if (command === 'invite') {
    const eventId = need(values, 'event');
    const attendee = await call<Schemas['Attendee']>(
      conn.client.POST('/v1/events/{eventId}/attendees', {
        params: { path: { eventId } },
        body: {
          email: need(values, 'email'),
          firstName: need(values, 'first-name'),
          lastName: need(values, 'last-name'),
          sendEmail: !values['no-email'],
          ...(values.language ? { language: values.language } : {}),
          ...(values.role ? { roles: values.role } : {}),
          ...(values.title ? { title: values.title } : {}),
          ...(values.company ? { company: values.company } : {}),
        },
      }),
    );
    print(values, attendee, () => `Invited ${attendee.email} (${attendee.id}), status ${attendee.status}.`);
    return EXIT.ok;
  }
  if (command === 'attendees' && sub === 'list') {
    const items: Schemas['Attendee'][] = [];
    let total = 0;
    for await (const page of attendees(conn, values, values.all)) {
      items.push(...page.items);
      total = page.total;
    }
    print(values, { items, total }, () =>
      [table(ATTENDEE_HEADERS, items.map(attendeeRow)), `${items.length} of ${total}`].join('\n'),
    );
    return EXIT.ok;
  }
  if (command === 'attendees' && sub === 'export') {
    const rows: ReturnType<typeof attendeeRow>[] = [];
    for await (const page of attendees(conn, values, true)) rows.push(...page.items.map(attendeeRow));
    const text = csv(
      ['id', 'email', 'first_name', 'last_name', 'roles', 'status', 'detailed_status', 'created_at'],
      rows,
    );
    if (values.out) {
      await writeFile(values.out, text);
      process.stderr.write(`${rows.length} attendee(s) written to ${values.out}\n`);
    } else process.stdout.write(text);
    return EXIT.ok;
  }
  if (command === 'import') {
    if (!sub) throw new CliError('import needs a FILE.', EXIT.usage);
    return runImport(conn, {
      file: sub,
      eventId: need(values, 'event'),
      yes: values.yes,
      sendEmail: !values['no-email'],
      errorsOut: values['errors-out'],
      json: values.json,
    });
  }
  throw new CliError(`Unknown command: ${positionals.join(' ')}. Try roster help.`, EXIT.usage);
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`roster: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`roster: ${error.message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    process.stderr.write(`roster: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.unexpected;
  }
}
