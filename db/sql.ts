import type { EntityManager } from '@mikro-orm/core';

/** Runs raw SQL on the EntityManager's connection, inside its transaction when it has one. */
export function sql(em: EntityManager) {
  const conn = em.getConnection();
  const ctx = em.getTransactionContext();
  return <T = Record<string, unknown>[]>(query: string, params: unknown[] = []) =>
    conn.execute<T>(query, params, 'all', ctx) as Promise<T>;
}

/**
 * A unique constraint refused the write (PostgreSQL 23505, from the driver or wrapped by
 * MikroORM); `constraint` names which. Null for any other error.
 */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string; name?: string } | null;
  if (e?.code === '23505') return e.constraint ?? 'unique';
  return e?.name === 'UniqueConstraintViolationException' ? (e.constraint ?? 'unique') : null;
}
