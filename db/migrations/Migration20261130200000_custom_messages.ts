import { Migration } from '@mikro-orm/migrations';

/** Organizer-written messages: the email kind `message`, and a reminder rule's own text. */
export class Migration20261130200000_custom_messages extends Migration {
  override name = 'Migration20261130200000_custom_messages';

  override up(): void | Promise<void> {
    this.addSql(`alter table "email_messages" drop constraint if exists "email_messages_kind_check";`);
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_kind_check" check ("kind" in ('invitation', 'registration_confirmation', 'login_link', 'reminder', 'import_finished', 'message'));`,
    );
    this.addSql(`alter table "reminder_rules" add column "message" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "reminder_rules" drop column "message";`);
    this.addSql(`delete from "email_messages" where "kind" = 'message';`);
    this.addSql(`alter table "email_messages" drop constraint if exists "email_messages_kind_check";`);
    this.addSql(
      `alter table "email_messages" add constraint "email_messages_kind_check" check ("kind" in ('invitation', 'registration_confirmation', 'login_link', 'reminder', 'import_finished'));`,
    );
  }
}
