import type { EntityManager } from '@mikro-orm/core';
import { outsiders } from '../../db/queries/directory/event-access';
import type { EventRow } from '../../db/queries/events';
import { decideInvite } from '../../domain/access';
import { ProblemError } from '../problem';

/**
 * `allowOutsideIdpGroups: false` on a closed event: refuses (409 outside_idp_groups) to add a
 * person who is not an active member of a granted group. Single invites call it; the bulk import
 * uses `outsiders()` (db/queries/directory.ts) for a page of rows at once.
 */
export async function assertInsideIdpGroups(em: EntityManager, event: EventRow, emailKey: string) {
  if (!event.closed || event.allowOutsideIdpGroups) return;
  const outside = await outsiders(em, event.id, [emailKey]);
  const decision = decideInvite({
    closed: event.closed,
    allowOutsideIdpGroups: event.allowOutsideIdpGroups,
    memberOfGrantedGroup: !outside.has(emailKey),
  });
  if (!decision.ok) throw new ProblemError(409, decision.code, decision.message);
}
