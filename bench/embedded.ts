/**
 * `npm run bench:embedded [-- --rows 100000 --quick --json]`: `npm start` on its embedded
 * defaults, measured as a person runs it (its own PostgreSQL and Temporal dev server, the local
 * outbox): the database opened alone, the start on a fresh ROSTER_DATA_DIR and the restart with
 * 100k attendees, memory (RSS of the Roster process, PSS of the PostgreSQL server's processes),
 * CPU time per process group, the check-your-file at 10k and 100k rows, the attendee list (the
 * five cases of `npm run bench`), 50 concurrent list requests and 50 concurrent single invites.
 * The figures, against the PGlite default they replaced, are in docs/embedded-database.md.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, openOrm } from '../db/orm';
import {
  apiCaller,
  freePort,
  load,
  percentiles,
  startNpmScript,
  timedRequest,
  waitForReady,
} from './support';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const sizes = quick
  ? { rows: 2000, checkRows: [1000], listSamples: 20, concurrent: 100, clients: 10 }
  : {
      rows: Number(values.rows),
      checkRows: [10_000, 100_000],
      listSamples: 200,
      concurrent: 1000,
      clients: 50,
    };
const apiKey = 'bench-embedded-key';
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Resident and proportional set size (MB) of one process (smaps_rollup: shared pages split among sharers). */
function memoryOf(pid: number) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('Rss') / 1024, pss: kb('Pss') / 1024 };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** The descendants of a process, each with its command line. */
function descendants(root: number): { pid: number; command: string }[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), pid]);
    } catch {
      // gone
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (pid: number) => {
    for (const child of parents.get(pid) ?? []) {
      let command = '';
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue;
      }
      found.push({ pid: child, command });
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** Memory now: the Roster process (API and worker), its PostgreSQL server, its Temporal dev server. */
function memoryNow(rosterPid: number) {
  const tree = descendants(rosterPid);
  const sum = (filter: (command: string) => boolean, field: 'rss' | 'pss') =>
    tree.filter((p) => filter(p.command)).reduce((total, p) => total + memoryOf(p.pid)[field], 0);
  const isPostgres = (c: string) => /postgres/.test(c) && !/temporal/.test(c);
  const roster = memoryOf(rosterPid).rss;
  const postgresPss = sum(isPostgres, 'pss');
  return {
    rosterRssMb: roster,
    postgresPssMb: postgresPss,
    postgresRssSumMb: sum(isPostgres, 'rss'),
    postgresProcesses: tree.filter((p) => isPostgres(p.command)).length,
    temporalRssMb: sum((c) => /temporal/.test(c), 'rss'),
    databaseAndRosterMb: roster + postgresPss,
  };
}

type Memory = ReturnType<typeof memoryNow>;

/** CPU seconds used so far (user + system; a process's reaped children included), per group of the tree. */
function cpuNow(rosterPid: number) {
  const seconds = (pid: number, withChildren: boolean) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      const ticks = (f[11] ?? 0) + (f[12] ?? 0) + (withChildren ? (f[13] ?? 0) + (f[14] ?? 0) : 0);
      return ticks / 100;
    } catch {
      return 0;
    }
  };
  const tree = descendants(rosterPid);
  const postmaster = tree.find((p) => /postgres -D/.test(p.command));
  const backends = postmaster ? descendants(postmaster.pid) : [];
  return {
    roster: seconds(rosterPid, false),
    postgres: postmaster
      ? seconds(postmaster.pid, true) + backends.reduce((t, p) => t + seconds(p.pid, false), 0)
      : 0,
    temporal: tree.filter((p) => /temporal/.test(p.command)).reduce((t, p) => t + seconds(p.pid, true), 0),
  };
}

/** CPU seconds each group used since the call. */
function cpuSince(rosterPid: number) {
  const start = cpuNow(rosterPid);
  return () => {
    const end = cpuNow(rosterPid);
    return {
      roster: round(end.roster - start.roster),
      postgres: round(end.postgres - start.postgres),
      temporal: round(end.temporal - start.temporal),
    };
  };
}

/** Samples memory every 250 ms until stopped; answers the peak of each figure. */
function memoryPeaks(rosterPid: number) {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [k, v] of Object.entries(memoryNow(rosterPid))) peak[k] = Math.max(peak[k] ?? 0, v);
  };
  sample();
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    return Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v)])) as Memory;
  };
}

const roundMemory = (m: Memory) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v)])) as Memory;

/** A CSV of n people, as `npm run bench` makes it: 500 company domains, four languages, a speaker every 20 rows. */
const csvFile = (n: number, prefix: string) =>
  `email,first_name,last_name,company,title,language,role\n${Array.from(
    { length: n },
    (_, i) =>
      `${prefix}${i}@company${i % 500}.example.org,First${i},Last ${i},${i % 20 === 0 ? 'Acme,CTO' : ','},${['en', 'de', 'fr', ''][i % 4]},${i % 20 === 0 ? 'speaker' : ''}`,
  ).join('\n')}\n`;

