import { createRouter } from '../router';
import * as handlers from './reminders.handlers';
import * as routes from './reminders.routes';

export const remindersRouter = createRouter()
  .openapi(routes.createReminderRule, handlers.create)
  .openapi(routes.listReminderRules, handlers.list)
  .openapi(routes.runReminderRule, handlers.run)
  .openapi(routes.getReminderRule, handlers.get)
  .openapi(routes.deleteReminderRule, handlers.remove);
