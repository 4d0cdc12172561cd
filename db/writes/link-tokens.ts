import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { hashSecret, newToken } from '../../domain/secrets';
import type { TokenKind } from '../queries/tokens';
import { sql } from '../sql';

export interface LinkTokenRequest {
  attendeeId: string;
  eventId: string;
  kind: TokenKind;
  /** The event-site page the link opens: `invitation`, `confirm`, `login`. */
  path: string;
  expiresAt: Date;
  /** A token made elsewhere (the API's login link): only its hash is stored, and the link is answered without it. */
  tokenHash?: string;
}

export interface IssuedLink {
  url: string;
  expiresAt: string;
}

/**
 * The one place link tokens are issued: 256-bit single-use tokens stored as sha256 (one statement
 * for any number), and the event-site links that carry them as `?token=`.
 */
export async function issueLinkTokens(
  em: EntityManager,
  eventSiteUrl: string,
  requests: readonly LinkTokenRequest[],
): Promise<IssuedLink[]> {
  if (requests.length === 0) return [];
  const tokens = requests.map((r) => (r.tokenHash ? null : newToken()));
  await sql(em)(
    `insert into access_tokens (id, attendee_id, kind, token_hash, expires_at, used_at, created_at)
     select r.id, r.attendee_id, r.kind, r.token_hash, r.expires_at, null, now()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, attendee_id uuid, kind text, token_hash text, expires_at timestamptz)`,
    [
      JSON.stringify(
        requests.map((r, i) => ({
          id: randomUUID(),
          attendee_id: r.attendeeId,
          kind: r.kind,
          token_hash: r.tokenHash ?? hashSecret(tokens[i] as string),
          expires_at: r.expiresAt.toISOString(),
        })),
      ),
    ],
  );
  return requests.map((r, i) => {
    const url = new URL(`/events/${r.eventId}/${r.path.replace(/^\/+/, '')}`, eventSiteUrl);
    const token = tokens[i];
    if (token) url.searchParams.set('token', token);
    return { url: url.toString(), expiresAt: r.expiresAt.toISOString() };
  });
}
