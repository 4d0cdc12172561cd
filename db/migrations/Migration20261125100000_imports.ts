import { Migration } from '@mikro-orm/migrations';

/** Bulk invite: the imports and the rows of their files. Written by hand (see docs/bulk-invite.md). */
export class Migration20261125100000_imports extends Migration {
  override name = 'Migration20261125100000_imports';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "imports" ("id" uuid not null, "event_id" uuid not null, "status" text not null, "created_by" varchar(200) not null, "send_email" boolean null, "notify_email" varchar(254) null, "total_rows" int not null default 0, "valid_rows" int not null default 0, "invalid_rows" int not null default 0, "duplicate_in_file" int not null default 0, "already_invited" int not null default 0, "error_count" int not null default 0, "processed" int not null default 0, "invited" int not null default 0, "emailed" int not null default 0, "failed" int not null default 0, "skipped" int not null default 0, "created_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "imports_event_created_idx" on "imports" ("event_id", "created_at");`);
    this.addSql(
      `alter table "imports" add constraint "imports_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "imports" add constraint "imports_status_check" check ("status" in ('validated', 'running', 'completed', 'cancelled', 'failed'));`,
    );

    this.addSql(
      `create table "import_rows" ("import_id" uuid not null, "row_number" int not null, "seq" int null, "email" text null, "first_name" text null, "last_name" text null, "company" text null, "title" text null, "language" text null, "role" text null, "email_key" text null, "language_code" text null, "roles" text[] null, "errors" jsonb null, "attendee_id" uuid null, "outcome" text null, "workflow_started" boolean not null default false, "email_status" text null, "processed_at" timestamptz null, primary key ("import_id", "row_number"));`,
    );
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_import_seq_unique" unique ("import_id", "seq");`,
    );
    // errors.csv and the report walk the invalid rows of an import in file order.
    this.addSql(
      `create index "import_rows_errors_idx" on "import_rows" ("import_id", "row_number") where errors is not null;`,
    );
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_import_id_foreign" foreign key ("import_id") references "imports" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_outcome_check" check ("outcome" in ('invited', 'already_invited'));`,
    );
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_email_status_check" check ("email_status" in ('sent', 'failed', 'delegated'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "import_rows" cascade;`);
    this.addSql(`drop table if exists "imports" cascade;`);
  }
}
