import { Migration } from '@mikro-orm/migrations';

/**
 * Bulk actions (docs/bulk-actions.md): the action with its selection, totals and checkpointed
 * progress, and the snapshot of the attendees it applies to, one item each with its outcome.
 * The items carry no personal data (the email of results.csv is read from the attendee), and,
 * as `import_rows`, no foreign key: a start snapshots up to an event's every attendee in one
 * statement; deleting bulk actions (with their event) deletes their items through a trigger.
 */
export class Migration20261130190000_bulk_actions extends Migration {
  override name = 'Migration20261130190000_bulk_actions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "bulk_actions" ("id" uuid not null, "event_id" uuid not null, "action" text not null, "status" text not null, "filter" jsonb null, "message" jsonb null, "created_by" varchar(200) not null, "total_matched" int not null default 0, "total_eligible" int not null default 0, "total_skipped" int not null default 0, "total_skip_reasons" jsonb not null default '[]', "processed" int not null default 0, "done" int not null default 0, "skipped" int not null default 0, "failed" int not null default 0, "cancelled" int not null default 0, "not_processed" int not null default 0, "skip_reasons" jsonb not null default '[]', "created_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "bulk_actions_event_created_idx" on "bulk_actions" ("event_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "bulk_actions" add constraint "bulk_actions_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "bulk_actions" add constraint "bulk_actions_action_check" check ("action" in ('resend_email', 'send_reminder', 'send_message', 'block', 'unblock', 'remove'));`,
    );
    this.addSql(
      `alter table "bulk_actions" add constraint "bulk_actions_status_check" check ("status" in ('running', 'completed', 'cancelled', 'failed'));`,
    );

    this.addSql(
      `create table "bulk_action_items" ("bulk_action_id" uuid not null, "position" int not null, "attendee_id" uuid not null, "outcome" text null, "reason" text null, primary key ("bulk_action_id", "position"));`,
    );
    this.addSql(
      `alter table "bulk_action_items" add constraint "bulk_action_items_outcome_check" check ("outcome" in ('done', 'skipped', 'failed', 'cancelled', 'not_processed'));`,
    );
    this.addSql(`create function bulk_action_items_cascade() returns trigger language plpgsql as $$
begin
  delete from bulk_action_items i using gone where i.bulk_action_id = gone.id;
  return null;
end $$;`);
    this.addSql(`create trigger bulk_actions_delete_items after delete on bulk_actions referencing old table as gone
      for each statement execute function bulk_action_items_cascade();`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop trigger if exists bulk_actions_delete_items on bulk_actions;');
    this.addSql('drop function if exists bulk_action_items_cascade();');
    this.addSql(`drop table if exists "bulk_action_items" cascade;`);
    this.addSql(`drop table if exists "bulk_actions" cascade;`);
  }
}
