import { Migration } from '@mikro-orm/migrations';

/**
 * Each running import's progress per page: a checkpoint recounts one page's rows and sums the
 * pages, where it recounted every row of the import (rows × pages over a whole import).
 */
export class Migration20261201010000_import_pages extends Migration {
  override name = 'Migration20261201010000_import_pages';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "import_pages" ("import_id" uuid not null, "first_seq" int not null, "processed" int not null, "invited" int not null, "emailed" int not null, "failed" int not null, "skipped" int not null, primary key ("import_id", "first_seq"));`,
    );
    this.addSql(
      `alter table "import_pages" add constraint "import_pages_import_id_foreign" foreign key ("import_id") references "imports" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "import_pages" cascade;`);
  }
}
