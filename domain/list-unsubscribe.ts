/**
 * List-Unsubscribe (RFC 2369) with one-click (RFC 8058) for bulk emails on the broadcast stream,
 * as mailbox providers' bulk-sender rules require: each message names an https URL of Roster that
 * takes `POST` with `List-Unsubscribe=One-Click` and suppresses the address for the organization.
 * The URL carries a token: the attendee's id sealed (AES-256-GCM, authenticated) with the payload
 * keys every API and worker process already shares (config/payload-codec.ts), so it cannot be
 * forged or pointed at another address, and needs no row per message.
 */

/** What seals and opens the tokens: the payload keys' SecretBox (config/payload-codec.ts). */
export interface SealingBox {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const CONTEXT = 'list-unsubscribe';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The body a one-click unsubscribe POST carries (RFC 8058). */
export const ONE_CLICK_BODY = 'List-Unsubscribe=One-Click';

/** A URL-safe token for the attendee's unsubscribe link: `<key id>.<base64url of the sealed id>`. */
export function unsubscribeToken(box: SealingBox, attendeeId: string): string {
  const sealed = box.seal(attendeeId, CONTEXT);
  const colon = sealed.indexOf(':');
  const data = Buffer.from(sealed.slice(colon + 1), 'base64').toString('base64url');
  return `${sealed.slice(0, colon)}.${data}`;
}

/** The attendee a token was issued for; null when it is malformed, forged or from a removed key. */
export function openUnsubscribeToken(box: SealingBox, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot < 1 || token.length > 300) return null;
  const data = token.slice(dot + 1);
  const bytes = Buffer.from(data, 'base64url');
  // Canonical base64url only: one token per sealed value, not variants in the unused low bits.
  if (!/^[A-Za-z0-9_-]+$/.test(data) || bytes.toString('base64url') !== data) return null;
  try {
    const id = box.open(`${token.slice(0, dot)}:${bytes.toString('base64')}`, CONTEXT);
    return UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** The page (GET) and one-click endpoint (POST) of an attendee's unsubscribe link. */
export function unsubscribeUrl(baseUrl: string, eventId: string, token: string): string {
  const url = new URL(`/events/${eventId}/unsubscribe`, baseUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/** The headers of a bulk message: the https link, and that a POST to it unsubscribes at once. */
export function listUnsubscribeHeaders(url: string): { name: string; value: string }[] {
  return [
    { name: 'List-Unsubscribe', value: `<${url}>` },
    { name: 'List-Unsubscribe-Post', value: ONE_CLICK_BODY },
  ];
}

/** The unsubscribe URL of each attendee, under Roster's public base URL. */
export const unsubscribeLinks =
  (baseUrl: string, box: SealingBox) =>
  (attendeeId: string, eventId: string): string =>
    unsubscribeUrl(baseUrl, eventId, unsubscribeToken(box, attendeeId));
