import { randomUUID } from 'node:crypto';
import { DeadlockException } from '@mikro-orm/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Orm, openOrm } from '../../db/orm';
import { type AttendeeFilter, listAttendees } from '../../db/queries/attendees';

// `total` without `q` comes from attendee_counts, kept by triggers; the listed rows come from
// attendees itself. Whatever statements ran, concurrently or rolled back, the two must agree.

let orm: Orm;
let organizationId: string;

const run = (sql: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(sql, params);

beforeAll(async () => {
  orm = await openOrm({ kind: 'postgres', url: inject('databaseUrl') }, { pool: 6 });
  organizationId = randomUUID();
  await run('insert into organizations (id, slug, name, created_at) values (?, ?, ?, now())', [
    organizationId,
    `counts-${organizationId}`,
    'Counts',
  ]);
});
afterAll(() => orm.close());

async function newEvent() {
  const id = randomUUID();
  await run(
    `insert into events (id, organization_id, name, starts_at, ends_at, timezone, default_language, login_mode,
       closed, allow_outside_idp_groups, created_at, updated_at)
     values (?, ?, 'Counts', now(), now() + interval '1 day', 'UTC', 'en', 'magic_link', false, false, now(), now())`,
    [id, organizationId],
  );
  return id;
}

const POSITIONS = [
  ['invited', 'invited_by_team_member'],
  ['registered', 'confirmed_email'],
  ['attended', 'pre_event_visit'],
  ['blocked', 'blocked'],
] as const;
const LANGUAGES = ['en', 'de'] as const;
const ROLES = [
  ['attendee'],
  ['attendee', 'speaker'],
  ['attendee', 'moderator'],
  ['attendee', 'speaker', 'moderator'],
];

// Rows are picked by their place in id order, so an operation names them without knowing ids.
const picked = (offset: number, n: number) =>
  `id in (select id from attendees where event_id = ? order by id offset ${offset} limit ${n})`;

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    n: fc.integer({ min: 1, max: 40 }),
    position: fc.nat(3),
    language: fc.nat(1),
    roles: fc.nat(3),
    rollback: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom('position', 'language', 'roles', 'unrelated', 'remove', 'restore', 'delete'),
    offset: fc.nat(60),
    n: fc.integer({ min: 1, max: 8 }),
    value: fc.nat(3),
  }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

async function apply(eventId: string, op: Operation) {
  if (op.kind === 'insert') {
    const [status, detailed] = POSITIONS[op.position] ?? POSITIONS[0];
    const insert = (em: Orm['em']) =>
      em.getConnection().execute(
        `insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
           detailed_status, search_text, name_key, workflow_id, created_at, updated_at)
         select gen_random_uuid(), ?, e, e, 'A', 'B', ?, string_to_array(?, ','), ?, ?, e, 'a b', 'w', clock_timestamp(), now()
           from (select gen_random_uuid() || '@example.org' as e from generate_series(1, ?)) s`,
        [eventId, LANGUAGES[op.language], ROLES[op.roles]?.join(','), status, detailed, op.n],
        'all',
        em.getTransactionContext(),
      );
    if (!op.rollback) return insert(orm.em.fork());
    return orm.em
      .fork()
      .transactional(async (tx) => {
        await insert(tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
  }
  const where = picked(op.offset, op.n);
  const [status, detailed] = POSITIONS[op.value] ?? POSITIONS[0];
  const statements = {
    position: [`update attendees set status = ?, detailed_status = ? where ${where}`, [status, detailed]],
    language: [`update attendees set language = ? where ${where}`, [LANGUAGES[op.value % 2]]],
    roles: [
      `update attendees set roles = string_to_array(?, ',') where ${where}`,
      [ROLES[op.value]?.join(',')],
    ],
    unrelated: [`update attendees set chat_blocked = not chat_blocked where ${where}`, []],
    remove: [`update attendees set removed_at = now() where ${where}`, []],
    restore: [`update attendees set removed_at = null where ${where}`, []],
    delete: [`delete from attendees where ${where}`, []],
  } as const;
  const [sql, params] = statements[op.kind];
  // Two updates of overlapping rows can deadlock on the rows themselves; the loser rolls back whole.
  return run(sql, [...params, eventId]).catch((error: unknown) => {
    if (!(error instanceof DeadlockException)) throw error;
  });
}

/** Every combination of the filters over the values the operations use. */
const filters: AttendeeFilter[] = [undefined, ...POSITIONS].flatMap((position) =>
  [undefined, 'attendee', 'speaker', 'moderator'].flatMap((role) =>
    [undefined, ...LANGUAGES].flatMap((language) => [
      {
        ...(position ? { status: position[0] } : {}),
        ...(role ? { role } : {}),
        ...(language ? { language } : {}),
      } as AttendeeFilter,
      ...(position
        ? [{ detailedStatus: position[1], ...(language ? { language } : {}) } as AttendeeFilter]
        : []),
    ]),
  ),
);

async function totalsAndRows(eventId: string) {
  const out: { filter: AttendeeFilter; total: number; listed: number }[] = [];
  for (const filter of filters) {
    const page = await listAttendees(orm.em.fork(), organizationId, eventId, filter, 'createdAt', 1000, null);
    if (!page) throw new Error(`event ${eventId} not found`);
    expect(page.hasMore).toBe(false);
    out.push({ filter, total: page.total, listed: page.items.length });
  }
  return out;
}

describe('attendee_counts', () => {
  it('gives the same total as the rows listed, after any statements run on four connections at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(operation, { maxLength: 12 }), { minLength: 4, maxLength: 4 }),
        async (lanes) => {
          const [eventId, otherId] = [await newEvent(), await newEvent()];
          await apply(otherId, { kind: 'insert', n: 3, position: 1, language: 1, roles: 1, rollback: false });
          await Promise.all(
            lanes.map(async (ops) => {
              for (const op of ops) await apply(eventId, op);
            }),
          );
          expect((await totalsAndRows(eventId)).filter((t) => t.total !== t.listed)).toEqual([]);
          expect((await totalsAndRows(otherId))[0]).toEqual({ filter: {}, total: 3, listed: 3 });
        },
      ),
      { numRuns: 8 },
    );
  });

  it('goes with its event when the event is deleted', async () => {
    const eventId = await newEvent();
    await apply(eventId, { kind: 'insert', n: 5, position: 0, language: 0, roles: 0, rollback: false });
    await run('delete from events where id = ?', [eventId]);
    expect(await run('select * from attendee_counts where event_id = ?', [eventId])).toEqual([]);
  });
});
