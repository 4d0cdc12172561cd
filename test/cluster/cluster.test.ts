/**
 * Roster on a real Temporal cluster: the Temporal server with PostgreSQL persistence and four
 * history shards (deploy/temporal, as deploy/compose.yaml runs it), the API twice and the worker
 * twice as separate processes, one fresh Roster database. A smoke suite over HTTP, alternating
 * between the two APIs, with a worker SIGKILLed in the middle of a bulk invite.
 *
 * Runs when `npm run setup` has installed the server; without it the suite is skipped, saying so,
 * except under CI, where a missing server fails it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalServer, SERVER_VERSION } from '../../scripts/temporal-server';
import { prebuiltWorkflowBundle } from '../../worker/workflow-bundle';
import { accessSweepScheduleId } from '../../workflows/access/definitions';
import { ATTENDEE_WORKFLOW_TYPE } from '../../workflows/attendee/definitions';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';
import { type OidcProvider, ssoLogin, startOidcProvider } from '../support/oidc-provider';
import { testPostgres } from '../support/postgres';
import { type PostmarkFake, startPostmarkFake } from '../support/postmark-fake';
import {
  callApi,
  freePort,
  runEntry,
  sharedServersEnv,
  stopProcess,
  waitForHttp,
} from '../support/processes';
import { newGroup, oktaUser } from '../support/scim';
import { eventually, sampleEvent } from '../support/stack';
import { createDatabase, dropDatabase, startTemporalCluster, type TemporalCluster } from './temporal-cluster';

/** The PostgreSQL server the tests create their databases on, chosen as in test/integration. */
let adminUrl: string;
const SHARDS = 4;
/** The Temporal CLI's names of the search attribute types. */
const CLI_TYPES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};
const ROWS = 3_000;

const tools = findTemporalServer();
const ci = !!process.env.CI;
if (!tools && !ci) {
  console.warn(
    `test/cluster skipped: the Temporal server ${SERVER_VERSION} is not installed (run \`npm run setup\`, which builds it with Go).`,
  );
}

type Entry = ReturnType<typeof runEntry>;
const cleanups: (() => Promise<unknown>)[] = [];
let cluster: TemporalCluster;
let postmark: PostmarkFake;
let op: OidcProvider;
let databaseUrl: string;
let key: string;
let apis: { base: string; entry: Entry }[] = [];
let workers: Entry[] = [];
let temporal: Client;
let taskQueue: string;

/** Alternates between the two API processes, call by call. */
let turn = 0;
const api = () => {
  const target = apis[turn++ % apis.length];
  if (!target) throw new Error('no API process');
  return target.base;
};
const call = (method: string, route: string, body?: string | object, type?: string) =>
  callApi(api(), key, method, route, body, type);

const alive = (entry: Entry) => entry.child.exitCode === null && entry.child.signalCode === null;