/** The list bench's attendees (as `npm run bench` seeds them), written while Roster is stopped. */
const seedSql = (eventId: string, n: number) =>
  `insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
     detailed_status, chat_blocked, chat_terms_agreed, awaiting_confirmation, email_undeliverable,
     search_text, name_key, workflow_id, created_at, updated_at)
   select gen_random_uuid(), '${eventId}', e, e, f, l, (array['en','de','fr','es','ja'])[1 + i % 5],
     case when i % 20 = 0 then array['attendee','speaker'] else array['attendee'] end,
     (array['invited','registered','attended'])[1 + i % 3],
     (array['invited_by_team_member','registered_no_confirmation_required','pre_event_visit'])[1 + i % 3],
     false, false, false, false, lower(f || ' ' || l || ' ' || e), lower(f || ' ' || l), 'bench/' || i,
     now() - make_interval(secs => i), now()
   from (select i, 'person' || i || '@example.org' as e,
           (array['Anna','Ben','Chloe','David','Emma','Felix','Grace','Hugo','Ines','Jonas'])[1 + i % 10] as f,
           (array['Smith','Muller','Garcia','Rossi','Tanaka','Novak','Silva','Kim','Dubois','Berg'])[1 + (i / 10) % 10] || i as l
         from generate_series(1, ${n}) as i) s`;

/** `npm start`'s database in `dataDir` (ROSTER_DATA_DIR), opened while `npm start` is stopped. */
async function openEmbedded(dataDir: string) {
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    mode: 'durable',
    database: 'roster',
  });
  const orm = await openOrm({ kind: 'postgres', url: server.url() }).catch(async (error) => {
    await server.stop();
    throw error;
  });
  return {
    orm,
    async close() {
      await orm.close();
      await server.stop();
    },
  };
}

async function seedOffline(dataDir: string, eventId: string, n: number) {
  const t0 = performance.now();
  const db = await openEmbedded(dataDir);
  try {
    const connection = db.orm.em.fork().getConnection();
    await connection.execute(seedSql(eventId, n));
    await connection.execute('vacuum analyze attendees');
  } finally {
    await db.close();
  }
  return (performance.now() - t0) / 1000;
}

