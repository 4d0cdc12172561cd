import { Migration } from '@mikro-orm/migrations';

/**
 * The provider call a pending ledger row last went out in. A call whose answer never came (a
 * timeout, a crash) is looked up by this id at Postmark before the row is sent again.
 */
export class Migration20261125160000_send_attempts extends Migration {
  override name = 'Migration20261125160000_send_attempts';

  override up(): void | Promise<void> {
    this.addSql(`alter table "email_messages" add column "send_attempt" uuid null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "email_messages" drop column "send_attempt";`);
  }
}
