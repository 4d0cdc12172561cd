import { cors } from 'hono/cors';
import { allEventSiteOrigins } from '../db/queries/organizations';
import type { AppDeps } from './context';

/**
 * CORS for the attendee-facing endpoints: a browser on an event site that an organization lists
 * (PUT /v1/event-sites), or on EVENT_SITE_URL, may call them. They carry no cookies (a session is a
 * bearer token), so the union of every organization's sites is the list; another process sees a
 * change within `CACHE_MS`.
 */
const CACHE_MS = 30_000;
let cached: { at: number; origins: Promise<Set<string>> } | undefined;

/** Drops this process's copy of the list (after a change). */
export function forgetEventSites() {
  cached = undefined;
}

function listedOrigins(deps: AppDeps): Promise<Set<string>> {
  if (!cached || Date.now() - cached.at > CACHE_MS) {
    const origins = allEventSiteOrigins(deps.orm.em.fork());
    cached = { at: Date.now(), origins };
    origins.catch(() => forgetEventSites());
  }
  return cached.origins;
}

export const publicCors = cors({
  origin: async (origin, c) => {
    const deps = c.get('deps') as AppDeps;
    if (deps.eventSiteUrl && origin === new URL(deps.eventSiteUrl).origin) return origin;
    return (await listedOrigins(deps)).has(origin) ? origin : null;
  },
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  exposeHeaders: ['retry-after'],
  maxAge: 600,
});
