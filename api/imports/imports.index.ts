import { createRouter } from '../router';
import * as handlers from './imports.handlers';
import * as routes from './imports.routes';

// template.csv before {importId}: the router tries routes in the order they are added.
export const importsRouter = createRouter()
  .openapi(routes.getTemplate, handlers.template)
  .openapi(routes.uploadImport, handlers.upload)
  .openapi(routes.listImports, handlers.list)
  .openapi(routes.getImport, handlers.get)
  .openapi(routes.startImport, handlers.start)
  .openapi(routes.cancelImport, handlers.cancel)
  .openapi(routes.importEvents, handlers.events)
  .openapi(routes.getErrorsCsv, handlers.errorsCsv);
