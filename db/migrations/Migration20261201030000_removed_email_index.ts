import { Migration } from '@mikro-orm/migrations';

/**
 * Removed attendees by event and address. Every page of a bulk invite asks which of its 500
 * addresses belong to removed attendees of the event; the (event, address) indexes cover live
 * attendees only, so that question was a scan of the whole attendees table, once a page (65 ms a
 * page at 200,000 rows, growing with every event ever held). This index holds removed attendees
 * only, so it stays small, and the question takes an index scan.
 */
export class Migration20261201030000_removed_email_index extends Migration {
  override name = 'Migration20261201030000_removed_email_index';

  override up(): void | Promise<void> {
    this.addSql(
      'create index "attendees_event_email_removed_idx" on "attendees" ("event_id", "email_key") where removed_at is not null;',
    );
  }

  override down(): void | Promise<void> {
    this.addSql('drop index if exists "attendees_event_email_removed_idx";');
  }
}
