import { Migration } from '@mikro-orm/migrations';

export class Migration20261125084213 extends Migration {
  override name = 'Migration20261125084213';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "images" ("id" uuid not null, "organization_id" uuid not null, "content_type" varchar(50) not null, "bytes" bytea not null, "created_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "attendee_visits" ("id" uuid not null, "attendee_id" uuid not null, "at" timestamptz not null, "kind" text not null, "session_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "attendee_visits_attendee_at_idx" on "attendee_visits" ("attendee_id", "at");`);

    this.addSql(
      `create table "attendee_sessions" ("id" uuid not null, "attendee_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "attendee_sessions" add constraint "attendee_sessions_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "erasures" ("id" uuid not null, "organization_id" uuid not null, "at" timestamptz not null, "attendees" int not null, "events" int not null, primary key ("id"));`,
    );

    this.addSql(
      `alter table "events" add "requires_registration" boolean not null default false, add "requires_email_confirmation" boolean not null default false;`,
    );

    this.addSql(
      `alter table "attendees" add "awaiting_confirmation" boolean not null default false, add "email_undeliverable" boolean not null default false, add "registration_answers" jsonb null;`,
    );

    this.addSql(`alter table "email_messages" drop constraint "email_messages_status_check";`);
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_status_check" check ("status" in ('pending', 'sent', 'failed', 'delivered', 'bounced'));`,
    );

    this.addSql(
      `alter table "images" add constraint "images_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "attendee_visits" add constraint "attendee_visits_attendee_id_foreign" foreign key ("attendee_id") references "attendees" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "attendee_visits" add constraint "attendee_visits_kind_check" check ("kind" in ('login', 'page', 'session'));`,
    );

    this.addSql(
      `alter table "attendee_sessions" add constraint "attendee_sessions_attendee_id_foreign" foreign key ("attendee_id") references "attendees" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "erasures" add constraint "erasures_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "images" cascade;`);
    this.addSql(`drop table if exists "attendee_visits" cascade;`);
    this.addSql(`drop table if exists "attendee_sessions" cascade;`);
    this.addSql(`drop table if exists "erasures" cascade;`);

    this.addSql(
      `alter table "attendees" drop column "awaiting_confirmation", drop column "email_undeliverable", drop column "registration_answers";`,
    );

    this.addSql(`alter table "email_messages" drop constraint "email_messages_status_check";`);
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_status_check" check ("status" in ('pending', 'sent', 'failed'));`,
    );

    this.addSql(
      `alter table "events" drop column "requires_registration", drop column "requires_email_confirmation";`,
    );
  }
}
