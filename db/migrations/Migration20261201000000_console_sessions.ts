import { Migration } from '@mikro-orm/migrations';

/**
 * The organizer console's sign-ins: an API key exchanged for a session whose token lives only in
 * an HttpOnly cookie. Only the token's sha256 is kept; deleting the key ends its sessions.
 */
export class Migration20261201000000_console_sessions extends Migration {
  override name = 'Migration20261201000000_console_sessions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "console_sessions" ("id" uuid not null, "token_hash" varchar(64) not null, "organization_id" uuid not null, "api_key_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, primary key ("id"), constraint "console_sessions_token_hash_unique" unique ("token_hash"), constraint "console_sessions_expiry_check" check ("expires_at" > "created_at"));`,
    );
    this.addSql(
      `alter table "console_sessions" add constraint "console_sessions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "console_sessions" add constraint "console_sessions_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "console_sessions_expires_at_idx" on "console_sessions" ("expires_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "console_sessions" cascade;`);
  }
}
