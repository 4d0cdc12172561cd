/**
 * The one writer of webhook endpoints' settings (API: create, change, rotate the secret,
 * delete). Their health (failing, backing off, disabled by failures) is written by
 * db/writes/webhook-deliveries.ts. Every statement is scoped by organization.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WebhookEventType } from '../../domain/webhooks';
import { sql } from '../sql';

export interface NewEndpoint {
  id: string;
  organizationId: string;
  url: string;
  description: string | null;
  eventTypes: readonly WebhookEventType[];
  secretSealed: string;
}

export async function insertEndpoint(em: EntityManager, endpoint: NewEndpoint): Promise<void> {
  await sql(em)(
    `insert into webhook_endpoints (id, organization_id, url, description, event_types, secret_sealed, enabled,
       consecutive_failures, created_at, updated_at)
     values (?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, true, 0, now(), now())`,
    [
      endpoint.id,
      endpoint.organizationId,
      endpoint.url,
      endpoint.description,
      JSON.stringify(endpoint.eventTypes),
      endpoint.secretSealed,
    ],
  );
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: readonly WebhookEventType[];
  enabled?: boolean;
}

/**
 * Applies the changes; enabling clears the disabled state and the failure history (deliveries
 * still pending go out again), disabling stores the reason. Answers whether the endpoint was
 * found and whether it is enabled now after having been disabled.
 */
export async function updateEndpoint(
  em: EntityManager,
  organizationId: string,
  endpointId: string,
  changes: EndpointChanges,
): Promise<{ found: boolean; reenabled: boolean }> {
  const [before] = await sql(em)<{ enabled: boolean }[]>(
    'select enabled from webhook_endpoints where id = ? and organization_id = ? for update',
    [endpointId, organizationId],
  );
  if (!before) return { found: false, reenabled: false };
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [];
  if (changes.url !== undefined) {
    sets.push('url = ?');
    params.push(changes.url);
  }
  if (changes.description !== undefined) {
    sets.push('description = ?');
    params.push(changes.description);
  }
  if (changes.eventTypes !== undefined) {
    sets.push('event_types = array(select jsonb_array_elements_text(?::jsonb))');
    params.push(JSON.stringify(changes.eventTypes));
  }
  if (changes.enabled === true && !before.enabled) {
    sets.push(
      'enabled = true, disabled_reason = null, disabled_at = null, failing_since = null, consecutive_failures = 0, retry_at = null',
    );
  }
  if (changes.enabled === false && before.enabled) {
    sets.push(`enabled = false, disabled_at = now(), disabled_reason = 'Disabled through the API.'`);
  }
  await sql(em)(`update webhook_endpoints set ${sets.join(', ')} where id = ? and organization_id = ?`, [
    ...params,
    endpointId,
    organizationId,
  ]);
  return { found: true, reenabled: changes.enabled === true && !before.enabled };
}

/**
 * A new signing secret; the current one stays valid (signs beside it) until `previousExpiresAt`.
 * False when the endpoint is not the organization's.
 */
export async function rotateSecret(
  em: EntityManager,
  organizationId: string,
  endpointId: string,
  newSealed: string,
  previousExpiresAt: Date,
): Promise<boolean> {
  const rows = await sql(em)<{ id: string }[]>(
    `update webhook_endpoints
        set previous_secret_sealed = secret_sealed, previous_secret_expires_at = ?, secret_sealed = ?,
            updated_at = now()
      where id = ? and organization_id = ? returning id`,
    [previousExpiresAt.toISOString(), newSealed, endpointId, organizationId],
  );
  return rows.length > 0;
}

/** Deletes the endpoint with its deliveries and attempts; false when it is not the organization's. */
export async function deleteEndpoint(em: EntityManager, organizationId: string, endpointId: string) {
  const rows = await sql(em)<{ id: string }[]>(
    'delete from webhook_endpoints where id = ? and organization_id = ? returning id',
    [endpointId, organizationId],
  );
  return rows.length > 0;
}
