/**
 * The rules for one person to invite, shared by the single invite (JSON) and the bulk invite (CSV):
 * one validation and one normalization, so a row that passes the file check would pass the API too.
 */
import { BIO_MAX, normalizeRoles, PROFILE_ROLES, ROLES, type Role } from './attendee-lifecycle';
import { checkEmail } from './email-address';
import { suggestEmailDomain } from './import-domain-typo';
import { type LanguageCode, parseLanguage } from './languages';

export const INVITEE_MAX_LENGTH = {
  email: 254,
  firstName: 100,
  lastName: 100,
  title: 200,
  company: 200,
  bio: BIO_MAX,
} as const;

export type InviteeField =
  | 'email'
  | 'firstName'
  | 'lastName'
  | 'language'
  | 'roles'
  | 'title'
  | 'company'
  | 'bio';

export type InviteeIssueCode =
  | 'missing_field'
  | 'invalid_email'
  | 'email_special_characters'
  | 'email_domain_typo'
  | 'invalid_language'
  | 'invalid_role'
  | 'field_too_long'
  | 'invalid_characters'
  | 'profile_needs_role';

export interface InviteeIssue {
  field: InviteeField;
  code: InviteeIssueCode;
  message: string;
}

/** Text as a person typed it (a JSON body or the cells of a CSV row); nothing trimmed yet. */
export interface InviteeInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  language?: string | null;
  roles?: readonly string[] | null;
  title?: string | null;
  company?: string | null;
  bio?: string | null;
}

/** A person ready to invite: trimmed, the language code and roles in their canonical form. */
export interface Invitee {
  email: string;
  /** Trimmed and lower-cased: what "the same address" means within an event. */
  emailKey: string;
  firstName: string;
  lastName: string;
  /** Null: the event's default language. */
  language: LanguageCode | null;
  /** Always contains `attendee`. */
  roles: Role[];
  title: string | null;
  company: string | null;
  bio: string | null;
}

export interface CheckInviteeOptions {
  /** Refuse likely domain typos (gmial.com, example.con). Default true. */
  domainTypos?: boolean;
}

export type InviteeCheck =
  | { ok: true; invitee: Invitee }
  /** `emailKey` is set when the address itself is fine (the row may still be a duplicate). */
  | { ok: false; issues: InviteeIssue[]; emailKey: string | null };

const LABELS: Record<InviteeField, string> = {
  email: 'The email address',
  firstName: 'The first name',
  lastName: 'The last name',
  language: 'The language',
  roles: 'The role',
  title: 'The title',
  company: 'The company',
  bio: 'The bio',
};

/** Control characters (line breaks, tabs, NUL…) have no place in a name: they could split an email header. */
export const hasControlCharacters = (value: string) => /\p{Cc}/u.test(value);

const blankToNull = (value: string | null | undefined) => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** `speaker`, `Moderator`, `attendee` in any case; the unknown ones are returned apart. */
export function parseRoles(values: readonly string[]): { roles: Role[]; unknown: string[] } {
  const known: Role[] = [];
  const unknown: string[] = [];
  for (const raw of values) {
    const value = raw.trim().toLowerCase();
    if (value === '') continue;
    const role = ROLES.find((r) => r === value);
    if (role) known.push(role);
    else unknown.push(raw.trim());
  }
  return { roles: normalizeRoles(known), unknown };
}

export function checkInvitee(input: InviteeInput, options: CheckInviteeOptions = {}): InviteeCheck {
  const issues: InviteeIssue[] = [];
  const issue = (field: InviteeField, code: InviteeIssueCode, message: string) =>
    issues.push({ field, code, message });

  const text = (
    field: 'email' | 'firstName' | 'lastName' | 'title' | 'company' | 'bio',
    required: boolean,
  ) => {
    const value = blankToNull(input[field]);
    if (value === null) {
      if (required) issue(field, 'missing_field', `${LABELS[field]} is missing.`);
      return null;
    }
    const max = INVITEE_MAX_LENGTH[field];
    if (value.length > max) {
      issue(
        field,
        'field_too_long',
        `${LABELS[field]} is ${value.length} characters long; at most ${max} fit.`,
      );
      return null;
    }
    if ((field === 'firstName' || field === 'lastName') && hasControlCharacters(value)) {
      issue(field, 'invalid_characters', `${LABELS[field]} contains control characters such as line breaks.`);
      return null;
    }
    return value;
  };

  const rawEmail = text('email', true);
  let email: { email: string; key: string } | null = null;
  let key: string | null = null;
  if (rawEmail !== null) {
    const checked = checkEmail(rawEmail);
    if (!checked.ok) issue('email', checked.code, checked.message);
    else {
      key = checked.key;
      const intended = options.domainTypos === false ? undefined : suggestEmailDomain(checked.email);
      if (intended) {
        const at = checked.email.lastIndexOf('@');
        issue(
          'email',
          'email_domain_typo',
          `The domain "${checked.email.slice(at + 1)}" looks like a typo: did you mean ${checked.email.slice(0, at + 1)}${intended}?`,
        );
      } else email = { email: checked.email, key: checked.key };
    }
  }
  const firstName = text('firstName', true);
  const lastName = text('lastName', true);

  let language: LanguageCode | null = null;
  const rawLanguage = blankToNull(input.language);
  if (rawLanguage !== null) {
    const parsed = parseLanguage(rawLanguage);
    if (parsed) language = parsed;
    else issue('language', 'invalid_language', `"${rawLanguage}" is not one of the invitation languages.`);
  }

  const { roles, unknown } = parseRoles(input.roles ?? []);
  if (unknown.length > 0) {
    issue(
      'roles',
      'invalid_role',
      `Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}: use speaker, moderator or both (speaker|moderator).`,
    );
  }

  const title = text('title', false);
  const company = text('company', false);
  const bio = text('bio', false);
  // Title and company are for everyone (the reference's CSV template has them for every person);
  // the bio is part of a speaker's or moderator's public profile.
  if (unknown.length === 0 && bio !== null && !roles.some((r) => PROFILE_ROLES.has(r))) {
    issue('bio', 'profile_needs_role', `${LABELS.bio} is only kept for speakers and moderators.`);
  }

  if (issues.length > 0 || !email || firstName === null || lastName === null) {
    return { ok: false, issues, emailKey: key };
  }
  return {
    ok: true,
    invitee: {
      email: email.email,
      emailKey: email.key,
      firstName,
      lastName,
      language,
      roles,
      title,
      company,
      bio,
    },
  };
}
