/**
 * `npm run bench [-- --rows N --json --only list,invite]`: Roster's figures against baselines
 * measured in the same run, on the real Temporal dev server, PostgreSQL and a Postmark
 * stand-in with ~20 ms latency. Prints a table, and JSON with --json.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import protos from '@temporalio/proto';
import { parse } from 'csv-parse';
import pg from 'pg';
import { createPostmarkTransport } from '../activities/email-transport';
import { decodeCursor } from '../api/schemas';
import { newKeyEntry } from '../config/payload-codec';
import { cellsOf, inviteeInputOf, matchHeader } from '../domain/csv-import';
import { checkInvitee } from '../domain/import-invitee';
import { renderEmail } from '../emails/render';
import { freePort, load, percentiles, startNpmScript, startServers, waitForReady } from './support';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    json: { type: 'boolean', default: false },
    // Also: import-scale (the import at 10k, then at 100k: time and peak RSS side by side).
    only: { type: 'string', default: 'check,import,list,invite,scale' },
    'import-rows': { type: 'string', default: '10000' },
    // Node flags added to the worker processes' own (start:worker), for tuning: "--worker-node-args=--flag …".
    'worker-node-args': { type: 'string', default: '' },
  },
});
const rows = Number(values.rows);
const importRows = Number(values['import-rows']);
const only = new Set(values.only.split(','));
const results: Record<string, unknown>[] = [];
const report = (r: Record<string, unknown>) => {
  results.push(r);
  if (!values.json) console.log(JSON.stringify(r));
};

const servers = await startServers(20);
const apiKey = `bench_${randomUUID()}`;
const port = await freePort();
const env = {
  PORT: String(port),
  DATABASE_URL: servers.databaseUrl,
  TEMPORAL_ADDRESS: servers.temporalAddress,
  TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
  POSTMARK_SERVER_TOKEN: servers.postmark.serverToken,
  POSTMARK_API_URL: servers.postmark.url,
  ROSTER_API_KEY: apiKey,
  ROSTER_PAYLOAD_KEYS: newKeyEntry('bench'),
};
const workerNodeArgs = values['worker-node-args'].split(' ').filter(Boolean);
// As `npm run start:worker` / `start:api` run them, with their Node flags.
const worker = startNpmScript('worker', 'start:worker', env, workerNodeArgs);
const api = startNpmScript('api', 'start:api', env);
const base = `http://127.0.0.1:${port}`;
const db = new pg.Pool({ connectionString: servers.databaseUrl, max: 50 });
const temporalConnection = await Connection.connect({ address: servers.temporalAddress });

async function call(method: string, route: string, body?: unknown) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const newEvent = async (name: string) =>
  (
    await call('POST', '/v1/events', {
      name,
      startsAt: '2030-01-01T09:00:00Z',
      endsAt: '2030-01-02T17:00:00Z',
      timezone: 'UTC',
    })
  ).json.id as string;

/** A CSV of n people: 500 company domains, four languages, a speaker every 20 rows. */
const csvFile = (n: number, prefix: string) =>
  `email,first_name,last_name,company,title,language,role\n${Array.from(
    { length: n },
    (_, i) =>
      `${prefix}${i}@company${i % 500}.example.org,First${i},Last ${i},${i % 20 === 0 ? 'Acme,CTO' : ','},${['en', 'de', 'fr', ''][i % 4]},${i % 20 === 0 ? 'speaker' : ''}`,
  ).join('\n')}\n`;

/** The baseline of the check: csv-parse and the same row rules in a bare loop, nothing stored. */
async function bareCheck(text: string) {
  let columns: ReturnType<typeof matchHeader> | null = null;
  const seen = new Set<string>();
  let valid = 0;
  for await (const record of Readable.from([text]).pipe(parse({ bom: true, relax_column_count: true }))) {
    if (!columns) {
      columns = matchHeader(record as string[]);
      continue;
    }
    if (!columns.ok) break;
    const checked = checkInvitee(inviteeInputOf(cellsOf(record as string[], columns.columns)));
    if (checked.ok && !seen.has(checked.invitee.emailKey)) {
      seen.add(checked.invitee.emailKey);
      valid += 1;
    }
  }
  return valid;
}

