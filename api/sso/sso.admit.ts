import { type AttendeeRow, findAttendee, findAttendeeByEmail } from '../../db/queries/attendees';
import { type DirectoryMatch, directoryMatches, invitedBy } from '../../db/queries/directory';
import { type EventRow, eventRules } from '../../db/queries/events';
import { createSession } from '../../db/queries/tokens';
import { decideSsoEntry, SSO_ACTOR } from '../../domain/access';
import { checkEmail } from '../../domain/email-address';
import { inviteThroughWorkflow } from '../access/invite';
import { sendCommand } from '../attendees/attendees.handlers';
import type { AppDeps } from '../context';
import { ProblemError, problemBody } from '../problem';

/** Who the OpenID Provider says logged in (from the ID token, else the userinfo endpoint). */
export interface SsoIdentity {
  subject: string;
  email: string | null;
  /** preferred_username / upn: Entra ID's UPN is usually the SCIM userName. */
  usernames: string[];
  givenName: string | null;
  familyName: string | null;
  name: string | null;
}

/** A refusal of an authenticated person: 403 with a stable code. */
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

/** The address the person is invited under: the directory's email, else an email-shaped userName, else the claim. */
function addressOf(person: DirectoryMatch | undefined, identity: SsoIdentity): string | null {
  for (const candidate of [person?.email, person?.user_name, identity.email, ...identity.usernames]) {
    if (!candidate) continue;
    const checked = checkEmail(candidate);
    if (checked.ok) return checked.email;
  }
  return null;
}

const clip = (value: string, max: number) => value.slice(0, max);

/**
 * Lets an authenticated person into an SSO event, or refuses them (domain/access.ts): the person
 * is matched to the SCIM directory by email / userName and authorized from the synced membership
 * (never from a group claim). A member of a granted group who was never invited is invited first
 * (by `sso`, without email). Then `sso_login` on the attendee's workflow, and a session.
 */
export async function admit(deps: AppDeps, event: EventRow, identity: SsoIdentity) {
  const em = deps.orm.em.fork();
  const organizationId = event.organization.id;
  const keys = lower([identity.email, ...identity.usernames]);
  const matches = await directoryMatches(em, organizationId, event.id, keys);
  const active = matches.filter((m) => m.active);
  const person = active[0] ?? matches[0];
  const address = addressOf(person, identity);
  if (!address) {
    throw new SsoRefusal(
      'sso_no_email',
      'The identity provider did not give an email address for this account.',
    );
  }

  // The attendee, under the directory's address or any address the IdP gave.
  let row: AttendeeRow | null = null;
  for (const key of lower([address, ...keys])) {
    row = await findAttendeeByEmail(em, event.id, key);
    if (row) break;
  }
  const firstActor = row ? await invitedBy(em, row.id) : null;
  const decision = decideSsoEntry({
    closed: event.closed,
    allowOutsideIdpGroups: event.allowOutsideIdpGroups,
    directory: active.length > 0 ? 'active' : matches.length > 0 ? 'inactive' : 'absent',
    memberOfGrantedGroup: active.some((m) => m.granted_member),
    invitedByOrganizer: firstActor !== null && firstActor !== SSO_ACTOR,
  });
  if (!decision.ok) throw new SsoRefusal(decision.code, decision.message);

  if (!row) {
    const checked = checkEmail(address);
    if (!checked.ok) throw new SsoRefusal('sso_no_email', checked.message);
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

  await sendCommand(deps, row, { command: { type: 'sso_login' }, event: eventRules(event), by: SSO_ACTOR });
  const after = await findAttendee(em, organizationId, event.id, row.id);
  if (!after) throw new Error(`attendee ${row.id} missing from the read model after sso_login`);
  const session = await createSession(em, after.id);
  return { attendee: after, session };
}
