import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125082302 } from './Migration20261125082302';
import { Migration20261125084213 } from './Migration20261125084213';
import { Migration20261125100000_imports } from './Migration20261125100000_imports';
import { Migration20261125110000_reminders } from './Migration20261125110000_reminders';
import { Migration20261125120000_directory } from './Migration20261125120000_directory';
import { Migration20261125130000_security } from './Migration20261125130000_security';
import { Migration20261125140000_live_indexes } from './Migration20261125140000_live_indexes';
import { Migration20261125150000_live_count_index } from './Migration20261125150000_live_count_index';
import { Migration20261125160000_send_attempts } from './Migration20261125160000_send_attempts';
import { Migration20261125170000_attendee_counts } from './Migration20261125170000_attendee_counts';
import { Migration20261125190000_import_rows_cascade } from './Migration20261125190000_import_rows_cascade';
import { Migration20261130100000_oidc_subjects } from './Migration20261130100000_oidc_subjects';
import { Migration20261130110000_idempotency_expiry } from './Migration20261130110000_idempotency_expiry';
import { Migration20261130120000_rate_limits_images } from './Migration20261130120000_rate_limits_images';
import { Migration20261130130000_audit_organization } from './Migration20261130130000_audit_organization';
import { Migration20261130140000_published_registration } from './Migration20261130140000_published_registration';
import { Migration20261130160000_event_look } from './Migration20261130160000_event_look';
import { Migration20261130170000_attendee_lifecycle_state } from './Migration20261130170000_attendee_lifecycle_state';
import { Migration20261130180000_webhooks } from './Migration20261130180000_webhooks';
import { Migration20261130190000_bulk_actions } from './Migration20261130190000_bulk_actions';
import { Migration20261130200000_custom_messages } from './Migration20261130200000_custom_messages';
import { Migration20261130210000_event_site_origins } from './Migration20261130210000_event_site_origins';
import { Migration20261130220000_suppressions } from './Migration20261130220000_suppressions';
import { Migration20261201000000_console_sessions } from './Migration20261201000000_console_sessions';
import { Migration20261201010000_import_pages } from './Migration20261201010000_import_pages';
import { Migration20261201020000_hot_updates } from './Migration20261201020000_hot_updates';
import { Migration20261201030000_removed_email_index } from './Migration20261201030000_removed_email_index';

/** Every committed migration, in order (explicit, so no file globbing at run time). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125082302', class: Migration20261125082302 },
  { name: 'Migration20261125084213', class: Migration20261125084213 },
  { name: 'Migration20261125100000_imports', class: Migration20261125100000_imports },
  { name: 'Migration20261125110000_reminders', class: Migration20261125110000_reminders },
  { name: 'Migration20261125120000_directory', class: Migration20261125120000_directory },
  { name: 'Migration20261125130000_security', class: Migration20261125130000_security },
  { name: 'Migration20261125140000_live_indexes', class: Migration20261125140000_live_indexes },
  { name: 'Migration20261125150000_live_count_index', class: Migration20261125150000_live_count_index },
  { name: 'Migration20261125160000_send_attempts', class: Migration20261125160000_send_attempts },
  { name: 'Migration20261125170000_attendee_counts', class: Migration20261125170000_attendee_counts },
  { name: 'Migration20261125190000_import_rows_cascade', class: Migration20261125190000_import_rows_cascade },
  { name: 'Migration20261130100000_oidc_subjects', class: Migration20261130100000_oidc_subjects },
  { name: 'Migration20261130110000_idempotency_expiry', class: Migration20261130110000_idempotency_expiry },
  { name: 'Migration20261130120000_rate_limits_images', class: Migration20261130120000_rate_limits_images },
  { name: 'Migration20261130130000_audit_organization', class: Migration20261130130000_audit_organization },
  {
    name: 'Migration20261130140000_published_registration',
    class: Migration20261130140000_published_registration,
  },
  { name: 'Migration20261130160000_event_look', class: Migration20261130160000_event_look },
  {
    name: 'Migration20261130170000_attendee_lifecycle_state',
    class: Migration20261130170000_attendee_lifecycle_state,
  },
  { name: 'Migration20261130180000_webhooks', class: Migration20261130180000_webhooks },
  { name: 'Migration20261130190000_bulk_actions', class: Migration20261130190000_bulk_actions },
  { name: 'Migration20261130200000_custom_messages', class: Migration20261130200000_custom_messages },
  {
    name: 'Migration20261130210000_event_site_origins',
    class: Migration20261130210000_event_site_origins,
  },
  { name: 'Migration20261130220000_suppressions', class: Migration20261130220000_suppressions },
  { name: 'Migration20261201000000_console_sessions', class: Migration20261201000000_console_sessions },
  { name: 'Migration20261201010000_import_pages', class: Migration20261201010000_import_pages },
  { name: 'Migration20261201020000_hot_updates', class: Migration20261201020000_hot_updates },
  {
    name: 'Migration20261201030000_removed_email_index',
    class: Migration20261201030000_removed_email_index,
  },
];
