import { Migration } from '@mikro-orm/migrations';

export class Migration20261125130000_security extends Migration {
  override name = 'Migration20261125130000_security';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_log" ("id" uuid not null, "organization_id" uuid not null, "event_id" uuid null, "actor" varchar(200) not null, "method" varchar(10) not null, "path" varchar(500) not null, "status" int not null, "at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "audit_log_event_at_idx" on "audit_log" ("event_id", "at", "id");`);
    this.addSql(
      `alter table "audit_log" add constraint "audit_log_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `create table "rate_limits" ("key" varchar(200) not null, "window_start" timestamptz not null, "count" int not null, primary key ("key", "window_start"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limits" cascade;`);
    this.addSql(`drop table if exists "audit_log" cascade;`);
  }
}
