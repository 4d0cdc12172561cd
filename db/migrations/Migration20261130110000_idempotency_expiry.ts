import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency records expire after 24 hours: an index to find and purge the expired ones. Stored
 * answers that carried a login link's token are removed (answers with a secret are no longer kept).
 */
export class Migration20261130110000_idempotency_expiry extends Migration {
  override name = 'Migration20261130110000_idempotency_expiry';

  override up(): void | Promise<void> {
    this.addSql(`create index "idempotency_records_created_at_idx" on "idempotency_records" ("created_at");`);
    this.addSql(`delete from "idempotency_records" where "response_body"::text like '%token=%';`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop index "idempotency_records_created_at_idx";');
  }
}
