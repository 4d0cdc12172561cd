import { Migration } from '@mikro-orm/migrations';

const KEY = 'event_id, status, detailed_status, language, roles';
// A group's count is spread over SLOTS rows, one per connection (pid modulo SLOTS): a writer keeps
// its row locked until it commits, and with one row per group, concurrent invites to one event
// would queue behind each other's commits.
const SLOTS = 16;

// Adds each group's net change to `attendee_counts` in key order: the upsert's row locks make
// concurrent writers add up (no lost update), and the common order keeps them from deadlocking.
const upsert = (deltas: string) => `insert into attendee_counts as c (${KEY}, slot, n)
    select ${KEY}, pg_backend_pid() % ${SLOTS}, sum(d) from (${deltas}) t
     group by ${KEY} having sum(d) <> 0 order by ${KEY}
    on conflict (${KEY}, slot) do update set n = c.n + excluded.n;`;

const live = (table: string, d: number) => `select ${KEY}, ${d} as d from ${table} where removed_at is null`;

/**
 * `attendee_counts`: live attendees per event and (status, detailed status, language, roles),
 * kept exact by statement-level triggers on `attendees`, so a list's `total` without `q` sums a
 * few rows instead of counting the event's attendees. A bulk insert costs one upsert per group
 * per statement, not one per row; an update that changes no counted column nets to zero and
 * writes nothing.
 */
export class Migration20261125170000_attendee_counts extends Migration {
  override name = 'Migration20261125170000_attendee_counts';

  override up(): void | Promise<void> {
    // fillfactor: room on each page for the counters' frequent updates to stay HOT.
    this.addSql(
      `create table "attendee_counts" ("event_id" uuid not null, "status" text not null, "detailed_status" text not null, "language" text not null, "roles" text[] not null, "slot" smallint not null, "n" bigint not null, primary key ("event_id", "status", "detailed_status", "language", "roles", "slot")) with (fillfactor = 50);`,
    );
    this.addSql(
      `alter table "attendee_counts" add constraint "attendee_counts_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    // A delete cascading from its event finds the event's counts already gone: skip those groups.
    this.addSql(`create function attendee_counts_apply() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    ${upsert(live('new_rows', 1))}
  elsif tg_op = 'UPDATE' then
    ${upsert(`${live('new_rows', 1)} union all ${live('old_rows', -1)}`)}
  elsif tg_op = 'DELETE' then
    ${upsert(`${live('old_rows', -1)} and exists (select from events e where e.id = old_rows.event_id)`)}
  else
    delete from attendee_counts;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger attendee_counts_insert after insert on attendees referencing new table as new_rows
      for each statement execute function attendee_counts_apply();`);
    this.addSql(`create trigger attendee_counts_update after update on attendees
      referencing old table as old_rows new table as new_rows for each statement execute function attendee_counts_apply();`);
    this.addSql(`create trigger attendee_counts_delete after delete on attendees referencing old table as old_rows
      for each statement execute function attendee_counts_apply();`);
    this.addSql(`create trigger attendee_counts_truncate after truncate on attendees
      for each statement execute function attendee_counts_apply();`);
    // The triggers hold off writers until this migration commits, so the backfill misses none.
    this.addSql(`insert into attendee_counts (${KEY}, slot, n)
      select ${KEY}, 0, count(*) from attendees where removed_at is null group by ${KEY};`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "attendee_counts" cascade;');
    this.addSql('drop function if exists attendee_counts_apply() cascade;');
  }
}
