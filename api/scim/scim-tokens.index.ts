import { createRouter } from '../router';
import * as handlers from './scim-tokens.handlers';
import * as routes from './scim-tokens.routes';

/** Organizer routes: `app.use('/v1/scim-tokens', requireApiKey)` in app.ts authenticates them. */
export const scimTokensRouter = createRouter()
  .openapi(routes.createScimToken, handlers.create)
  .openapi(routes.listScimTokens, handlers.list)
  .openapi(routes.revokeScimToken, handlers.revoke);
