import { log } from '@temporalio/activity';
import type { Orm } from '../db/orm';
import {
  endSessions,
  organizationsWithSsoEvents,
  sessionHolders,
} from '../db/queries/directory/reconciliation';
import { decideSsoEntry, SSO_ACTOR } from '../domain/access';
import type { ReconcileResult } from '../workflows/access/definitions';

export interface AccessActivityDeps {
  orm: Orm;
}

/** Activities of the access reconciliation: a factory over the ORM, like the others. */
export const createAccessActivities = (deps: AccessActivityDeps) => ({
  /**
   * Ends the live sessions of the organization's SSO attendees whom the entry rules now refuse
   * (deactivated or deleted directory users, members of groups that lost access, outsiders where
   * they are no longer allowed). Their attendee rows and history stay. Idempotent.
   */
  async reconcileOrganizationAccess({
    organizationId,
  }: {
    organizationId: string;
  }): Promise<ReconcileResult> {
    const em = deps.orm.em.fork();
    const holders = await sessionHolders(em, organizationId);
    const refused = holders.filter(
      (h) =>
        !decideSsoEntry({
          closed: h.closed,
          allowOutsideIdpGroups: h.allow_outside_idp_groups,
          directory: h.any_active ? 'active' : h.matched ? 'inactive' : 'absent',
          memberOfGrantedGroup: h.granted_member,
          invitedByOrganizer: h.first_actor !== null && h.first_actor !== SSO_ACTOR,
        }).ok,
    );
    const sessionsEnded = await endSessions(
      em,
      refused.map((h) => h.attendee_id),
    );
    if (refused.length > 0) {
      log.info('access revoked', { organizationId, attendees: refused.length, sessionsEnded });
    }
    return { checked: holders.length, revoked: refused.length, sessionsEnded };
  },

  async listSsoOrganizations(): Promise<string[]> {
    return organizationsWithSsoEvents(deps.orm.em.fork());
  },
});

export type AccessActivities = ReturnType<typeof createAccessActivities>;
