import * as oidc from 'openid-client';
import type { OidcSettingsRow } from '../../db/queries/directory';
import type { AppDeps } from '../context';

/**
 * The relying party (openid-client v6) for an organization's OpenID Provider: discovered from the
 * issuer, cached per settings version for ten minutes.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Issuers must use https; http is allowed only on loopback (an OP running on the same machine, e.g. in tests). */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'issuer must be a URL.';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  return 'issuer must be an https URL (http only on 127.0.0.1 / localhost).';
}

const TTL_MS = 10 * 60_000;
const caches = new WeakMap<AppDeps, Map<string, { at: number; config: Promise<oidc.Configuration> }>>();

async function discover(settings: OidcSettingsRow): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === 'http:';
  const discovered = await oidc.discovery(issuer, settings.client_id, undefined, undefined, {
    execute: insecure ? [oidc.allowInsecureRequests] : [],
  });
  const metadata = discovered.serverMetadata();
  const methods = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the OIDC default; client_secret_post where the OP offers only that.
  const auth =
    methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
      ? oidc.ClientSecretPost(settings.client_secret)
      : oidc.ClientSecretBasic(settings.client_secret);
  const config = new oidc.Configuration(metadata, settings.client_id, undefined, auth);
  if (insecure) oidc.allowInsecureRequests(config);
  return config;
}

/** The configuration for the organization's current settings (rediscovered after a change or ten minutes). */
export function relyingParty(deps: AppDeps, settings: OidcSettingsRow): Promise<oidc.Configuration> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const key = `${settings.organization_id}|${new Date(settings.updated_at).getTime()}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.config;
  for (const old of cache.keys()) if (old.startsWith(`${settings.organization_id}|`)) cache.delete(old);
  const config = discover(settings);
  cache.set(key, { at: Date.now(), config });
  // A failed discovery is not kept: the next login tries again.
  config.catch(() => cache.delete(key));
  return config;
}

export { oidc };
