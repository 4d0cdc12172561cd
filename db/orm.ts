import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';

/** Either a real PostgreSQL server (DATABASE_URL) or the embedded PGlite data folder. */
export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export type Orm = MikroORM;
export type Em = EntityManager;

export function databaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  return databaseUrl
    ? { kind: 'postgres', url: databaseUrl }
    : { kind: 'pglite', dataDir: path.resolve(dataDir, 'pglite') };
}

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
  if (target.kind === 'postgres') {
    const { MikroORM } = await import('@mikro-orm/postgresql');
    return MikroORM.init({
      ...baseOptions(),
      clientUrl: target.url,
      pool: { min: 0, max: options.pool ?? 10 },
    });
  }
  const { MikroORM } = await import('@mikro-orm/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  return MikroORM.init({
    ...baseOptions(),
    dbName: target.dataDir,
    driverOptions: { extensions: { pg_trgm } },
  });
}

/**
 * Applies every committed migration that has not run yet. On a shared server an advisory lock
 * makes processes starting together take turns (PGlite is one process, so it needs none).
 */
export async function migrate(orm: Orm, target?: DatabaseTarget): Promise<void> {
  if (target?.kind !== 'postgres') {
    await orm.migrator.up();
    return;
  }
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
