import { Migration } from '@mikro-orm/migrations';

/**
 * OIDC account binding: the IdP subject a directory user signed in with first (issuer + subject),
 * unique per organization and issuer, so later logins match on it rather than on mutable claims;
 * and which claim an organization's IdP is trusted with for a first match (`match_claim`).
 */
export class Migration20261130100000_oidc_subjects extends Migration {
  override name = 'Migration20261130100000_oidc_subjects';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "directory_users" add column "oidc_issuer" varchar(500) null, add column "oidc_subject" varchar(300) null;`,
    );
    this.addSql(
      `alter table "directory_users" add constraint "directory_users_org_oidc_subject_unique" unique ("organization_id", "oidc_issuer", "oidc_subject");`,
    );
    this.addSql(
      `alter table "oidc_settings" add column "match_claim" varchar(30) not null default 'email',
         add constraint "oidc_settings_match_claim_check" check ("match_claim" in ('email', 'preferred_username'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "oidc_settings" drop column "match_claim";`);
    this.addSql(`alter table "directory_users" drop constraint "directory_users_org_oidc_subject_unique";`);
    this.addSql(`alter table "directory_users" drop column "oidc_issuer", drop column "oidc_subject";`);
  }
}
