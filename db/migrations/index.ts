import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125082302 } from './Migration20261125082302';

/** Every committed migration, in order (explicit, so no file globbing at run time). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125082302', class: Migration20261125082302 },
];
