import { createRouter } from '../router';
import * as handlers from './bulk-actions.handlers';
import * as routes from './bulk-actions.routes';

export const bulkActionsRouter = createRouter()
  .openapi(routes.startBulkAction, handlers.start)
  .openapi(routes.listBulkActions, handlers.list)
  .openapi(routes.getBulkAction, handlers.get)
  .openapi(routes.cancelBulkAction, handlers.cancel)
  .openapi(routes.bulkActionEvents, handlers.events)
  .openapi(routes.getResultsCsv, handlers.resultsCsv);
