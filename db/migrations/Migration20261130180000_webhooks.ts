import { Migration } from '@mikro-orm/migrations';

/**
 * Outgoing webhooks: endpoints per organization, the outbox of events written with the change
 * that caused them (unique by source key), one delivery per event and endpoint with its lease
 * and next attempt, and every attempt.
 */
export class Migration20261130180000_webhooks extends Migration {
  override name = 'Migration20261130180000_webhooks';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "webhook_endpoints" ("id" uuid not null, "organization_id" uuid not null, "url" varchar(2048) not null, "description" varchar(500) null, "event_types" text[] not null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "enabled" boolean not null default true, "disabled_reason" text null, "disabled_at" timestamptz null, "failing_since" timestamptz null, "consecutive_failures" int not null default 0, "retry_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoints_organization_idx" on "webhook_endpoints" ("organization_id", "created_at", "id");`,
    );

    this.addSql(
      `create table "webhook_events" ("id" uuid not null, "organization_id" uuid not null, "type" varchar(64) not null, "source_key" varchar(300) not null, "subject_id" uuid null, "data" json not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_events" add constraint "webhook_events_source_key_unique" unique ("source_key");`,
    );
    this.addSql(
      `create index "webhook_events_subject_idx" on "webhook_events" ("subject_id") where subject_id is not null;`,
    );

    this.addSql(
      `create table "webhook_deliveries" ("id" uuid not null, "endpoint_id" uuid not null, "event_id" uuid not null, "status" text not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "retry_from" timestamptz not null, "lease_until" timestamptz null, "lease_token" uuid null, "last_attempt_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_deliveries_due_idx" on "webhook_deliveries" ("endpoint_id", "next_attempt_at") where status = 'pending';`,
    );
    this.addSql(
      `create index "webhook_deliveries_endpoint_created_idx" on "webhook_deliveries" ("endpoint_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "webhook_deliveries_lease_idx" on "webhook_deliveries" ("endpoint_id", "lease_until") where lease_until is not null;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_event_unique" unique ("endpoint_id", "event_id");`,
    );

    this.addSql(
      `create table "webhook_attempts" ("id" uuid not null, "delivery_id" uuid not null, "at" timestamptz not null, "succeeded" boolean not null, "status_code" int null, "duration_ms" int not null, "error" text null, "response_body" text null, primary key ("id"));`,
    );
    this.addSql(`create index "webhook_attempts_delivery_idx" on "webhook_attempts" ("delivery_id", "at");`);

    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_events" add constraint "webhook_events_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "webhook_events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check ("status" in ('pending', 'succeeded', 'failed'));`,
    );
    this.addSql(
      `alter table "webhook_attempts" add constraint "webhook_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_attempts" cascade;`);
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "webhook_events" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
  }
}
