import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Shown once (in a link or an answer); only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const INVITATION_TOKEN_TTL_DAYS = 30;
