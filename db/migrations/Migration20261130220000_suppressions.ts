import { Migration } from '@mikro-orm/migrations';

/**
 * Deliverability: the organization's suppression list (one row per normalized address, from a
 * hard bounce, a spam complaint, an unsubscribe or an organizer), the ledger status `suppressed`
 * for a message skipped because of it (and the import row's), the Postmark message stream each
 * ledger row went out on, and an index on Postmark's message id, which every webhook looks up.
 */
export class Migration20261130220000_suppressions extends Migration {
  override name = 'Migration20261130220000_suppressions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "email_suppressions" ("id" uuid not null, "organization_id" uuid not null, "email" varchar(254) not null, "reason" text not null, "source" text not null, "detail" varchar(300) null, "event_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "email_suppressions" add constraint "email_suppressions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "email_suppressions" add constraint "email_suppressions_event_id_foreign" foreign key ("event_id") references "events" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "email_suppressions" add constraint "email_suppressions_organization_email_unique" unique ("organization_id", "email");`,
    );
    this.addSql(
      `alter table "email_suppressions" add constraint "email_suppressions_reason_check" check ("reason" in ('hard_bounce', 'spam_complaint', 'unsubscribe', 'manual'));`,
    );
    this.addSql(
      `alter table "email_suppressions" add constraint "email_suppressions_source_check" check ("source" in ('postmark', 'list_unsubscribe', 'api'));`,
    );
    this.addSql(
      `create index "email_suppressions_organization_created_idx" on "email_suppressions" ("organization_id", "created_at", "id");`,
    );
    // A reactivation at Postmark names no message: its suppressions are found by address.
    this.addSql(`create index "email_suppressions_email_idx" on "email_suppressions" ("email");`);

    this.addSql(`alter table "email_messages" drop constraint if exists "email_messages_status_check";`);
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_status_check" check ("status" in ('pending', 'sent', 'failed', 'delivered', 'bounced', 'suppressed'));`,
    );
    this.addSql(`alter table "email_messages" add column "message_stream" varchar(50) null;`);
    // Postmark's webhooks find their email by its message id: an index, not a scan of the ledger.
    this.addSql(
      `create index "email_messages_provider_message_idx" on "email_messages" ("provider_message_id") where provider_message_id is not null;`,
    );
    this.addSql(`alter table "import_rows" drop constraint if exists "import_rows_email_status_check";`);
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_email_status_check" check ("email_status" in ('sent', 'failed', 'delegated', 'suppressed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`update "import_rows" set "email_status" = 'failed' where "email_status" = 'suppressed';`);
    this.addSql(`alter table "import_rows" drop constraint if exists "import_rows_email_status_check";`);
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_email_status_check" check ("email_status" in ('sent', 'failed', 'delegated'));`,
    );
    this.addSql(`drop index if exists "email_messages_provider_message_idx";`);
    this.addSql(`alter table "email_messages" drop column "message_stream";`);
    this.addSql(`update "email_messages" set "status" = 'failed' where "status" = 'suppressed';`);
    this.addSql(`alter table "email_messages" drop constraint if exists "email_messages_status_check";`);
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_status_check" check ("status" in ('pending', 'sent', 'failed', 'delivered', 'bounced'));`,
    );
    this.addSql(`drop table if exists "email_suppressions" cascade;`);
  }
}
