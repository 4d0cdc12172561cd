import { createRouter } from '../router';
import * as handlers from './sso.handlers';
import * as routes from './sso.routes';

/**
 * `/v1/sso-settings` is an organizer route (app.ts: requireApiKey); `/v1/sso/{eventId}/start` and
 * `/callback` are public: the browser goes through them on its way to and from the IdP.
 */
export const ssoRouter = createRouter()
  .openapi(routes.getOidcSettings, handlers.getSettings)
  .openapi(routes.putOidcSettings, handlers.putSettings)
  .openapi(routes.deleteOidcSettings, handlers.deleteSettings)
  .openapi(routes.ssoStart, handlers.start)
  .openapi(routes.ssoCallback, handlers.callback);
