/** Email address rules shared by single and bulk invites. */

export type EmailCheck =
  | { ok: true; email: string; key: string }
  | { ok: false; code: 'invalid_email' | 'email_special_characters'; message: string };

// RFC 5322 dot-atom for the local part (no quoted strings: no mail system here sends to them).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// RFC 1035 labels; at least one dot and an alphabetic top-level domain (the practical rule).
const DOMAIN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const NON_ASCII = /[^\p{ASCII}]/u;

/** The comparison key of an address: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(raw: string): EmailCheck {
  const email = raw.trim();
  if (email === '') return { ok: false, code: 'invalid_email', message: 'The email address is empty.' };
  if (NON_ASCII.test(email)) {
    return {
      ok: false,
      code: 'email_special_characters',
      message: 'The email address contains special (non-ASCII) characters, which are not supported.',
    };
  }
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (at <= 0 || email.length > 254 || local.length > 64 || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    return { ok: false, code: 'invalid_email', message: `"${email}" is not a valid email address.` };
  }
  return { ok: true, email, key: emailKey(email) };
}

/** Lower-case, accent-free text for substring search ("José" matches "jose"). */
export function searchText(...parts: string[]): string {
  return parts.join(' ').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
