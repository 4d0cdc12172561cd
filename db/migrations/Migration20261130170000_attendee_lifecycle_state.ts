import { Migration } from '@mikro-orm/migrations';

/**
 * What an attendee workflow holds beyond the read model, so a workflow that ended (a retention
 * period after its event) can start again from the row: the position to return to on unblock
 * and the count of emails asked for (ledger keys `<attendee>/<kind>/<n>` never repeat).
 */
export class Migration20261130170000_attendee_lifecycle_state extends Migration {
  override name = 'Migration20261130170000_attendee_lifecycle_state';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "attendees" add column "before_block_status" text null, add column "before_block_detailed_status" text null, add column "emails_requested" int not null default 0;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "attendees" drop column "before_block_status", drop column "before_block_detailed_status", drop column "emails_requested";`,
    );
  }
}
