import { Migration } from '@mikro-orm/migrations';

/**
 * Closed SSO events: SCIM tokens, the IdP directory (users, groups, memberships), the groups
 * granted to each event, the organization's OIDC settings and OIDC login attempts. Written by
 * hand (see docs/sso.md).
 */
export class Migration20261125120000_directory extends Migration {
  override name = 'Migration20261125120000_directory';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "scim_tokens" ("id" uuid not null, "organization_id" uuid not null, "token_hash" varchar(64) not null, "label" varchar(200) null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "scim_tokens" add constraint "scim_tokens_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "scim_tokens_org_created_idx" on "scim_tokens" ("organization_id", "created_at");`,
    );
    this.addSql(
      `alter table "scim_tokens" add constraint "scim_tokens_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "directory_users" ("id" uuid not null, "organization_id" uuid not null, "user_name" varchar(300) not null, "user_name_key" varchar(300) not null, "external_id" varchar(300) null, "display_name" varchar(300) null, "given_name" varchar(200) null, "family_name" varchar(200) null, "email" varchar(320) null, "email_key" varchar(320) null, "active" boolean not null, "resource" jsonb not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "directory_users" add constraint "directory_users_org_user_name_unique" unique ("organization_id", "user_name_key");`,
    );
    this.addSql(
      `create index "directory_users_org_created_idx" on "directory_users" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "directory_users_org_email_idx" on "directory_users" ("organization_id", "email_key");`,
    );
    this.addSql(
      `create index "directory_users_org_external_idx" on "directory_users" ("organization_id", "external_id");`,
    );
    this.addSql(
      `alter table "directory_users" add constraint "directory_users_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "directory_groups" ("id" uuid not null, "organization_id" uuid not null, "display_name" varchar(300) not null, "display_name_key" varchar(300) not null, "search_text" varchar(300) not null, "external_id" varchar(300) null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "directory_groups" add constraint "directory_groups_org_display_name_unique" unique ("organization_id", "display_name_key");`,
    );
    this.addSql(
      `create index "directory_groups_org_created_idx" on "directory_groups" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "directory_groups_org_external_idx" on "directory_groups" ("organization_id", "external_id");`,
    );
    this.addSql(
      `alter table "directory_groups" add constraint "directory_groups_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "directory_memberships" ("group_id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null, primary key ("group_id", "user_id"));`,
    );
    this.addSql(`create index "directory_memberships_user_idx" on "directory_memberships" ("user_id");`);
    this.addSql(
      `alter table "directory_memberships" add constraint "directory_memberships_group_id_foreign" foreign key ("group_id") references "directory_groups" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "directory_memberships" add constraint "directory_memberships_user_id_foreign" foreign key ("user_id") references "directory_users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "event_group_grants" ("event_id" uuid not null, "group_id" uuid not null, "granted_by" varchar(200) not null, "created_at" timestamptz not null, primary key ("event_id", "group_id"));`,
    );
    this.addSql(`create index "event_group_grants_group_idx" on "event_group_grants" ("group_id");`);
    this.addSql(
      `alter table "event_group_grants" add constraint "event_group_grants_event_id_foreign" foreign key ("event_id") references "events" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "event_group_grants" add constraint "event_group_grants_group_id_foreign" foreign key ("group_id") references "directory_groups" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "oidc_settings" ("organization_id" uuid not null, "issuer" varchar(500) not null, "client_id" varchar(300) not null, "client_secret" text not null, "scopes" varchar(500) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("organization_id"));`,
    );
    this.addSql(
      `alter table "oidc_settings" add constraint "oidc_settings_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "sso_login_attempts" ("id" uuid not null, "event_id" uuid not null, "state_hash" varchar(64) not null, "binding_hash" varchar(64) not null, "code_verifier" varchar(200) not null, "nonce" varchar(200) not null, "redirect_uri" varchar(2048) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "sso_login_attempts" add constraint "sso_login_attempts_state_hash_unique" unique ("state_hash");`,
    );
    this.addSql(`create index "sso_login_attempts_expires_idx" on "sso_login_attempts" ("expires_at");`);
    this.addSql(
      `alter table "sso_login_attempts" add constraint "sso_login_attempts_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "sso_login_attempts" cascade;`);
    this.addSql(`drop table if exists "oidc_settings" cascade;`);
    this.addSql(`drop table if exists "event_group_grants" cascade;`);
    this.addSql(`drop table if exists "directory_memberships" cascade;`);
    this.addSql(`drop table if exists "directory_groups" cascade;`);
    this.addSql(`drop table if exists "directory_users" cascade;`);
    this.addSql(`drop table if exists "scim_tokens" cascade;`);
  }
}
