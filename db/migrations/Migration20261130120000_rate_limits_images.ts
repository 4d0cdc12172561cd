import { Migration } from '@mikro-orm/migrations';

/**
 * Rate-limit windows carry their end, so expired ones can be purged; images belong to their
 * attendee (deleted with it). Images no live attendee shows any more (replaced, or of removed
 * attendees) are deleted here.
 */
export class Migration20261130120000_rate_limits_images extends Migration {
  override name = 'Migration20261130120000_rate_limits_images';

  override up(): void | Promise<void> {
    this.addSql(`alter table "rate_limits" add column "expires_at" timestamptz null;`);
    this.addSql(`update "rate_limits" set "expires_at" = "window_start" + interval '1 hour';`);
    this.addSql(`alter table "rate_limits" alter column "expires_at" set not null;`);
    this.addSql(`create index "rate_limits_expires_at_index" on "rate_limits" ("expires_at");`);

    this.addSql(`alter table "images" add column "attendee_id" uuid null;`);
    this.addSql(
      `update "images" i set "attendee_id" = a."id" from "attendees" a
        where a."removed_at" is null and right(a."image_url", 36) = i."id"::text;`,
    );
    this.addSql(`delete from "images" where "attendee_id" is null;`);
    this.addSql(`alter table "images" alter column "attendee_id" set not null;`);
    this.addSql(
      `alter table "images" add constraint "images_attendee_id_foreign" foreign key ("attendee_id") references "attendees" ("id") on delete cascade;`,
    );
    this.addSql(`create index "images_attendee_id_index" on "images" ("attendee_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "images" drop constraint "images_attendee_id_foreign";`);
    this.addSql(`alter table "images" drop column "attendee_id";`);
    this.addSql(`alter table "rate_limits" drop column "expires_at";`);
  }
}
