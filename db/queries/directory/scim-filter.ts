import type { EntityManager } from '@mikro-orm/core';
import type { FilterCondition } from '../../../domain/scim-filter';
import { sql } from '../../sql';

/** SCIM filters as SQL: the attributes each resource can be filtered by. */

type FilterSql = Record<string, (value: string | boolean) => [string, unknown]>;

export const USER_FILTER_SQL: FilterSql = {
  id: (v) => ['id::text = ?', String(v).toLowerCase()],
  userName: (v) => ['user_name_key = ?', String(v).trim().toLowerCase()],
  externalId: (v) => ['external_id = ?', v],
  displayName: (v) => ['lower(display_name) = ?', String(v).toLowerCase()],
  email: (v) => ['email_key = ?', String(v).trim().toLowerCase()],
  active: (v) => ['active = ?', v],
};

export const GROUP_FILTER_SQL: FilterSql = {
  id: (v) => ['id::text = ?', String(v).toLowerCase()],
  displayName: (v) => ['display_name_key = ?', String(v).trim().toLowerCase()],
  externalId: (v) => ['external_id = ?', v],
};

export function whereOf(organizationId: string, conditions: FilterCondition[], map: FilterSql) {
  const clauses = ['organization_id = ?'];
  const params: unknown[] = [organizationId];
  for (const condition of conditions) {
    const build = map[condition.attribute];
    if (!build) throw new Error(`unsupported filter attribute ${condition.attribute}`);
    const [clause, param] = build(condition.value);
    clauses.push(clause);
    params.push(param);
  }
  return { where: clauses.join(' and '), params };
}

/** A SCIM page of a directory table: 1-based startIndex over a stable order (creation, then id). */
export async function scimPage<T>(
  em: EntityManager,
  from: { table: 'directory_users' | 'directory_groups'; columns: string; filters: FilterSql },
  organizationId: string,
  conditions: FilterCondition[],
  startIndex: number,
  count: number,
) {
  const { where, params } = whereOf(organizationId, conditions, from.filters);
  const [rows, total] = await Promise.all([
    count > 0
      ? sql(em)<T[]>(
          `select ${from.columns} from ${from.table} where ${where}
            order by created_at, id offset ? limit ?`,
          [...params, startIndex - 1, count],
        )
      : Promise.resolve([] as T[]),
    sql(em)<{ n: string }[]>(`select count(*) as n from ${from.table} where ${where}`, params),
  ]);
  return { rows, total: Number(total[0]?.n ?? 0) };
}
