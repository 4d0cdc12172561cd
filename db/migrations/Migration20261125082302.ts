import { Migration } from '@mikro-orm/migrations';

export class Migration20261125082302 extends Migration {
  override name = 'Migration20261125082302';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "organizations" ("id" uuid not null, "slug" varchar(100) not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "organizations" add constraint "organizations_slug_unique" unique ("slug");`);

    this.addSql(
      `create table "idempotency_records" ("organization_id" uuid not null, "key" varchar(255) not null, "request_hash" varchar(64) not null, "status_code" int null, "response_body" jsonb null, "created_at" timestamptz not null, primary key ("organization_id", "key"));`,
    );

    this.addSql(
      `create table "events" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "timezone" varchar(64) not null, "default_language" text not null, "login_mode" text not null, "closed" boolean not null, "allow_outside_idp_groups" boolean not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "events_org_created_idx" on "events" ("organization_id", "created_at", "id");`);

    this.addSql(
      `create table "event_sessions" ("id" uuid not null, "event_id" uuid not null, "position" int not null, "name" varchar(200) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "event_sessions" add constraint "event_sessions_position_unique" unique ("event_id", "position");`,
    );

    this.addSql(
      `create table "attendees" ("id" uuid not null, "event_id" uuid not null, "email" varchar(254) not null, "email_key" varchar(254) not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "language" text not null, "roles" text[] not null, "status" text not null, "detailed_status" text not null, "title" varchar(200) null, "company" varchar(200) null, "bio" text null, "image_url" varchar(2048) null, "chat_blocked" boolean not null default false, "chat_terms_agreed" boolean not null default false, "search_text" text not null, "name_key" text not null, "workflow_id" varchar(300) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "removed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "attendees_event_created_idx" on "attendees" ("event_id", "created_at", "id");`,
    );
    this.addSql(`create index "attendees_event_name_idx" on "attendees" ("event_id", "name_key", "id");`);
    this.addSql(`create index "attendees_event_email_idx" on "attendees" ("event_id", "email_key", "id");`);
    this.addSql(`create index "attendees_event_status_idx" on "attendees" ("event_id", "status", "id");`);
    this.addSql(
      `create unique index "attendees_event_email_live_unique" on "attendees" ("event_id", "email_key") where removed_at is null;`,
    );
    // Substring search on names and email; pg_trgm where the server has it (PGlite may not).
    this.addSql(`do $$ begin
      create extension if not exists pg_trgm;
      create index "attendees_search_trgm_idx" on "attendees" using gin ("search_text" gin_trgm_ops);
    exception when others then raise notice 'pg_trgm unavailable: substring search runs without an index';
    end $$;`);

    this.addSql(
      `create table "email_messages" ("id" uuid not null, "ledger_key" varchar(300) not null, "attendee_id" uuid null, "event_id" uuid null, "kind" text not null, "to_address" varchar(254) not null, "status" text not null, "provider_message_id" varchar(100) null, "error_code" int null, "error_message" text null, "created_at" timestamptz not null, "sent_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_ledger_key_unique" unique ("ledger_key");`,
    );
    this.addSql(
      `create index "email_messages_attendee_idx" on "email_messages" ("attendee_id", "created_at");`,
    );

    this.addSql(
      `create table "attendee_history" ("id" uuid not null, "attendee_id" uuid not null, "at" timestamptz not null, "status" text not null, "detailed_status" text not null, "actor" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "attendee_history_attendee_at_idx" on "attendee_history" ("attendee_id", "at");`,
    );

    this.addSql(
      `create table "access_tokens" ("id" uuid not null, "attendee_id" uuid not null, "kind" text not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "access_tokens" add constraint "access_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "api_keys" ("id" uuid not null, "organization_id" uuid not null, "key_hash" varchar(64) not null, "label" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(
      `alter table "idempotency_records" add constraint "idempotency_records_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "events" add constraint "events_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "events" add constraint "events_time_order_check" check (ends_at > starts_at);`);
    this.addSql(
      `alter table "events" add constraint "events_closed_needs_sso_check" check (not closed or login_mode = 'sso');`,
    );
    this.addSql(
      `alter table "events" add constraint "events_default_language_check" check ("default_language" in ('en', 'de', 'fr', 'es', 'nl', 'ru', 'pt-BR', 'ja', 'zh-Hans', 'zh-Hant', 'fi', 'it', 'fr-CA', 'ko', 'ar', 'ca', 'da', 'sr', 'sv'));`,
    );
    this.addSql(
      `alter table "events" add constraint "events_login_mode_check" check ("login_mode" in ('magic_link', 'sso'));`,
    );

    this.addSql(
      `alter table "event_sessions" add constraint "event_sessions_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "event_sessions" add constraint "event_sessions_time_order_check" check (ends_at > starts_at);`,
    );

    this.addSql(
      `alter table "attendees" add constraint "attendees_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "attendees" add constraint "attendees_bio_length_check" check (char_length(bio) <= 2500);`,
    );
    this.addSql(
      `alter table "attendees" add constraint "attendees_roles_check" check (roles @> array['attendee']::text[]);`,
    );
    this.addSql(
      `alter table "attendees" add constraint "attendees_language_check" check ("language" in ('en', 'de', 'fr', 'es', 'nl', 'ru', 'pt-BR', 'ja', 'zh-Hans', 'zh-Hant', 'fi', 'it', 'fr-CA', 'ko', 'ar', 'ca', 'da', 'sr', 'sv'));`,
    );
    this.addSql(
      `alter table "attendees" add constraint "attendees_status_check" check ("status" in ('invited', 'registered', 'attended', 'sso_login', 'unregistered', 'blocked'));`,
    );
    this.addSql(
      `alter table "attendees" add constraint "attendees_detailed_status_check" check ("detailed_status" in ('invited_by_team_member', 'invited_by_team_member_to_register', 'confirmed_email', 'registered_no_confirmation_required', 'pre_event_visit', 'during_event_visit', 'sso_login', 'unregistered', 'blocked'));`,
    );

    this.addSql(
      `alter table "email_messages" add constraint "email_messages_attendee_id_foreign" foreign key ("attendee_id") references "attendees" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_kind_check" check ("kind" in ('invitation', 'registration_confirmation', 'login_link', 'reminder', 'import_finished'));`,
    );
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_status_check" check ("status" in ('pending', 'sent', 'failed'));`,
    );

    this.addSql(
      `alter table "attendee_history" add constraint "attendee_history_attendee_id_foreign" foreign key ("attendee_id") references "attendees" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "attendee_history" add constraint "attendee_history_status_check" check ("status" in ('invited', 'registered', 'attended', 'sso_login', 'unregistered', 'blocked'));`,
    );
    this.addSql(
      `alter table "attendee_history" add constraint "attendee_history_detailed_status_check" check ("detailed_status" in ('invited_by_team_member', 'invited_by_team_member_to_register', 'confirmed_email', 'registered_no_confirmation_required', 'pre_event_visit', 'during_event_visit', 'sso_login', 'unregistered', 'blocked'));`,
    );

    this.addSql(
      `alter table "access_tokens" add constraint "access_tokens_attendee_id_foreign" foreign key ("attendee_id") references "attendees" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "access_tokens" add constraint "access_tokens_kind_check" check ("kind" in ('invitation', 'registration_confirmation', 'login_link'));`,
    );

    this.addSql(
      `alter table "api_keys" add constraint "api_keys_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "idempotency_records" drop constraint "idempotency_records_organization_id_foreign";`,
    );
    this.addSql(`alter table "events" drop constraint "events_organization_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_organization_id_foreign";`);
    this.addSql(`alter table "event_sessions" drop constraint "event_sessions_event_id_foreign";`);
    this.addSql(`alter table "attendees" drop constraint "attendees_event_id_foreign";`);
    this.addSql(`alter table "email_messages" drop constraint "email_messages_attendee_id_foreign";`);
    this.addSql(`alter table "attendee_history" drop constraint "attendee_history_attendee_id_foreign";`);
    this.addSql(`alter table "access_tokens" drop constraint "access_tokens_attendee_id_foreign";`);

    this.addSql(`drop table if exists "organizations" cascade;`);
    this.addSql(`drop table if exists "idempotency_records" cascade;`);
    this.addSql(`drop table if exists "events" cascade;`);
    this.addSql(`drop table if exists "event_sessions" cascade;`);
    this.addSql(`drop table if exists "attendees" cascade;`);
    this.addSql(`drop table if exists "email_messages" cascade;`);
    this.addSql(`drop table if exists "attendee_history" cascade;`);
    this.addSql(`drop table if exists "access_tokens" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
  }
}
