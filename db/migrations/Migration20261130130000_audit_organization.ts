import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log read per organization (GET /v1/audit): SCIM writes belong to no event, so they
 * are kept with a null event id and listed there, newest first.
 */
export class Migration20261130130000_audit_organization extends Migration {
  override name = 'Migration20261130130000_audit_organization';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "audit_log_organization_at_idx" on "audit_log" ("organization_id", "at", "id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql('drop index "audit_log_organization_at_idx";');
  }
}
