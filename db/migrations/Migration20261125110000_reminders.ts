import { Migration } from '@mikro-orm/migrations';

/** Reminder rules per event and a row per run of a rule (scheduled or run now). */
export class Migration20261125110000_reminders extends Migration {
  override name = 'Migration20261125110000_reminders';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "reminder_rules" ("id" uuid not null, "event_id" uuid not null, "audience" text not null, "offset_minutes" int not null, "include_login_link" boolean not null, "sent_at" timestamptz null, "created_at" timestamptz not null, "deleted_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "reminder_rules_event_created_idx" on "reminder_rules" ("event_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "reminder_rules" add constraint "reminder_rules_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "reminder_rules" add constraint "reminder_rules_offset_check" check (offset_minutes >= 1 and offset_minutes <= 86400);`,
    );
    this.addSql(
      `alter table "reminder_rules" add constraint "reminder_rules_audience_check" check ("audience" in ('invited_not_registered', 'registered'));`,
    );

    this.addSql(
      `create table "reminder_runs" ("id" uuid not null, "rule_id" uuid not null, "trigger" text not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "recipients" int not null, "sent" int not null default 0, "failed" int not null default 0, primary key ("id"));`,
    );
    this.addSql(
      `create index "reminder_runs_rule_started_idx" on "reminder_runs" ("rule_id", "started_at");`,
    );
    this.addSql(
      `alter table "reminder_runs" add constraint "reminder_runs_rule_id_foreign" foreign key ("rule_id") references "reminder_rules" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "reminder_runs" add constraint "reminder_runs_trigger_check" check ("trigger" in ('scheduled', 'manual'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "reminder_runs" cascade;`);
    this.addSql(`drop table if exists "reminder_rules" cascade;`);
  }
}
