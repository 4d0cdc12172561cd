import { createRouter } from '../router';
import * as handlers from './suppressions.handlers';
import * as routes from './suppressions.routes';

export const suppressionsRouter = createRouter()
  .openapi(routes.listSuppressions, handlers.list)
  .openapi(routes.addSuppression, handlers.add)
  .openapi(routes.getSuppression, handlers.get)
  .openapi(routes.liftSuppression, handlers.lift);
