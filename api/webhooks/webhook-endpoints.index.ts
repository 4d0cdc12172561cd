import { createRouter } from '../router';
import * as handlers from './webhook-endpoints.handlers';
import * as routes from './webhook-endpoints.routes';

export const webhookEndpointsRouter = createRouter()
  .openapi(routes.createEndpoint, handlers.create)
  .openapi(routes.listEndpoints, handlers.list)
  .openapi(routes.getEndpoint, handlers.get)
  .openapi(routes.patchEndpoint, handlers.patch)
  .openapi(routes.deleteEndpoint, handlers.remove)
  .openapi(routes.rotateSecret, handlers.rotate)
  .openapi(routes.sendTestEvent, handlers.test)
  .openapi(routes.listDeliveries, handlers.deliveries)
  .openapi(routes.redeliver, handlers.redeliver);