describe.skipIf(!tools && !ci)(`Roster on a Temporal ${SERVER_VERSION} cluster with PostgreSQL`, () => {
  beforeAll(async () => {
    if (!tools) {
      throw new Error(
        `CI is set and the Temporal server ${SERVER_VERSION} is not installed: \`npm run setup\` must build it (it needs Go).`,
      );
    }
    // 5432 when it answers, else an embedded PostgreSQL of the suite's own (stopped last).
    const server = await testPostgres();
    adminUrl = server.adminUrl;
    cleanups.push(() => server.stop());
    const id = randomUUID().replaceAll('-', '').slice(0, 10);
    const roster = `roster_cluster_${id}`;
    // Each cleanup is registered as soon as its part exists, so a failed start leaves nothing.
    const parts = await Promise.allSettled([
      startTemporalCluster(tools, {
        adminUrl,
        shards: SHARDS,
        prefix: 'roster_cluster',
        // Roster's, registered by the cluster's set-up before any Roster process starts.
        searchAttributes: SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name}=${CLI_TYPES[key.type]}`),
      }).then((started) => {
        cluster = started;
        cleanups.push(() => started.stop());
      }),
      createDatabase(adminUrl, roster).then((url) => {
        databaseUrl = url;
        cleanups.push(() => dropDatabase(adminUrl, roster));
      }),
      startPostmarkFake({ latencyMs: 20 }).then((started) => {
        postmark = started;
        cleanups.push(() => started.close());
      }),
      // The workers find it cached rather than each bundling the workflows at once.
      prebuiltWorkflowBundle(),
    ]);
    for (const part of parts) if (part.status === 'rejected') throw part.reason;

    const shared = await sharedServersEnv(
      postmark,
      'cluster',
      { databaseUrl, temporalAddress: cluster.address },
      { bootstrapKey: true },
    );
    key = shared.key;
    taskQueue = shared.env.TEMPORAL_TASK_QUEUE;
    const env = { ...shared.env, TEMPORAL_NAMESPACE: 'default', SSO_ALLOW_INSECURE_ISSUERS: 'true' };
    // Four processes on an empty database at once: the migrations run once, under their lock.
    workers = [runEntry('worker/main.ts', env), runEntry('worker/main.ts', env)];
    const ports = [shared.env.PORT, String(await freePort())];
    apis = ports.map((port) => ({
      base: `http://127.0.0.1:${port}`,
      entry: runEntry('api/main.ts', { ...env, PORT: port }),
    }));
    for (const w of workers) cleanups.push(async () => (alive(w) ? stopProcess(w.child, 'SIGTERM') : null));
    for (const a of apis) cleanups.push(async () => (alive(a.entry) ? stopProcess(a.entry.child) : null));
    await Promise.all(apis.map((a) => waitForHttp(`${a.base}/ready`, a.entry.child, a.entry.output)));

    const connection = await Connection.connect({ address: cluster.address });
    cleanups.push(() => connection.close());
    temporal = new Client({ connection, namespace: 'default' });

    op = await startOidcProvider({ redirectPrefix: `${apis[0]?.base}/v1/sso` });
    cleanups.push(() => op.close());
  }, 180_000);

  afterAll(async () => {
    // What every process printed, for a failed run: test-artifacts/cluster/.
    const dir = path.join(import.meta.dirname, '../../test-artifacts/cluster');
    mkdirSync(dir, { recursive: true });
    for (const [i, w] of workers.entries()) writeFileSync(path.join(dir, `worker-${i + 1}.log`), w.output());
    for (const [i, a] of apis.entries()) writeFileSync(path.join(dir, `api-${i + 1}.log`), a.entry.output());
    if (cluster) writeFileSync(path.join(dir, 'temporal-server.log'), cluster.log());
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
  }, 60_000);

  it('is the real server on PostgreSQL with more than one history shard, serving both APIs', async () => {
    const info = await temporal.workflowService.getClusterInfo({});
    expect(info).toMatchObject({
      serverVersion: SERVER_VERSION.slice(1),
      persistenceStore: 'postgres12',
      visibilityStore: 'postgres12',
      historyShardCount: SHARDS,
    });
    for (const a of apis) expect((await fetch(`${a.base}/ready`)).status).toBe(200);
  });

  let eventId: string;
  let attendeeId: string;

  it('creates an event on one API, invites through the other, and the invitation reaches Postmark', async () => {
    const event = await call('POST', '/v1/events', sampleEvent({ name: 'Cluster' }));
    expect(event.status).toBe(201);
    eventId = event.json.id;
    const invited = await call('POST', `/v1/events/${eventId}/attendees`, {
      email: 'ada@example.org',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(invited.status).toBe(201);
    attendeeId = invited.json.id;
    const message = await eventually(() => postmark.messages.find((m) => m.To === 'ada@example.org'), 30_000);
    expect(message.Metadata).toMatchObject({ attendeeId, eventId, kind: 'invitation' });
    const read = await call('GET', `/v1/events/${eventId}/attendees/${attendeeId}`);
    expect(read.json.status).toBe('invited');
  });

  it('blocks and unblocks the attendee', async () => {
    const blocked = await call('POST', `/v1/events/${eventId}/attendees/${attendeeId}/actions/block`);
    expect(blocked.status).toBe(200);
    expect(blocked.json).toMatchObject({ status: 'blocked', actions: ['edit', 'view_analytics', 'unblock'] });
    expect((await call('GET', `/v1/events/${eventId}/attendees/${attendeeId}`)).json.status).toBe('blocked');
    const unblocked = await call('POST', `/v1/events/${eventId}/attendees/${attendeeId}/actions/unblock`);
    expect(unblocked.status).toBe(200);
    const read = await call('GET', `/v1/events/${eventId}/attendees/${attendeeId}`);
    expect(read.json.status).toBe('invited');
    expect(read.json.history.map((h: { status: string }) => h.status)).toEqual([
      'invited',
      'blocked',
      'invited',
    ]);
  });

  it('runs a reminder now and it reaches Postmark', async () => {
    const rule = await call('POST', `/v1/events/${eventId}/reminders`, {
      audience: 'invited_not_registered',
      offsetMinutes: 60,
    });
    expect(rule.status).toBe(201);
    const run = await call('POST', `/v1/events/${eventId}/reminders/run`, { ruleId: rule.json.id });
    expect(run.status).toBe(202);
    expect(run.json.recipients).toBe(1);
    const reminder = await eventually(
      () => postmark.messages.find((m) => m.To === 'ada@example.org' && m.Metadata?.kind === 'reminder'),
      30_000,
    );
    expect(reminder.Metadata).toMatchObject({
      attendeeId,
      eventId,
      ruleId: rule.json.id,
      runId: run.json.runId,
    });
    const after = await eventually(async () => {
      const res = await call('GET', `/v1/events/${eventId}/reminders/${rule.json.id}`);
      return res.json.runs[0]?.finishedAt ? res.json.runs[0] : undefined;
    }, 30_000);
    expect(after).toMatchObject({ trigger: 'manual', recipients: 1, sent: 1, failed: 0 });
  });

  it('changes access on a closed SSO event: a SCIM group granted, then withdrawn, ends its member’s session', async () => {
    const scimToken = (await call('POST', '/v1/scim-tokens', { label: 'IdP' })).json.token as string;
    const scim = (method: string, route: string, body?: object) =>
      callApi(api(), scimToken, method, `/scim/v2${route}`, body, 'application/scim+json');
    const sso = await call('PUT', '/v1/sso-settings', {
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
    });
    expect(sso.status).toBe(200);
    const closed = (await call('POST', '/v1/events', sampleEvent({ loginMode: 'sso', closed: true }))).json
      .id as string;
    const address = `member-${randomUUID().slice(0, 8)}@example.org`;
    const member = await scim('POST', '/Users', oktaUser(address));
    expect(member.status).toBe(201);
    const group = await scim('POST', '/Groups', newGroup('Cluster guests', [member.json.id]));
    expect(group.status).toBe(201);

    const granted = await call('PUT', `/v1/events/${closed}/access/groups/${group.json.id}`);
    expect(granted.json).toMatchObject({ granted: true, memberCount: 1 });
    // The first grant set up the task queue's access sweep: a Temporal schedule on the cluster.
    const sweep = await temporal.schedule.getHandle(accessSweepScheduleId(taskQueue)).describe();
    expect(sweep.action).toMatchObject({ type: 'startWorkflow', workflowType: 'accessSweepWorkflow' });
    expect(
      (await call('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: false })).status,
    ).toBe(200);
    const outsider = await call('POST', `/v1/events/${closed}/attendees`, {
      email: 'outsider@example.org',
      firstName: 'Out',
      lastName: 'Sider',
      sendEmail: false,
    });
    expect(outsider.json.code).toBe('outside_idp_groups');

    op.accounts.set('member', { email: address, email_verified: true });
    const login = await ssoLogin(apis[0]?.base as string, closed, 'member');
    expect(login.status, JSON.stringify(login.json)).toBe(200);
    const session = login.json.session as string;
    const me = () => callApi(api(), session, 'GET', '/v1/public/me');
    expect((await me()).status).toBe(200);

    // Withdrawn: the access reconciliation workflow ends the member's session.
    const withdrawn = await call('DELETE', `/v1/events/${closed}/access/groups/${group.json.id}`);
    expect(withdrawn.json.granted).toBe(false);
    await eventually(async () => ((await me()).status === 200 ? undefined : true), 30_000);
  });

  it(`bulk invites ${ROWS.toLocaleString('en')} rows exactly once while a worker is SIGKILLed mid-import`, async () => {
    const bulkEvent = (await call('POST', '/v1/events', sampleEvent({ name: 'Cluster bulk' }))).json.id;
    const file = `email,first_name,last_name\n${Array.from({ length: ROWS }, (_, i) => `bulk${i}@example.org,B,${i}`).join('\n')}\n`;
    const report = await call('POST', `/v1/events/${bulkEvent}/imports`, file, 'text/csv');
    expect(report.status).toBe(201);
    expect(report.json.totals.valid).toBe(ROWS);
    const importPath = `/v1/events/${bulkEvent}/imports/${report.json.id}`;
    const before = postmark.messages.length;
    expect((await call('POST', `${importPath}/start`, { pageSize: 100 })).status).toBe(202);

    // Killed once the import is visibly under way: some invitations out, most still to go.
    await eventually(() => (postmark.messages.length - before >= ROWS / 10 ? true : undefined), 120_000);
    const [victim] = workers;
    if (!victim) throw new Error('no worker');
    await stopProcess(victim.child, 'SIGKILL');
    const atKill = postmark.messages.length - before;
    const progressAtKill = (await call('GET', importPath)).json;
    expect(progressAtKill.status).toBe('running');
    expect(atKill).toBeLessThan(ROWS);

    const done = await eventually(async () => {
      const res = await call('GET', importPath);
      return res.json.status === 'running' ? undefined : res.json;
    }, 150_000);
    expect(done.status).toBe('completed');
    expect(done.progress).toEqual({ processed: ROWS, invited: ROWS, emailed: ROWS, failed: 0, skipped: 0 });
    expect(alive(workers[1] as Entry)).toBe(true);

    // Every row invited once: one attendee, one history row, one sent ledger row each.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `select count(*)::int as attendees, count(distinct a.email_key)::int as keys,
                (select count(*)::int from attendee_history h join attendees x on x.id = h.attendee_id
                  where x.event_id = $1) as history,
                (select count(*)::int from email_messages m where m.event_id = $1 and m.status = 'sent') as sent
           from attendees a where a.event_id = $1`,
        [bulkEvent],
      );
      expect(rows[0]).toEqual({ attendees: ROWS, keys: ROWS, history: ROWS, sent: ROWS });
    } finally {
      await db.end();
    }
    const listed = await call('GET', `/v1/events/${bulkEvent}/attendees?limit=1`);
    expect(listed.json.total).toBe(ROWS);

    // Every invitation sent once, not even those in flight at the kill twice.
    const perAddress = new Map<string, number>();
    for (const m of postmark.messages.slice(before)) {
      if (m.Metadata?.eventId === bulkEvent) perAddress.set(m.To, (perAddress.get(m.To) ?? 0) + 1);
    }
    expect(perAddress.size).toBe(ROWS);
    expect([...perAddress].filter(([, n]) => n > 1)).toEqual([]);

    // And one running lifecycle workflow each, as the cluster's SQL visibility counts them.
    const query = `WorkflowType = '${ATTENDEE_WORKFLOW_TYPE}' AND TaskQueue = '${taskQueue}' AND WorkflowId STARTS_WITH 'attendee/${bulkEvent}/' AND ExecutionStatus = 'Running'`;
    await eventually(
      async () => ((await temporal.workflow.count(query)).count === ROWS ? true : undefined),
      30_000,
    );
  }, 240_000);
});
