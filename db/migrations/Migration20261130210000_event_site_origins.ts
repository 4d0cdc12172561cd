import { Migration } from '@mikro-orm/migrations';

/** The event sites an organization lists: browsers there may call the public endpoints (CORS). */
export class Migration20261130210000_event_site_origins extends Migration {
  override name = 'Migration20261130210000_event_site_origins';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organizations" add column "event_site_origins" text[] not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organizations" drop column "event_site_origins";`);
  }
}
