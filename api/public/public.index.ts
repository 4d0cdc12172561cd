import { createRouter } from '../router';
import { requireSession } from '../shared/session';
import * as handlers from './public.handlers';
import * as routes from './public.routes';
import { register, registerHandler } from './registration';

export const publicRouter = createRouter();
for (const path of [
  '/v1/public/events/*/unregister',
  '/v1/public/chat-terms',
  '/v1/public/visits',
  '/v1/public/me',
  '/v1/public/events/*/calendar.ics',
]) {
  publicRouter.use(path, requireSession);
}
publicRouter
  .openapi(routes.accept, handlers.accept)
  .openapi(routes.confirm, handlers.confirm)
  .openapi(routes.loginLink, handlers.loginLink)
  .openapi(routes.login, handlers.login)
  .openapi(routes.unregister, handlers.unregister)
  .openapi(routes.chatTerms, handlers.chatTerms)
  .openapi(routes.visit, handlers.visit)
  .openapi(routes.me, handlers.me)
  .openapi(routes.logout, handlers.logout)
  .openapi(routes.calendar, handlers.calendar)
  .openapi(register, registerHandler);
