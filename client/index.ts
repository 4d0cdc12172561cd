/**
 * Roster's typed HTTP client: openapi-fetch over the types generated from the served OpenAPI
 * document (client/schema.d.ts; `npm run client:generate`, checked by `npm run client:check`).
 *
 *   const roster = createRosterClient({ baseUrl: 'http://localhost:3000', apiKey });
 *   const { data, error } = await roster.GET('/v1/events/{eventId}/attendees', {
 *     params: { path: { eventId }, query: { status: 'invited' } },
 *   });
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type Schemas = components['schemas'];
export type RosterClient = Client<paths>;

export interface RosterClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where Roster answers, e.g. http://localhost:3000 (no /v1). */
  baseUrl: string;
  /** An organization API key; omit for the attendee-facing endpoints. */
  apiKey?: string;
}

export function createRosterClient({
  baseUrl,
  apiKey,
  headers,
  ...options
}: RosterClientOptions): RosterClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(headers as object) },
    ...options,
  });
}
