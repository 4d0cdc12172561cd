/** The served OpenAPI document's header; the routes' zod schemas fill in the rest. */
export const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Roster API',
    version: '1.0.0',
    description: 'Durable attendee management for multi-session events. Contract: API.md.',
  },
  security: [{ apiKey: [] }],
};
