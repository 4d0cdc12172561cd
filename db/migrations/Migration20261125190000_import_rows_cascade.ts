import { Migration } from '@mikro-orm/migrations';

/**
 * `import_rows` without its foreign key to `imports`: an upload writes up to 100,000 rows of one
 * import in one transaction, and the key was checked once per row, which cost PostgreSQL about
 * as much as the COPY of the rows itself. Rows are only written by the upload, in the transaction
 * that creates their import; deleting imports (with their event) still deletes their rows, through
 * a statement-level trigger.
 */
export class Migration20261125190000_import_rows_cascade extends Migration {
  override name = 'Migration20261125190000_import_rows_cascade';

  override up(): void | Promise<void> {
    this.addSql(`alter table "import_rows" drop constraint "import_rows_import_id_foreign";`);
    this.addSql(`create function import_rows_cascade() returns trigger language plpgsql as $$
begin
  delete from import_rows r using gone where r.import_id = gone.id;
  return null;
end $$;`);
    this.addSql(`create trigger imports_delete_rows after delete on imports referencing old table as gone
      for each statement execute function import_rows_cascade();`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop trigger imports_delete_rows on imports;');
    this.addSql('drop function import_rows_cascade();');
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_import_id_foreign" foreign key ("import_id") references "imports" ("id") on delete cascade;`,
    );
  }
}
