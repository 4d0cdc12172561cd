import { Migration } from '@mikro-orm/migrations';

/**
 * Room on each page for a row's next version: an import's rows are updated four times each (the
 * outcome, the email status, the workflow start, processed) and a ledger row is stamped before its
 * call, and none of those updates changes an indexed column. On pages filled to the brim (COPY and
 * batched inserts fill them), every such update wrote a new version elsewhere and an entry in each
 * index (22 % and 1 % HOT in a 10k bulk invite); with room it stays on its page (a HOT update)
 * and the index entries stay as they are.
 */
export class Migration20261201020000_hot_updates extends Migration {
  override name = 'Migration20261201020000_hot_updates';

  override up(): void | Promise<void> {
    this.addSql('alter table "import_rows" set (fillfactor = 50);');
    this.addSql('alter table "email_messages" set (fillfactor = 50);');
  }

  override down(): void | Promise<void> {
    this.addSql('alter table "import_rows" reset (fillfactor);');
    this.addSql('alter table "email_messages" reset (fillfactor);');
  }
}
