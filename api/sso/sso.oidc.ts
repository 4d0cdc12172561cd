import { BlockList, isIP } from 'node:net';
import * as oidc from 'openid-client';
import type { OidcSettingsRow } from '../../db/queries/directory/oidc';
import type { AppDeps } from '../context';

/**
 * The relying party (openid-client v6) for an organization's OpenID Provider: discovered from the
 * issuer, cached per settings version for ten minutes.
 */

// Loopback and "this host" addresses: an issuer there is the service's own machine.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addSubnet('0.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addAddress('::', 'ipv6');

function isLoopback(hostname: string) {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Why the issuer is not acceptable, or null. In production (allowInsecure false) it must be https
 * and not on a loopback address; SSO_ALLOW_INSECURE_ISSUERS (development) also allows http and
 * loopback, e.g. an OP running on the same machine.
 */
export function issuerProblem(issuer: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'issuer must be a URL.';
  }
  if (url.username || url.password || url.search || url.hash) {
    return 'issuer must not carry credentials, a query or a fragment.';
  }
  if (allowInsecure) {
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'issuer must be an http(s) URL.';
  }
  if (url.protocol !== 'https:') return 'issuer must be an https URL.';
  if (isLoopback(url.hostname)) return 'issuer must not be a loopback address.';
  return null;
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
