import { createRouter } from '../router';
import * as handlers from './events.handlers';
import * as routes from './events.routes';

export const eventsRouter = createRouter()
  .openapi(routes.createEvent, handlers.create)
  .openapi(routes.listEvents, handlers.list)
  .openapi(routes.getEvent, handlers.get)
  .openapi(routes.patchEvent, handlers.patch);
