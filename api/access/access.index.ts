import { createRouter } from '../router';
import * as handlers from './access.handlers';
import * as routes from './access.routes';

/** Organizer routes under /v1/events/*: the API key middleware of app.ts authenticates them. */
export const accessRouter = createRouter()
  .openapi(routes.listAccessGroups, handlers.list)
  .openapi(routes.grantAccessGroup, handlers.grant)
  .openapi(routes.removeAccessGroup, handlers.remove)
  .openapi(routes.getAccessSettings, handlers.getSettings)
  .openapi(routes.putAccessSettings, handlers.putSettings);
