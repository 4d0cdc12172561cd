import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Orm, openOrm } from '../../db/orm';
import { checkpointProgress } from '../../db/queries/imports';

// A page's checkpoint recounts only its rows and sums the pages; once every page is checkpointed
// after its last change, the import's progress must equal a recount of every row.

let orm: Orm;
let eventId: string;

const run = (sql: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(sql, params);
const PROGRESS = 'select processed, invited, emailed, failed, skipped from imports where id = ?';

beforeAll(async () => {
  orm = await openOrm({ kind: 'postgres', url: inject('databaseUrl') }, { pool: 4 });
  const organizationId = randomUUID();
  eventId = randomUUID();
  await run('insert into organizations (id, slug, name, created_at) values (?, ?, ?, now())', [
    organizationId,
    `progress-${organizationId}`,
    'Progress',
  ]);
  await run(
    `insert into events (id, organization_id, name, starts_at, ends_at, timezone, default_language, login_mode,
       closed, allow_outside_idp_groups, created_at, updated_at)
     values (?, ?, 'Progress', now(), now() + interval '1 day', 'UTC', 'en', 'magic_link', false, false, now(), now())`,
    [eventId, organizationId],
  );
});
afterAll(() => orm.close());

const OUTCOMES = [null, 'invited', 'already_invited', 'outside_idp_groups'] as const;
const EMAIL = [null, 'sent', 'failed', 'delegated'] as const;
const row = fc.record({
  valid: fc.boolean(),
  outcome: fc.nat(3),
  email: fc.nat(3),
  processed: fc.boolean(),
});
type Row = { valid: boolean; outcome: number; email: number; processed: boolean };

async function newImport(rows: Row[]) {
  const id = randomUUID();
  await run(
    `insert into imports (id, event_id, status, created_by, created_at) values (?, ?, 'running', 'test', now())`,
    [id, eventId],
  );
  let seq = 0;
  for (const [i, r] of rows.entries()) {
    await run(
      `insert into import_rows (import_id, row_number, seq, outcome, email_status, processed_at, workflow_started)
       values (?, ?, ?, ?, ?, ?, false)`,
      [
        id,
        i + 2,
        r.valid ? ++seq : null,
        OUTCOMES[r.outcome],
        EMAIL[r.email],
        r.processed ? new Date() : null,
      ],
    );
  }
  return { id, validRows: seq };
}

async function progress(importId: string) {
  const [p] = await run(PROGRESS, [importId]);
  return p;
}

describe('an import’s progress by pages', () => {
  it('sums to a recount of every row, whatever order and however often the pages are checkpointed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (rows, pageSize, extra) => {
          const { id, validRows } = await newImport(rows);
          const pages = Math.max(1, Math.ceil(validRows / pageSize));
          const page = (n: number) => ({
            firstSeq: (n % pages) * pageSize + 1,
            lastSeq: Math.min(((n % pages) + 1) * pageSize, Math.max(validRows, 1)),
          });
          // Some pages early (and again), then every page once after its rows' last change.
          for (const n of extra) await checkpointProgress(orm.em.fork(), id, page(n));
          for (let n = pages - 1; n >= 0; n--) await checkpointProgress(orm.em.fork(), id, page(n));
          const byPages = await progress(id);
          await checkpointProgress(orm.em.fork(), id);
          expect(byPages).toEqual(await progress(id));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never goes down, and the end’s recount of every row sets it exactly', async () => {
    const { id } = await newImport(
      Array.from({ length: 6 }, () => ({ valid: true, outcome: 1, email: 1, processed: true })),
    );
    // Pages checkpointed before an upgrade (a whole-import recount) have no page row yet.
    await checkpointProgress(orm.em.fork(), id);
    expect(await progress(id)).toMatchObject({ processed: 6, invited: 6, emailed: 6 });
    await checkpointProgress(orm.em.fork(), id, { firstSeq: 4, lastSeq: 6 });
    expect(await progress(id)).toMatchObject({ processed: 6, invited: 6, emailed: 6 });
    await run('update import_rows set email_status = ? where import_id = ? and seq = 1', ['failed', id]);
    await checkpointProgress(orm.em.fork(), id);
    expect(await progress(id)).toMatchObject({ processed: 6, invited: 6, emailed: 5, failed: 1 });
  });
});