/** Uploads, starts with email and waits for `completed`; answers the seconds of each phase. */
async function runImport(eventId: string, n: number, prefix: string, baseUrl = base) {
  const t0 = performance.now();
  const upload = await fetch(`${baseUrl}/v1/events/${eventId}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
    body: csvFile(n, prefix),
  });
  const report = (await upload.json()) as { id: string; totals: { valid: number } };
  const t1 = performance.now();
  const cpu = machineCpu();
  await fetch(`${baseUrl}/v1/events/${eventId}/imports/${report.id}/start`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sendEmail: true }),
  });
  let status = '';
  let progress: Record<string, number> = {};
  while (status !== 'completed' && status !== 'failed' && status !== 'cancelled') {
    await new Promise((r) => setTimeout(r, 250));
    const res = await fetch(`${baseUrl}/v1/events/${eventId}/imports/${report.id}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const body = (await res.json()) as { status: string; progress: Record<string, number> };
    status = body.status;
    progress = body.progress;
  }
  const t2 = performance.now();
  return {
    status,
    progress,
    checkSeconds: (t1 - t0) / 1000,
    importSeconds: (t2 - t1) / 1000,
    valid: report.totals.valid,
    cpuBusy: cpu.busy(),
  };
}

/** The share of all cores' time spent busy since the call (from /proc/stat; Linux only). */
function machineCpu() {
  const read = () => {
    try {
      const fields =
        readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
      const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
      return { idle, total: fields.reduce((a, b) => a + b, 0) };
    } catch {
      return { idle: 0, total: 0 };
    }
  };
  const start = read();
  return {
    busy() {
      const end = read();
      const total = end.total - start.total;
      return total > 0 ? Math.round((1 - (end.idle - start.idle) / total) * 100) / 100 : null;
    },
  };
}

/** The non-durable floor: parse, one batched INSERT, Postmark batch calls of 500, two in flight. */
async function floorImport(eventId: string, n: number) {
  const t0 = performance.now();
  const people: { email: string; first: string; last: string }[] = [];
  for await (const record of Readable.from([csvFile(n, 'floor-')]).pipe(
    parse({ from_line: 2, relax_column_count: true }),
  )) {
    const [email, first, last] = record as string[];
    people.push({ email: email as string, first: first as string, last: last as string });
  }
  await db.query(
    `insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
       detailed_status, search_text, name_key, workflow_id, created_at, updated_at)
     select gen_random_uuid(), $1, e, lower(e), f, l, 'en', array['attendee'], 'invited', 'invited_by_team_member',
       lower(f || ' ' || l || ' ' || e), lower(f || ' ' || l), 'floor', now(), now()
       from unnest($2::text[], $3::text[], $4::text[]) as t(e, f, l)`,
    [eventId, people.map((p) => p.email), people.map((p) => p.first), people.map((p) => p.last)],
  );
  const transport = createPostmarkTransport(servers.postmark.serverToken, servers.postmark.url);
  const pages: (typeof people)[] = [];
  for (let i = 0; i < people.length; i += 500) pages.push(people.slice(i, i + 500));
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      for (;;) {
        const page = pages[next++];
        if (!page) return;
        const messages = await Promise.all(
          page.map(async (p) => {
            const r = await renderEmail('invitation', {
              locale: 'en',
              firstName: p.first,
              eventName: 'Floor',
              startsAt: '2030-01-01T09:00:00Z',
              timezone: 'UTC',
              url: 'https://events.example.test/x?token=t',
            });
            return {
              from: 'f@x.org',
              to: p.email,
              subject: r.subject,
              html: r.html,
              text: r.text,
              tag: 'invitation',
              metadata: {},
            };
          }),
        );
        // Retried like an activity would be (an idle keep-alive socket can be closed under it).
        for (let attempt = 1; ; attempt++) {
          try {
            await transport.sendBatch(messages);
            break;
          } catch (error) {
            if (attempt >= 3) throw error;
          }
        }
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** Workflow tasks waiting on the task queue: the attendee workflows' first tasks (Temporal's approximate count). */
async function workflowTaskBacklog() {
  const res = await temporalConnection.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
    taskQueueType: protos.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(res.stats?.approximateBacklogCount ?? 0);
}

/**
 * Waits until the import's attendee workflows have all run their first workflow task: the task
 * queue's backlog is empty, and none of 200 of them picked at random still has a pending task.
 * Answers the backlog when it was called and the seconds it took.
 */
async function waitForFirstTasks(eventId: string) {
  const t0 = performance.now();
  const backlogAtStart = await workflowTaskBacklog();
  let backlog = backlogAtStart;
  while (backlog > 0) {
    await new Promise((r) => setTimeout(r, 250));
    backlog = await workflowTaskBacklog();
  }
  const sample = await db.query<{ workflow_id: string }>(
    'select workflow_id from attendees where event_id = $1 order by random() limit 200',
    [eventId],
  );
  let pending = sample.rows.map((r) => r.workflow_id);
  while (pending.length > 0) {
    const described = await Promise.all(
      pending.map(async (workflowId) => {
        const res = await temporalConnection.workflowService.describeWorkflowExecution({
          namespace: 'default',
          execution: { workflowId },
        });
        return res.pendingWorkflowTask ? workflowId : null;
      }),
    );
    pending = described.filter((id): id is string => id !== null);
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 250));
  }
  return { backlogAtStart, seconds: (performance.now() - t0) / 1000 };
}

