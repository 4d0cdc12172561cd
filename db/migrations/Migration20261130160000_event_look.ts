import { Migration } from '@mikro-orm/migrations';

/** The event's look on its attendee pages: an accent colour and an optional logo. */
export class Migration20261130160000_event_look extends Migration {
  override name = 'Migration20261130160000_event_look';

  override up(): void | Promise<void> {
    this.addSql(`alter table "events" add column "accent_color" varchar(7) null;`);
    this.addSql(
      `create table "event_logos" ("event_id" uuid not null, "content_type" varchar(50) not null, "bytes" bytea not null, "updated_at" timestamptz not null, primary key ("event_id"));`,
    );
    this.addSql(
      `alter table "event_logos" add constraint "event_logos_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "event_logos" cascade;`);
    this.addSql(`alter table "events" drop column "accent_color";`);
  }
}
