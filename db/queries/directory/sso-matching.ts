import type { EntityManager } from '@mikro-orm/core';
import { sql, uniqueViolation } from '../../sql';
import { GRANTED_MEMBER } from './event-access';

/** Matching an OIDC login to a directory user, and binding the IdP account to it. */

export interface DirectoryMatch {
  id: string;
  user_name: string;
  email: string | null;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  active: boolean;
  granted_member: boolean;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const MATCH_COLUMNS = `u.id, u.user_name, u.email, u.given_name, u.family_name, u.display_name, u.active,
  ${GRANTED_MEMBER} as granted_member, u.oidc_issuer, u.oidc_subject`;

/** The directory user bound to this IdP account (issuer + subject), with their grant for the event. */
export async function boundDirectoryUser(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  issuer: string,
  subject: string,
) {
  const [row] = await sql(em)<DirectoryMatch[]>(
    `select ${MATCH_COLUMNS} from directory_users u
      where u.organization_id = ? and u.oidc_issuer = ? and u.oidc_subject = ?`,
    [eventId, organizationId, issuer, subject],
  );
  return row ?? null;
}

/**
 * Candidates for a first OIDC login, best first: the user whose SCIM externalId is the IdP subject
 * (Okta pushes its user id, the ID token's `sub`), then users matching a trusted email (email or
 * userName) or a trusted username (userName only); active before inactive.
 */
export function directoryMatches(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  keys: { subject: string; emailKeys: string[]; userNameKeys: string[] },
) {
  return sql(em)<DirectoryMatch[]>(
    `select ${MATCH_COLUMNS} from directory_users u
      where u.organization_id = ?
        and (u.external_id = ? or u.email_key = any(array[?]::text[])
             or u.user_name_key = any(array[?]::text[]))
      order by (u.external_id = ?) is not true, u.active desc, u.created_at, u.id`,
    [
      eventId,
      organizationId,
      keys.subject,
      keys.emailKeys,
      [...keys.emailKeys, ...keys.userNameKeys],
      keys.subject,
    ],
  );
}

/**
 * Binds an IdP account to a directory user on its first login. Refused (false) when the user is
 * bound to another account of the same issuer, or the account to another user (unique constraint).
 * A binding made under another issuer (the organization changed its IdP) is replaced.
 */
export async function bindOidcSubject(
  em: EntityManager,
  organizationId: string,
  userId: string,
  issuer: string,
  subject: string,
) {
  try {
    const rows = await sql(em)<{ id: string }[]>(
      `update directory_users set oidc_issuer = ?, oidc_subject = ?
        where organization_id = ? and id = ?
          and (oidc_subject is null or oidc_issuer is distinct from ? or oidc_subject = ?)
        returning id`,
      [issuer, subject, organizationId, userId, issuer, subject],
    );
    return rows.length > 0;
  } catch (error) {
    if (uniqueViolation(error)) return false;
    throw error;
  }
}

/** Who put the attendee on the list: the actor of the first history row (`sso` for a group admission). */
export async function invitedBy(em: EntityManager, attendeeId: string) {
  const [row] = await sql(em)<{ actor: string }[]>(
    'select actor from attendee_history where attendee_id = ? order by at, id limit 1',
    [attendeeId],
  );
  return row?.actor ?? null;
}
