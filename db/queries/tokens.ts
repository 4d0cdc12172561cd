import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { hashSecret, newToken, SESSION_TTL_HOURS } from '../../domain/secrets';

export type TokenKind = 'invitation' | 'registration_confirmation' | 'login_link';

/**
 * Marks a link token used and answers whom it belongs to. One statement, so of two concurrent
 * uses exactly one wins; expired, used, unknown and removed-attendee tokens all answer null.
 */
export async function consumeToken(em: EntityManager, token: string, kinds: TokenKind[]) {
  const rows = await em
    .getConnection()
    .execute<{ id: string; attendee_id: string; kind: TokenKind; event_id: string }[]>(
      `update access_tokens t set used_at = now()
       from attendees a
      where t.token_hash = ? and t.kind in (${kinds.map(() => '?').join(', ')})
        and t.used_at is null and t.expires_at > now()
        and a.id = t.attendee_id and a.removed_at is null
      returning t.id, t.attendee_id, t.kind, a.event_id`,
      [hashSecret(token), ...kinds],
    );
  return rows[0] ?? null;
}

/** Gives a token back when the command it was spent on failed for a reason that is not final. */
export async function releaseToken(em: EntityManager, tokenId: string) {
  await em.getConnection().execute('update access_tokens set used_at = null where id = ?', [tokenId]);
}

export async function createSession(em: EntityManager, attendeeId: string) {
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_HOURS * 3_600_000);
  await em
    .getConnection()
    .execute(
      'insert into attendee_sessions (id, attendee_id, token_hash, expires_at, created_at) values (?, ?, ?, ?, now())',
      [randomUUID(), attendeeId, hashSecret(token), expiresAt],
    );
  return { token, expiresAt: expiresAt.toISOString() };
}

/** The attendee behind a live session; blocked, unregistered and removed attendees have none. */
export async function findSession(em: EntityManager, token: string) {
  const rows = await em
    .getConnection()
    .execute<{ attendee_id: string; event_id: string; organization_id: string }[]>(
      `select a.id as attendee_id, a.event_id, e.organization_id
       from attendee_sessions s
       join attendees a on a.id = s.attendee_id
       join events e on e.id = a.event_id
      where s.token_hash = ? and s.expires_at > now()
        and a.removed_at is null and a.status not in ('blocked', 'unregistered')`,
      [hashSecret(token)],
    );
  return rows[0] ?? null;
}

/** Ends a session at the attendee's request: the token stops working at once. False: no such session. */
export async function endSession(em: EntityManager, token: string): Promise<boolean> {
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>(
      'delete from attendee_sessions where token_hash = ? and expires_at > now() returning id',
      [hashSecret(token)],
    );
  return rows.length > 0;
}

/**
 * Looks at a link token without spending it (a page shown on GET, which mail scanners open too):
 * whose it is and whether it still works. Null for unknown tokens and removed attendees.
 */
export async function peekToken(em: EntityManager, token: string, kinds: TokenKind[]) {
  const rows = await em
    .getConnection()
    .execute<{ attendee_id: string; event_id: string; kind: TokenKind; usable: boolean }[]>(
      `select t.attendee_id, a.event_id, t.kind, (t.used_at is null and t.expires_at > now()) as usable
       from access_tokens t join attendees a on a.id = t.attendee_id
      where t.token_hash = ? and t.kind in (${kinds.map(() => '?').join(', ')}) and a.removed_at is null`,
      [hashSecret(token), ...kinds],
    );
  return rows[0] ?? null;
}
