import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';

/**
 * A PostgreSQL server: DATABASE_URL, or the embedded one `npm start` runs without it
 * (db/embedded-postgres.ts). One engine in development, tests and production.
 */
export type DatabaseTarget = { kind: 'postgres'; url: string };

export type Orm = MikroORM;
export type Em = EntityManager;

function baseOptions() {
  return {
    entities,
    extensions: [Migrator],
    migrations: {
      path: path.resolve(import.meta.dirname, 'migrations'),
      migrationsList,
      snapshot: false,
      silent: true,
    },
    // Every request and activity forks its own EntityManager; the global one must not be used.
    allowGlobalContext: false,
    debug: false,
  };
}

export async function openOrm(target: DatabaseTarget, options: { pool?: number } = {}): Promise<Orm> {
  const { MikroORM } = await import('@mikro-orm/postgresql');
  return MikroORM.init({
    ...baseOptions(),
    clientUrl: target.url,
    pool: { min: 0, max: options.pool ?? 10 },
  });
}

/**
 * Applies every committed migration that has not run yet. An advisory lock makes processes that
 * start together on one server take turns.
 */
export async function migrate(orm: Orm): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    await em
      .getConnection()
      .execute(
        "select pg_advisory_xact_lock(hashtext('roster_migrations'))",
        [],
        'all',
        em.getTransactionContext(),
      );
    await orm.migrator.up();
  });
}
