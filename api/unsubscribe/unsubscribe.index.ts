import { createRouter } from '../router';
import * as handlers from './unsubscribe.handlers';
import * as routes from './unsubscribe.routes';

export const unsubscribeRouter = createRouter().openapi(routes.unsubscribe, handlers.unsubscribe);