/** A 10k / 100k import with its first workflow tasks and the peak RSS of each process meanwhile. */
async function measuredImport(n: number, prefix: string) {
  worker.resetPeakRss();
  api.resetPeakRss();
  const workerBeforeMb = worker.rssMb();
  const eventId = await newEvent(`Import ${prefix}${n}`);
  const run = await runImport(eventId, n, prefix);
  const firstTasks = await waitForFirstTasks(eventId);
  const [{ count }] = (
    await db.query<{ count: string }>('select count(*) from attendees where event_id = $1', [eventId])
  ).rows as [{ count: string }];
  return {
    ...run,
    attendees: Number(count),
    workerBeforeMb,
    firstTasks,
    workerPeakRssMb: worker.peakRssMb(),
    apiPeakRssMb: api.peakRssMb(),
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Waits until a worker polls the task queue: it has loaded its workflow code. */
async function waitForWorker() {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await temporalConnection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
      taskQueueType: protos.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (res.pollers.length > 0) return;
    if (Date.now() > deadline) throw new Error('no worker polls the task queue');
    await new Promise((r) => setTimeout(r, 250));
  }
}

try {
  await waitForReady(base);
  await waitForWorker();
  const workerReadyAfterSeconds = worker.rssSamples().at(-1)?.t ?? 0;

  if (only.has('check')) {
    const eventId = await newEvent('Check bench');
    for (const n of [10_000, rows]) {
      const text = csvFile(n, `c${n}-`);
      const b0 = performance.now();
      await bareCheck(text);
      const baseline = (performance.now() - b0) / 1000;
      const t0 = performance.now();
      const res = await fetch(`${base}/v1/events/${eventId}/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
        body: text,
      });
      await res.arrayBuffer();
      const seconds = (performance.now() - t0) / 1000;
      report({
        bench: 'check-your-file',
        rows: n,
        status: res.status,
        seconds: Math.round(seconds * 100) / 100,
        rowsPerSecond: Math.round(n / seconds),
        baselineSeconds: Math.round(baseline * 100) / 100,
        ratio: Math.round((seconds / baseline) * 100) / 100,
        apiPeakRssMb: api.peakRssMb(),
        goal: '≤ 1.5× baseline and ≥ 50k rows/s',
        met: seconds / baseline <= 1.5 && n / seconds >= 50_000,
      });
    }
  }

  if (only.has('import')) {
    // What the worker took to start (bundling included, if any), before any import.
    const workerStartPeakMb = worker.peakRssMb();
    const roster = await measuredImport(importRows, 'imp-');
    const floorEvent = await newEvent('Import floor');
    const floor = await floorImport(floorEvent, importRows);
    report({
      bench: `bulk invite with email`,
      rows: importRows,
      status: roster.status,
      progress: roster.progress,
      seconds: round1(roster.importSeconds),
      attendeesPerSecond: Math.round(importRows / roster.importSeconds),
      firstTasksPendingAtCompleted: roster.firstTasks.backlogAtStart,
      firstTasksDoneAfterCompletedSeconds: round1(roster.firstTasks.seconds),
      floorSeconds: round1(floor),
      ratio: round1(roster.importSeconds / floor),
      apiPeakRssMb: roster.apiPeakRssMb,
      workerStartPeakRssMb: workerStartPeakMb,
      workerReadyAfterSeconds,
      workerBeforeImportRssMb: roster.workerBeforeMb,
      workerImportPeakRssMb: roster.workerPeakRssMb,
      cpuBusy: roster.cpuBusy,
      goal: '≤ 2× the floor',
      met: roster.importSeconds / floor <= 2,
    });
  }

  if (only.has('import-scale')) {
    // "Flat from 10k to 100k": the same import at both sizes, each process's peak RSS per run.
    const runs = [];
    for (const n of [10_000, 100_000]) {
      const r = await measuredImport(n, `s${n}-`);
      runs.push({
        rows: n,
        status: r.status,
        attendees: r.attendees,
        seconds: round1(r.importSeconds),
        attendeesPerSecond: Math.round(n / r.importSeconds),
        firstTasksPendingAtCompleted: r.firstTasks.backlogAtStart,
        firstTasksDoneAfterCompletedSeconds: round1(r.firstTasks.seconds),
        apiPeakRssMb: r.apiPeakRssMb,
        workerPeakRssMb: r.workerPeakRssMb,
        cpuBusy: r.cpuBusy,
      });
    }
    const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
    report({
      bench: 'import scale 10k → 100k',
      runs,
      workerPeakRatio: Math.round((large.workerPeakRssMb / small.workerPeakRssMb) * 100) / 100,
      apiPeakRatio: Math.round((large.apiPeakRssMb / small.apiPeakRssMb) * 100) / 100,
      goal: 'completes; every process < 512 MB; flat (≤ 1.2×) from 10k to 100k',
      met:
        large.status === 'completed' &&
        large.attendees === 100_000 &&
        Math.max(large.workerPeakRssMb, large.apiPeakRssMb, small.workerPeakRssMb, small.apiPeakRssMb) <
          512 &&
        large.workerPeakRssMb / small.workerPeakRssMb <= 1.2 &&
        large.apiPeakRssMb / small.apiPeakRssMb <= 1.2,
    });
  }

  if (only.has('list')) {
    const eventId = await newEvent('List bench');
    const t0 = performance.now();
    // Read-model rows written directly: this measures reads, not the invite path.
    await db.query(
      `insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
         detailed_status, chat_blocked, chat_terms_agreed, awaiting_confirmation, email_undeliverable,
         search_text, name_key, workflow_id, created_at, updated_at)
       select gen_random_uuid(), $1, e, e, f, l, (array['en','de','fr','es','ja'])[1 + i % 5],
         case when i % 20 = 0 then array['attendee','speaker'] else array['attendee'] end,
         (array['invited','registered','attended'])[1 + i % 3],
         (array['invited_by_team_member','registered_no_confirmation_required','pre_event_visit'])[1 + i % 3],
         false, false, false, false, lower(f || ' ' || l || ' ' || e), lower(f || ' ' || l), 'bench/' || i,
         now() - make_interval(secs => i), now()
       from (select i, 'person' || i || '@example.org' as e,
               (array['Anna','Ben','Chloe','David','Emma','Felix','Grace','Hugo','Ines','Jonas'])[1 + i % 10] as f,
               (array['Smith','Muller','Garcia','Rossi','Tanaka','Novak','Silva','Kim','Dubois','Berg'])[1 + (i / 10) % 10] || i as l
             from generate_series(1, $2::int) as i) s`,
      [eventId, rows],
    );
    // Steady state, as autovacuum leaves it: the visibility map lets counts use index-only scans.
    await db.query('vacuum analyze attendees');
    report({ bench: 'seed', rows, seconds: Math.round(performance.now() - t0) / 1000 });

    // Cursor deep in the list: walk 100 pages of 500.
    let cursor: string | null = null;
    for (let i = 0; i < Math.min(100, rows / 500 - 1); i++) {
      const page = await call(
        'GET',
        `/v1/events/${eventId}/attendees?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      cursor = page.json.nextCursor as string | null;
    }
    const after = decodeCursor(
      cursor ?? '',
      JSON.parse(Buffer.from(cursor ?? '', 'base64url').toString())[0],
    );
    if (!after) throw new Error('the list walk ended without a cursor');
    const cases: [string, string, string][] = [
      [
        'first page',
        '',
        'select * from attendees where event_id = $1 and removed_at is null order by created_at desc, id desc limit 51',
      ],
      [
        'filter status+role',
        'status=registered&role=speaker',
        "select * from attendees where event_id = $1 and removed_at is null and status = 'registered' and roles @> array['speaker'] order by created_at desc, id desc limit 51",
      ],
      [
        'search q',
        'q=grace%20rossi12',
        "select * from attendees where event_id = $1 and removed_at is null and search_text like '%grace rossi12%' order by created_at desc, id desc limit 51",
      ],
      [
        'sort name',
        'sort=name',
        'select * from attendees where event_id = $1 and removed_at is null order by name_key, id limit 51',
      ],
      [
        'deep cursor (50,000 in)',
        `cursor=${cursor}&limit=50`,
        // The keyset query the API runs for that cursor (OFFSET would be a strawman).
        `select * from attendees where event_id = $1 and removed_at is null
           and (created_at, id) < ('${after.value}'::timestamptz, '${after.id}'::uuid)
         order by created_at desc, id desc limit 51`,
      ],
    ];
    for (const [name, query, baselineSql] of cases) {
      const api = await load(
        200,
        1,
        async () =>
          (
            await fetch(`${base}/v1/events/${eventId}/attendees?${query}`, {
              headers: { authorization: `Bearer ${apiKey}` },
            })
          ).ok,
      );
      const floor = await load(
        200,
        1,
        async () => ((await db.query(baselineSql, [eventId])).rowCount ?? 0) >= 0,
      );
      const a = percentiles(api.durations);
      const b = percentiles(floor.durations);
      report({
        bench: 'list',
        case: name,
        rows,
        api: a,
        baselineSql: b,
        errors: api.errors,
        goalP99Ms: 25,
        met: a.p99 <= 25,
      });
    }
  }

  if (only.has('invite')) {
    const eventId = await newEvent('Invite bench');
    const total = 1000;
    const invites = await load(total, 50, async (i) => {
      const res = await fetch(`${base}/v1/events/${eventId}/attendees`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `invitee${i}@example.org`, firstName: 'In', lastName: `Vitee${i}` }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    });
    const health = await load(total, 50, async () => (await fetch(`${base}/health`)).ok);
    const floorEvent = await newEvent('Invite floor');
    const inserts = await load(total, 50, async (i) => {
      await db.query(
        `insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
           detailed_status, search_text, name_key, workflow_id, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $2, 'In', 'Vitee', 'en', array['attendee'], 'invited',
           'invited_by_team_member', $2, 'in vitee', 'floor', now(), now())`,
        [floorEvent, `floor${i}@example.org`],
      );
      return true;
    });
    const roster = percentiles(invites.durations);
    report({
      bench: 'single invite, 50 concurrent clients',
      total,
      roster: { ...roster, errors: invites.errors, perSecond: Math.round(total / invites.seconds) },
      httpFloor: percentiles(health.durations),
      sqlInsertFloor: percentiles(inserts.durations),
      goalP99Ms: 150,
      met: roster.p99 <= 150 && invites.errors === 0,
    });
  }

  if (only.has('scale')) {
    // The same import, first with the one worker, then with a second worker process on the task
    // queue; each runs on a drained queue and is timed until its attendees' first tasks are done too.
    const scaleRun = async (name: string, prefix: string) => {
      await waitForFirstTasks(await newEvent('Drain'));
      const eventId = await newEvent(name);
      const cpu = machineCpu();
      const run = await runImport(eventId, importRows, prefix);
      const firstTasks = await waitForFirstTasks(eventId);
      return { ...run, allDoneSeconds: run.importSeconds + firstTasks.seconds, cpuBusyAll: cpu.busy() };
    };
    const one = await scaleRun('Scale, one worker', 'one-');
    const second = startNpmScript('worker-2', 'start:worker', env, workerNodeArgs);
    await new Promise((r) => setTimeout(r, 10_000));
    const two = await scaleRun('Scale, two workers', 'two-');
    await second.stop();
    report({
      bench: 'scale-out',
      rows: importRows,
      oneWorkerSeconds: round1(one.importSeconds),
      twoWorkersSeconds: round1(two.importSeconds),
      speedup: Math.round((one.importSeconds / two.importSeconds) * 100) / 100,
      // Import plus the attendees' first workflow tasks: all the work the import causes.
      oneWorkerAllDoneSeconds: round1(one.allDoneSeconds),
      twoWorkersAllDoneSeconds: round1(two.allDoneSeconds),
      allDoneSpeedup: Math.round((one.allDoneSeconds / two.allDoneSeconds) * 100) / 100,
      // Both cores' busy share: near 1 with one worker leaves a second worker nothing to use.
      cpuBusyOneWorker: one.cpuBusyAll,
      cpuBusyTwoWorkers: two.cpuBusyAll,
      goal: '≥ 1.6×',
      met: one.importSeconds / two.importSeconds >= 1.6,
    });
  }

  report({
    bench: 'rss',
    apiPeakMb: api.maxRssMb(),
    workerPeakMb: worker.maxRssMb(),
    // The worker's RSS over the run, one sample every ~5 s: [seconds since its start, MB].
    workerTimeline: worker
      .rssSamples()
      .filter((_, i) => i % 10 === 0)
      .map((x) => [x.t, x.mb]),
  });
} finally {
  await db.end();
  await temporalConnection.close();
  await api.stop();
  await worker.stop();
  await servers.stop();
}

if (values.json) console.log(JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
else
  console.table(
    results.map((r) => ({ bench: r.bench, case: r.case ?? '', summary: JSON.stringify(r).slice(0, 160) })),
  );
