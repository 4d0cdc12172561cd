/**
 * Who may enter an SSO event: the rules of closed events (IdP groups granted to the event, the
 * allowOutsideIdpGroups setting) and of the directory (deactivated users). Pure; the API's
 * invite and login handlers and the reconciliation activity all ask here.
 *
 * Membership always comes from the SCIM-synced directory, never from a group claim of an ID
 * token: identity providers drop the groups claim above ~150–200 groups.
 */

/** The actor of history rows written by SSO logins, and of the invitation of a group admission. */
export const SSO_ACTOR = 'sso';

export const ACCESS_REFUSALS = ['idp_user_inactive', 'outside_idp_groups', 'not_invited'] as const;
export type AccessRefusal = (typeof ACCESS_REFUSALS)[number];

export interface EntryFacts {
  /** `closed: true`: access comes from the groups granted to the event. */
  closed: boolean;
  allowOutsideIdpGroups: boolean;
  /** The person's account in the organization's SCIM directory. */
  directory: 'active' | 'inactive' | 'absent';
  /** An active directory user who is a member of at least one group granted to the event. */
  memberOfGrantedGroup: boolean;
  /** On the attendee list through an organizer's invitation (not admitted through a group by SSO). */
  invitedByOrganizer: boolean;
}

export type EntryDecision =
  | { ok: true; via: 'group' | 'invitation' }
  | { ok: false; code: AccessRefusal; message: string };

const MESSAGES: Record<AccessRefusal, string> = {
  idp_user_inactive: 'Your account is deactivated in your organization’s identity provider.',
  outside_idp_groups: 'Access to this event is limited to members of the identity-provider groups it grants.',
  not_invited: 'You are not invited to this event.',
};

const refuse = (code: AccessRefusal): EntryDecision => ({ ok: false, code, message: MESSAGES[code] });

/**
 * Whether a person who just authenticated at the organization's IdP may enter the event.
 * - A deactivated directory user never enters.
 * - On a closed event, an active member of a granted group enters (invited on the fly if needed).
 * - Anyone else enters only if an organizer invited them, and on a closed event only while
 *   allowOutsideIdpGroups is on.
 */
export function decideSsoEntry(facts: EntryFacts): EntryDecision {
  if (facts.directory === 'inactive') return refuse('idp_user_inactive');
  if (facts.closed && facts.memberOfGrantedGroup) return { ok: true, via: 'group' };
  if (facts.closed && !facts.allowOutsideIdpGroups) return refuse('outside_idp_groups');
  if (!facts.invitedByOrganizer) return refuse('not_invited');
  return { ok: true, via: 'invitation' };
}

/** Whether an organizer (single invite, bulk row) or a registration may add this person. */
export function decideInvite(facts: {
  closed: boolean;
  allowOutsideIdpGroups: boolean;
  memberOfGrantedGroup: boolean;
}): { ok: true } | { ok: false; code: 'outside_idp_groups'; message: string } {
  if (facts.closed && !facts.allowOutsideIdpGroups && !facts.memberOfGrantedGroup) {
    return {
      ok: false,
      code: 'outside_idp_groups',
      message:
        'This event admits only members of its identity-provider groups (allowOutsideIdpGroups is off), and this person is not one.',
    };
  }
  return { ok: true };
}

export const ACCESS_GROUP_FILTERS = ['all', 'granted', 'not_granted'] as const;
export type AccessGroupFilter = (typeof ACCESS_GROUP_FILTERS)[number];
