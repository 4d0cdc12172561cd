import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../../sql';

/** OIDC settings of an organization and its pending login attempts. */

export interface OidcSettingsRow {
  organization_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  scopes: string;
  match_claim: MatchClaim;
  created_at: Date;
  updated_at: Date;
}

/** Which claim may match a directory user at a first login (see docs/sso.md). */
export type MatchClaim = 'email' | 'preferred_username';

export async function findOidcSettings(em: EntityManager, organizationId: string) {
  const [row] = await sql(em)<OidcSettingsRow[]>('select * from oidc_settings where organization_id = ?', [
    organizationId,
  ]);
  return row ?? null;
}

/** Sets the organization's OIDC settings; a missing secret keeps the stored one. */
export async function upsertOidcSettings(
  em: EntityManager,
  organizationId: string,
  settings: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    scopes: string;
    matchClaim: MatchClaim;
  },
) {
  const [row] = await sql(em)<OidcSettingsRow[]>(
    `insert into oidc_settings (organization_id, issuer, client_id, client_secret, scopes, match_claim,
       created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, now(), now())
     on conflict (organization_id) do update set issuer = excluded.issuer, client_id = excluded.client_id,
       client_secret = case when ? then excluded.client_secret else oidc_settings.client_secret end,
       scopes = excluded.scopes, match_claim = excluded.match_claim, updated_at = now()
     returning *`,
    [
      organizationId,
      settings.issuer,
      settings.clientId,
      settings.clientSecret ?? '',
      settings.scopes,
      settings.matchClaim,
      settings.clientSecret !== undefined,
    ],
  );
  return row as OidcSettingsRow;
}

export async function deleteOidcSettings(em: EntityManager, organizationId: string) {
  const rows = await sql(em)<{ organization_id: string }[]>(
    'delete from oidc_settings where organization_id = ? returning organization_id',
    [organizationId],
  );
  return rows.length > 0;
}

export interface LoginAttemptRow {
  id: string;
  event_id: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
}

export async function insertLoginAttempt(
  em: EntityManager,
  attempt: {
    eventId: string;
    stateHash: string;
    bindingHash: string;
    codeVerifier: string;
    nonce: string;
    redirectUri: string;
    expiresAt: Date;
  },
) {
  // Expired attempts are of no use to anyone; clear a few on the way.
  await sql(em)(
    `delete from sso_login_attempts where id in
       (select id from sso_login_attempts where expires_at < now() - interval '1 hour' limit 100)`,
  );
  const id = randomUUID();
  await sql(em)(
    `insert into sso_login_attempts (id, event_id, state_hash, binding_hash, code_verifier, nonce, redirect_uri,
       expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, now())`,
    [
      id,
      attempt.eventId,
      attempt.stateHash,
      attempt.bindingHash,
      attempt.codeVerifier,
      attempt.nonce,
      attempt.redirectUri,
      attempt.expiresAt,
    ],
  );
  return id;
}

/**
 * Spends a login attempt: by its state, for this event, from the browser that started it, once,
 * before it expires. One statement, so of two concurrent callbacks exactly one gets it.
 */
export async function consumeLoginAttempt(
  em: EntityManager,
  eventId: string,
  stateHash: string,
  bindingHash: string,
) {
  const [row] = await sql(em)<LoginAttemptRow[]>(
    `update sso_login_attempts set used_at = now()
      where state_hash = ? and event_id = ? and binding_hash = ? and used_at is null and expires_at > now()
      returning id, event_id, code_verifier, nonce, redirect_uri`,
    [stateHash, eventId, bindingHash],
  );
  return row ?? null;
}
