import { Migration } from '@mikro-orm/migrations';

/**
 * List indexes cover live attendees only (`removed_at is null`), which is all the lists read;
 * the narrow (event_id, status) one also answers `total` by an index-only scan.
 */
export class Migration20261125140000_live_indexes extends Migration {
  override name = 'Migration20261125140000_live_indexes';

  override up(): void | Promise<void> {
    for (const [name, columns] of [
      ['attendees_event_created_idx', '"event_id", "created_at", "id"'],
      ['attendees_event_name_idx', '"event_id", "name_key", "id"'],
      ['attendees_event_email_idx', '"event_id", "email_key", "id"'],
      ['attendees_event_status_idx', '"event_id", "status", "id"'],
    ]) {
      this.addSql(`drop index if exists "${name}";`);
      this.addSql(`create index "${name}" on "attendees" (${columns}) where removed_at is null;`);
    }
  }

  override down(): void | Promise<void> {
    for (const [name, columns] of [
      ['attendees_event_created_idx', '"event_id", "created_at", "id"'],
      ['attendees_event_name_idx', '"event_id", "name_key", "id"'],
      ['attendees_event_email_idx', '"event_id", "email_key", "id"'],
      ['attendees_event_status_idx', '"event_id", "status", "id"'],
    ]) {
      this.addSql(`drop index if exists "${name}";`);
      this.addSql(`create index "${name}" on "attendees" (${columns});`);
    }
  }
}
