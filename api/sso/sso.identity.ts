import type { MatchClaim } from '../../db/queries/directory/oidc';

/**
 * Who the OpenID Provider says logged in, reduced to what Roster may trust. Pure: the claims come
 * from a validated ID token (and the userinfo endpoint), the rules from the organization's settings.
 */
export interface SsoIdentity {
  issuer: string;
  /** The IdP's stable key of the account: `sub`, or for Entra ID `<tid>/<oid>` (see subjectOf). */
  subject: string;
  /** The `email` claim, only when the IdP marks it verified. */
  trustedEmail: string | null;
  /** `preferred_username`, only when the settings trust it (Entra ID's UPN). */
  trustedUsername: string | null;
  /** An email claim came without `email_verified: true` (for the refusal's code only). */
  unverifiedEmail: boolean;
  givenName: string | null;
  familyName: string | null;
  name: string | null;
}

/** The longest `sub` OIDC Core allows (255 ASCII characters). */
export const MAX_SUBJECT = 255;

// Entra ID (and its national clouds): v2.0 issuers on login.microsoft…, v1.0 on sts.windows.net.
const ENTRA_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'sts.windows.net',
];

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * The account's stable key. Entra ID's `sub` is pairwise per app registration, so a new
 * registration would orphan every binding; its `oid` (with the tenant `tid`) is the object id
 * Microsoft recommends as the key. Read only from Entra issuers: elsewhere `oid` is just a claim.
 */
export function subjectOf(issuer: string, claims: Record<string, unknown>): string {
  const host = URL.canParse(issuer) ? new URL(issuer).hostname : '';
  const tid = text(claims.tid);
  const oid = text(claims.oid);
  if (ENTRA_HOSTS.includes(host) && tid && oid) return `${tid}/${oid}`;
  return String(claims.sub);
}

/** `email_verified` as IdPs send it: a boolean, or (some) the string "true". */
const verified = (value: unknown) => value === true || value === 'true';

/**
 * The identity from the ID token's claims; `userinfo` completes a token without an email (its
 * `email` and `email_verified` are taken together, never mixed with the token's).
 */
export function identityFrom(
  issuer: string,
  matchClaim: MatchClaim,
  claims: Record<string, unknown>,
  userinfo: Record<string, unknown> = {},
): SsoIdentity {
  const source = text(claims.email) ? claims : userinfo;
  const email = text(source.email);
  const emailVerified = email !== null && verified(source.email_verified);
  const pick = (key: string) => text(claims[key]) ?? text(userinfo[key]);
  return {
    issuer,
    subject: subjectOf(issuer, claims),
    trustedEmail: emailVerified ? email : null,
    trustedUsername: matchClaim === 'preferred_username' ? pick('preferred_username') : null,
    unverifiedEmail: email !== null && !emailVerified,
    givenName: pick('given_name'),
    familyName: pick('family_name'),
    name: pick('name'),
  };
}
