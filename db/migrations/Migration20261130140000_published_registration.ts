import { Migration } from '@mikro-orm/migrations';

const OLD = `'invited_by_team_member', 'invited_by_team_member_to_register', 'confirmed_email', 'registered_no_confirmation_required', 'pre_event_visit', 'during_event_visit', 'sso_login', 'unregistered', 'blocked'`;
const NEW = `'registered', ${OLD}`;

/**
 * Published registration: the event setting that opens it, and the tenth detailed status
 * `registered` (signed up on the event's registration page without an invitation). And the
 * import row outcome `outside_idp_groups`: a row the closed-event rule turns away at the start.
 */
export class Migration20261130140000_published_registration extends Migration {
  override name = 'Migration20261130140000_published_registration';

  override up(): void | Promise<void> {
    this.addSql(`alter table "events" add column "published_registration" boolean not null default false;`);
    for (const table of ['attendees', 'attendee_history']) {
      this.addSql(`alter table "${table}" drop constraint "${table}_detailed_status_check";`);
      this.addSql(
        `alter table "${table}" add constraint "${table}_detailed_status_check" check ("detailed_status" in (${NEW}));`,
      );
    }
    this.addSql(`alter table "import_rows" drop constraint "import_rows_outcome_check";`);
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_outcome_check" check ("outcome" in ('invited', 'already_invited', 'outside_idp_groups'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_rows" drop constraint "import_rows_outcome_check";`);
    this.addSql(
      `alter table "import_rows" add constraint "import_rows_outcome_check" check ("outcome" in ('invited', 'already_invited'));`,
    );
    for (const table of ['attendees', 'attendee_history']) {
      this.addSql(`alter table "${table}" drop constraint "${table}_detailed_status_check";`);
      this.addSql(
        `alter table "${table}" add constraint "${table}_detailed_status_check" check ("detailed_status" in (${OLD}));`,
      );
    }
    this.addSql(`alter table "events" drop column "published_registration";`);
  }
}
