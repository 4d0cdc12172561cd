import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../../sql';

/** What the access reconciliation reads and ends: sessions of people who lost access. */

export interface SessionHolderRow {
  attendee_id: string;
  event_id: string;
  closed: boolean;
  allow_outside_idp_groups: boolean;
  matched: boolean;
  any_active: boolean;
  granted_member: boolean;
  first_actor: string | null;
}

/**
 * Attendees of the organization's SSO events who hold a live session, with the directory facts
 * the entry rules read (see domain/access.ts).
 */
export function sessionHolders(em: EntityManager, organizationId: string) {
  return sql(em)<SessionHolderRow[]>(
    `select a.id as attendee_id, a.event_id, e.closed, e.allow_outside_idp_groups,
        exists (select 1 from directory_users u where u.organization_id = e.organization_id
                and (u.email_key = a.email_key or u.user_name_key = a.email_key)) as matched,
        exists (select 1 from directory_users u where u.organization_id = e.organization_id and u.active
                and (u.email_key = a.email_key or u.user_name_key = a.email_key)) as any_active,
        exists (select 1 from directory_users u
                  join directory_memberships m on m.user_id = u.id
                  join event_group_grants gr on gr.group_id = m.group_id and gr.event_id = e.id
                 where u.organization_id = e.organization_id and u.active
                   and (u.email_key = a.email_key or u.user_name_key = a.email_key)) as granted_member,
        (select h.actor from attendee_history h where h.attendee_id = a.id order by h.at, h.id limit 1)
          as first_actor
       from attendees a
       join events e on e.id = a.event_id and e.organization_id = ? and e.login_mode = 'sso'
      where a.removed_at is null
        and exists (select 1 from attendee_sessions s where s.attendee_id = a.id and s.expires_at > now())`,
    [organizationId],
  );
}

/** Ends the live sessions of the attendees (the rows stay, expired now). */
export async function endSessions(em: EntityManager, attendeeIds: string[]) {
  if (attendeeIds.length === 0) return 0;
  const rows = await sql(em)<{ id: string }[]>(
    `update attendee_sessions set expires_at = now()
      where attendee_id::text = any(array[?]::text[]) and expires_at > now() returning id`,
    [attendeeIds],
  );
  return rows.length;
}

/** Organizations with an SSO event: what the scheduled sweep walks. */
export async function organizationsWithSsoEvents(em: EntityManager) {
  const rows = await sql(em)<{ organization_id: string }[]>(
    "select distinct organization_id from events where login_mode = 'sso' order by organization_id",
  );
  return rows.map((r) => r.organization_id);
}
