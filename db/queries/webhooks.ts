/** Reads of webhook endpoints and their deliveries, scoped by organization in the SQL itself. */
import type { EntityManager } from '@mikro-orm/core';
import type { WebhookDeliveryStatus } from '../entities/webhook.entity';
import { sql, sqlArray } from '../sql';

export interface EndpointRow {
  id: string;
  organization_id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** created_at to the microsecond, for the keyset cursor. */
  created_key: string;
}

const CREATED_KEY = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;
const ENDPOINT_COLUMNS = `id, organization_id, url, description, event_types, enabled, disabled_reason, disabled_at,
  failing_since, previous_secret_expires_at, created_at, updated_at, ${CREATED_KEY}`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The endpoint as the API shows it (never its secret). */
export function toEndpointDto(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.event_types,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: iso(row.disabled_at),
    failingSince: iso(row.failing_since),
    previousSecretExpiresAt:
      row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > new Date()
        ? iso(row.previous_secret_expires_at)
        : null,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function findEndpoint(em: EntityManager, organizationId: string, endpointId: string) {
  const [row] = await sql(em)<EndpointRow[]>(
    `select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = ? and organization_id = ?`,
    [endpointId, organizationId],
  );
  return row ?? null;
}

/** Newest first, a keyset page after (created_key, id), and the organization's total. */
export async function listEndpoints(
  em: EntityManager,
  organizationId: string,
  limit: number,
  after: { value: string; id: string } | null,
) {
  const [rows, total] = await Promise.all([
    sql(em)<EndpointRow[]>(
      `select ${ENDPOINT_COLUMNS} from webhook_endpoints
        where organization_id = ? ${after ? 'and (created_at, id) < (?::timestamptz, ?::uuid)' : ''}
        order by created_at desc, id desc limit ?`,
      [organizationId, ...(after ? [after.value, after.id] : []), limit + 1],
    ),
    sql(em)<{ n: string }[]>('select count(*) as n from webhook_endpoints where organization_id = ?', [
      organizationId,
    ]),
  ]);
  return { items: rows.slice(0, limit), hasMore: rows.length > limit, total: Number(total[0]?.n ?? 0) };
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  created_at: Date;
  created_key: string;
}

export interface AttemptRow {
  delivery_id: string;
  at: Date;
  succeeded: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

/** A delivery as the API shows it, with every attempt, oldest first. */
export function toDeliveryDto(row: DeliveryRow, attempts: readonly AttemptRow[]) {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastAttemptAt: iso(row.last_attempt_at),
    createdAt: new Date(row.created_at).toISOString(),
    attempts: attempts.map((a) => ({
      at: new Date(a.at).toISOString(),
      succeeded: a.succeeded,
      statusCode: a.status_code,
      durationMs: a.duration_ms,
      error: a.error,
      responseBody: a.response_body,
    })),
  };
}

const DELIVERY_COLUMNS = `d.id, d.event_id, e.type as event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.created_at, to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

/** The attempts of these deliveries, oldest first, grouped by delivery. */
async function attemptsOf(em: EntityManager, deliveryIds: readonly string[]) {
  const byDelivery = new Map<string, AttemptRow[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await sql(em)<AttemptRow[]>(
    `select delivery_id, at, succeeded, status_code, duration_ms, error, response_body from webhook_attempts
      where delivery_id = any(?::uuid[]) order by at, id`,
    [sqlArray(deliveryIds)],
  );
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    list.push(row);
    byDelivery.set(row.delivery_id, list);
  }
  return byDelivery;
}

/**
 * An endpoint's deliveries, newest first (keyset after (created_key, id)), optionally of one
 * status or event, each with its attempts; the endpoint must be the organization's (the caller
 * checked it).
 */
export async function listDeliveries(
  em: EntityManager,
  endpointId: string,
  filter: { status?: WebhookDeliveryStatus; eventId?: string },
  limit: number,
  after: { value: string; id: string } | null,
) {
  const where = ['d.endpoint_id = ?'];
  const params: unknown[] = [endpointId];
  if (filter.status) {
    where.push('d.status = ?');
    params.push(filter.status);
  }
  if (filter.eventId) {
    where.push('d.event_id = ?');
    params.push(filter.eventId);
  }
  const total = await sql(em)<{ n: string }[]>(
    `select count(*) as n from webhook_deliveries d where ${where.join(' and ')}`,
    params,
  );
  if (after) {
    where.push('(d.created_at, d.id) < (?::timestamptz, ?::uuid)');
    params.push(after.value, after.id);
  }
  const rows = await sql(em)<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id
      where ${where.join(' and ')} order by d.created_at desc, d.id desc limit ?`,
    [...params, limit + 1],
  );
  const items = rows.slice(0, limit);
  const attempts = await attemptsOf(
    em,
    items.map((r) => r.id),
  );
  return {
    items: items.map((r) => ({ row: r, attempts: attempts.get(r.id) ?? [] })),
    hasMore: rows.length > limit,
    total: Number(total[0]?.n ?? 0),
  };
}

/** One delivery of the endpoint, with its attempts. */
export async function findDelivery(em: EntityManager, endpointId: string, deliveryId: string) {
  const [row] = await sql(em)<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id
      where d.endpoint_id = ? and d.id = ?`,
    [endpointId, deliveryId],
  );
  if (!row) return null;
  const attempts = await attemptsOf(em, [row.id]);
  return toDeliveryDto(row, attempts.get(row.id) ?? []);
}