/** The database alone, as `npm start` opens it: on a fresh folder (initdb, migrations), then again on it. */
async function openDatabaseSeconds() {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-bench-open-'));
  chmodSync(dir, 0o755);
  const open = async () => {
    const t0 = performance.now();
    const db = await openEmbedded(dir);
    await migrate(db.orm);
    const seconds = round((performance.now() - t0) / 1000);
    const t1 = performance.now();
    await db.close();
    return { seconds, closeSeconds: round((performance.now() - t1) / 1000) };
  };
  try {
    return { fresh: await open(), again: await open() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureStart() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'roster-bench-start-'));
  // Reachable by the user postgres, which runs the embedded server when this runs as root.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    ROSTER_DATA_DIR: dataDir,
    ROSTER_API_KEY: apiKey,
  };
  const { call, newEvent } = apiCaller(base, apiKey);
  const start = async () => {
    const t0 = performance.now();
    const roster = startNpmScript('roster', 'start', env);
    await waitForReady(base, 300_000);
    return { roster, seconds: round((performance.now() - t0) / 1000) };
  };
  const stop = async (roster: ReturnType<typeof startNpmScript>) => {
    const t0 = performance.now();
    const exited = new Promise<number | null>((resolve) => roster.child.once('exit', resolve));
    roster.child.kill('SIGINT');
    const code = await exited;
    return { code, seconds: round((performance.now() - t0) / 1000) };
  };
  const result: Record<string, unknown> = { openDatabase: await openDatabaseSeconds() };
  try {
    // 1. Fresh ROSTER_DATA_DIR: initdb, migrations, the dev server, the worker's bundle.
    const fresh = await start();
    await new Promise((r) => setTimeout(r, 5000));
    result.freshStartSeconds = fresh.seconds;
    result.idleAfterFreshStart = roundMemory(memoryNow(fresh.roster.child.pid as number));
    const listEvent = await newEvent('List bench');
    const checkEvent = await newEvent('Check bench');
    result.stop = await stop(fresh.roster);

    // 2. The list's attendees, then the restart with them.
    result.seedSeconds = round(await seedOffline(dataDir, listEvent, sizes.rows), 1);
    const second = await start();
    const pid = second.roster.child.pid as number;
    await new Promise((r) => setTimeout(r, 5000));
    result.restartSeconds = second.seconds;
    result.idleWithAttendees = roundMemory(memoryNow(pid));

    // 3. Check-your-file.
    const checks = [];
    for (const n of sizes.checkRows) {
      const text = csvFile(n, `c${n}-`);
      const peaks = memoryPeaks(pid);
      const cpu = cpuSince(pid);
      const t0 = performance.now();
      const res = await timedRequest(`${base}/v1/events/${checkEvent}/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
        body: text,
      });
      const body = JSON.parse(res.body.toString()) as { totals?: { valid: number } };
      const seconds = (performance.now() - t0) / 1000;
      checks.push({
        rows: n,
        status: res.status,
        valid: body.totals?.valid,
        seconds: round(seconds),
        rowsPerSecond: Math.round(n / seconds),
        cpuSeconds: cpu(),
        peak: peaks(),
      });
    }
    result.check = checks;

    // 4. The list, one request at a time (p50 / p99 of sizes.listSamples each).
    let cursor: string | null = null;
    const walk = Math.max(1, Math.min(100, sizes.rows / 500 - 1));
    for (let i = 0; i < walk; i++) {
      const page = await call(
        'GET',
        `/v1/events/${listEvent}/attendees?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      cursor = page.json.nextCursor as string | null;
    }
    if (!cursor) throw new Error('the list walk ended without a cursor');
    const cases: [string, string][] = [
      ['first page', ''],
      ['filter status+role', 'status=registered&role=speaker'],
      ['search q', 'q=grace%20rossi12'],
      ['sort name', 'sort=name'],
      [`deep cursor (${walk * 500} in)`, `cursor=${cursor}&limit=50`],
    ];
    const peaks = memoryPeaks(pid);
    const listCpu = cpuSince(pid);
    const list = [];
    for (const [name, query] of cases) {
      const run = await load(
        sizes.listSamples,
        1,
        async () =>
          (
            await timedRequest(`${base}/v1/events/${listEvent}/attendees?${query}`, {
              headers: { authorization: `Bearer ${apiKey}` },
            })
          ).status === 200,
      );
      list.push({ case: name, ...percentiles(run.durations), errors: run.errors });
    }
    result.list = list;
    result.listCpuSeconds = listCpu();
    const concurrentListCpu = cpuSince(pid);

    // 5. The list's first page, 50 clients at once.
    const concurrentList = await load(
      sizes.concurrent,
      sizes.clients,
      async () =>
        (
          await timedRequest(`${base}/v1/events/${listEvent}/attendees`, {
            headers: { authorization: `Bearer ${apiKey}` },
          })
        ).status === 200,
    );
    result.listConcurrent = {
      clients: sizes.clients,
      requests: sizes.concurrent,
      ...percentiles(concurrentList.durations),
      errors: concurrentList.errors,
      perSecond: Math.round(sizes.concurrent / concurrentList.seconds),
      cpuSeconds: concurrentListCpu(),
    };
    result.listPeak = peaks();

    // 6. Single invites (with the invitation email to the outbox), 50 clients at once.
    const inviteEvent = await newEvent('Invite bench');
    const invitePeaks = memoryPeaks(pid);
    const inviteCpu = cpuSince(pid);
    const invites = await load(sizes.concurrent, sizes.clients, async (i) => {
      const res = await timedRequest(`${base}/v1/events/${inviteEvent}/attendees`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `invitee${i}@example.org`, firstName: 'In', lastName: `Vitee${i}` }),
      });
      return res.status === 201;
    });
    result.invitesConcurrent = {
      clients: sizes.clients,
      invites: sizes.concurrent,
      ...percentiles(invites.durations),
      errors: invites.errors,
      perSecond: Math.round(sizes.concurrent / invites.seconds),
      cpuSeconds: inviteCpu(),
    };
    // Every invitation in the outbox: the worker's share of the same process and database.
    const t0 = performance.now();
    const outbox = path.join(dataDir, 'outbox');
    const sent = () => {
      try {
        return readdirSync(outbox).filter((f) => f.endsWith('.json')).length;
      } catch {
        return 0;
      }
    };
    while (sent() < sizes.concurrent && performance.now() - t0 < 600_000) {
      await new Promise((r) => setTimeout(r, 250));
    }
    result.invitationsInOutbox = {
      count: sent(),
      secondsAfterLastAnswer: round((performance.now() - t0) / 1000),
      // Invites and their workflows, emails included.
      cpuSecondsFromFirstInvite: inviteCpu(),
    };
    result.invitePeak = invitePeaks();
    result.peakOverRun = {
      rosterRssMb: second.roster.maxRssMb(),
    };
    result.stopAfterLoad = await stop(second.roster);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

const result = await measureStart();
console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
// Exits 1 when a request failed, an upload was refused, an invitation never reached the outbox or
// a stop did not exit 0 (never for speed): `--quick` in CI keeps the harness from rotting.
const text = JSON.stringify(result);
const failed =
  /"errors":[1-9]/.test(text) ||
  /"status":(?!201)\d+/.test(text) ||
  /"code":(?!0\b)/.test(text) ||
  (result.invitationsInOutbox as { count: number }).count < sizes.concurrent;
if (failed) console.error('bench:embedded: a figure is missing or a request failed');
process.exit(failed ? 1 : 0);
