/**
 * Unsubscribing through a bulk email's List-Unsubscribe link (domain/list-unsubscribe.ts): the
 * token names an attendee; their address is suppressed for the event's organization. One routine
 * for the public API (`POST /v1/public/unsubscribe`) and the page at the link (api/pages).
 */
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../../db/sql';
import { addSuppression } from '../../db/writes/suppressions';
import { openUnsubscribeToken } from '../../domain/list-unsubscribe';
import type { AppDeps } from '../context';

export interface UnsubscribeOwner {
  attendee_id: string;
  email: string;
  language: string;
  event_id: string;
  organization_id: string;
}

/** Whose link this is; null for a malformed or forged token, or a person since erased. */
export async function unsubscribeOwner(
  deps: AppDeps,
  em: EntityManager,
  token: string,
): Promise<UnsubscribeOwner | null> {
  const attendeeId = deps.unsubscribeTokens ? openUnsubscribeToken(deps.unsubscribeTokens, token) : null;
  if (!attendeeId) return null;
  const [row] = await sql(em)<UnsubscribeOwner[]>(
    `select a.id as attendee_id, a.email, a.language, a.event_id, e.organization_id
       from attendees a join events e on e.id = a.event_id where a.id = ?`,
    [attendeeId],
  );
  return row ?? null;
}

/**
 * Suppresses the link's address for the organization (reason `unsubscribe`); doing it again
 * changes nothing. Null when the token names nobody.
 */
export async function unsubscribe(deps: AppDeps, em: EntityManager, token: string) {
  const owner = await unsubscribeOwner(deps, em, token);
  if (!owner) return null;
  await addSuppression(em, {
    organizationId: owner.organization_id,
    email: owner.email,
    reason: 'unsubscribe',
    source: 'list_unsubscribe',
    eventId: owner.event_id,
  });
  return owner;
}
