import type { EntityManager } from '@mikro-orm/core';
import { type AttendeeRow, findAttendee, findAttendeeByEmail } from '../../db/queries/attendees';
import {
  bindOidcSubject,
  boundDirectoryUser,
  type DirectoryMatch,
  directoryMatches,
  invitedBy,
} from '../../db/queries/directory/sso-matching';
import { type EventRow, eventRules } from '../../db/queries/events';
import { createSession } from '../../db/queries/tokens';
import { decideSsoEntry, SSO_ACTOR } from '../../domain/access';
import { checkEmail } from '../../domain/email-address';
import { inviteThroughWorkflow } from '../access/invite';
import type { AppDeps } from '../context';
import { ProblemError, problemBody } from '../problem';
import { sendCommand } from '../shared/commands';
import type { SsoIdentity } from './sso.identity';

/** A refusal of an authenticated person: 403 with a stable code (and no claim values). */
export class SsoRefusal extends ProblemError {
  constructor(code: string, detail: string) {
    super(403, code, detail);
  }
}

export const forbiddenBody = (code: string, detail: string) => ({
  ...problemBody(403, code, detail),
  title: 'Forbidden',
});

const lower = (values: (string | null | undefined)[]) => [
  ...new Set(
    values
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
      .map((v) => v.trim().toLowerCase()),
  ),
];

/** The email-shaped addresses among the candidates, as attendee keys, in order. */
function addresses(candidates: (string | null | undefined)[]) {
  const found: { email: string; key: string }[] = [];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const checked = checkEmail(candidate);
    if (checked.ok && !found.some((f) => f.key === checked.key))
      found.push({ email: checked.email, key: checked.key });
  }
  return found;
}

const clip = (value: string, max: number) => value.slice(0, max);

const MISMATCH =
  'This directory account is already linked to another identity provider account. Ask your administrator.';

/**
 * The directory user this IdP account is. Once bound, only the binding counts (claims can change);
 * an unbound account matches by SCIM externalId = subject, else by a trusted claim only (a verified
 * email, or the username the settings trust), and the match binds the account to that user.
 */
async function directoryPerson(
  deps: AppDeps,
  em: EntityManager,
  organizationId: string,
  eventId: string,
  identity: SsoIdentity,
): Promise<DirectoryMatch | null> {
  const bound = await boundDirectoryUser(em, organizationId, eventId, identity.issuer, identity.subject);
  if (bound) return bound;
  const matches = await directoryMatches(em, organizationId, eventId, {
    subject: identity.subject,
    emailKeys: lower([identity.trustedEmail]),
    userNameKeys: lower([identity.trustedUsername]),
  });
  const person = matches[0];
  if (!person) return null;
  if (person.oidc_issuer === identity.issuer && person.oidc_subject !== identity.subject) {
    deps.logger.warn(
      { organizationId, eventId, directoryUserId: person.id },
      'SSO login refused: the directory user is bound to another IdP account',
    );
    throw new SsoRefusal('sso_account_mismatch', MISMATCH);
  }
  if (!(await bindOidcSubject(em, organizationId, person.id, identity.issuer, identity.subject))) {
    deps.logger.warn(
      { organizationId, eventId, directoryUserId: person.id },
      'SSO login refused: binding the IdP account lost to another binding',
    );
    throw new SsoRefusal('sso_account_mismatch', MISMATCH);
  }
  return person;
}

/**
 * Lets an authenticated person into an SSO event, or refuses them (domain/access.ts): the person
 * is matched to the SCIM directory (directoryPerson) and authorized from the synced membership
 * (never from a group claim). A member of a granted group who was never invited is invited first
 * (by `sso`, without email). Then `sso_login` on the attendee's workflow, and a session.
 * Nothing here trusts an unverified claim: a person outside the directory is found by a verified
 * email (or trusted username) only.
 */
export async function admit(
  deps: AppDeps,
  event: EventRow,
  identity: SsoIdentity,
  em: EntityManager = deps.orm.em.fork(),
) {
  const organizationId = event.organization.id;
  const person = await directoryPerson(deps, em, organizationId, event.id, identity);
  // A directory user is on the list under their directory addresses; anyone else under a trusted claim.
  const candidates = person
    ? addresses([person.email, person.user_name])
    : addresses([identity.trustedEmail, identity.trustedUsername]);
  const address = candidates[0];
  if (!address) {
    if (!person && identity.unverifiedEmail) {
      throw new SsoRefusal(
        'sso_email_unverified',
        'The identity provider did not confirm that this account owns its email address.',
      );
    }
    throw new SsoRefusal(
      'sso_no_email',
      'The identity provider did not give an email address for this account.',
    );
  }

  let row: AttendeeRow | null = null;
  for (const candidate of candidates) {
    row = await findAttendeeByEmail(em, event.id, candidate.key);
    if (row) break;
  }
  const firstActor = row ? await invitedBy(em, row.id) : null;
  const decision = decideSsoEntry({
    closed: event.closed,
    allowOutsideIdpGroups: event.allowOutsideIdpGroups,
    directory: person ? (person.active ? 'active' : 'inactive') : 'absent',
    memberOfGrantedGroup: person?.active === true && person.granted_member,
    invitedByOrganizer: firstActor !== null && firstActor !== SSO_ACTOR,
  });
  if (!decision.ok) throw new SsoRefusal(decision.code, decision.message);

  if (!row) {
    const checked = checkEmail(address.email);
    if (!checked.ok) throw new SsoRefusal('sso_no_email', 'The email address of this account is not valid.');
    const fallbackName = (identity.name ?? checked.email.split('@')[0] ?? '').trim();
    await inviteThroughWorkflow(
      deps,
      event,
      {
        email: checked.email,
        emailKey: checked.key,
        firstName: clip(person?.given_name ?? identity.givenName ?? fallbackName, 100),
        lastName: clip(person?.family_name ?? identity.familyName ?? '', 100),
      },
      { sendEmail: false, by: SSO_ACTOR },
    );
    row = await findAttendeeByEmail(em, event.id, checked.key);
    if (!row) throw new Error(`attendee ${checked.key} missing from the read model after its SSO invite`);
  }

  // Blocked and unregistered people stay out whatever their groups say: block is how an organizer
  // keeps one member of a granted group out (a removal lasts only until the next invite or login).
  if (row.status === 'blocked') {
    throw new SsoRefusal('attendee_blocked', 'You have been blocked from this event. Contact the organizer.');
  }
  if (row.status === 'unregistered') {
    throw new SsoRefusal('attendee_unregistered', 'You unregistered from this event. Contact the organizer.');
  }
  await sendCommand(deps, row, { command: { type: 'sso_login' }, event: eventRules(event), by: SSO_ACTOR });
  const after = await findAttendee(em, organizationId, event.id, row.id);
  if (!after) throw new Error(`attendee ${row.id} missing from the read model after sso_login`);
  const session = await createSession(em, after.id);
  return { attendee: after, session };
}
