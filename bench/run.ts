/**
 * `npm run bench [-- --rows N --json --only list,invite]`: Roster's figures against baselines
 * measured in the same run, on the real Temporal dev server, PostgreSQL and a Postmark
 * stand-in with ~20 ms latency. Prints a table, and JSON with --json.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, load, percentiles, startProcess, startServers, waitForReady } from './support';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    json: { type: 'boolean', default: false },
    only: { type: 'string', default: 'list,invite' },
  },
});
const rows = Number(values.rows);
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
};
const worker = startProcess('worker', 'worker/main.ts', env);
const api = startProcess('api', 'api/main.ts', env);
const base = `http://127.0.0.1:${port}`;
const db = new pg.Pool({ connectionString: servers.databaseUrl, max: 50 });

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

try {
  await waitForReady(base);

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
        'select * from attendees where event_id = $1 and removed_at is null order by created_at desc, id desc limit 51 offset 50000',
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

  report({ bench: 'rss', apiPeakMb: api.peakRssMb(), workerPeakMb: worker.peakRssMb() });
} finally {
  await db.end();
  await api.stop();
  await worker.stop();
  await servers.stop();
}

if (values.json) console.log(JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
else
  console.table(
    results.map((r) => ({ bench: r.bench, case: r.case ?? '', summary: JSON.stringify(r).slice(0, 160) })),
  );
