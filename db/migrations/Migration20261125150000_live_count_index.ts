import { Migration } from '@mikro-orm/migrations';

/** The narrowest index of an event's live attendees: `total` of an unfiltered list counts it. */
export class Migration20261125150000_live_count_index extends Migration {
  override name = 'Migration20261125150000_live_count_index';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "attendees_event_live_idx" on "attendees" ("event_id") where removed_at is null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "attendees_event_live_idx";`);
  }
}
