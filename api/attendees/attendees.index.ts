import { createRouter } from '../router';
import * as handlers from './attendees.handlers';
import * as routes from './attendees.routes';

export const attendeesRouter = createRouter()
  .openapi(routes.inviteAttendee, handlers.invite)
  .openapi(routes.listAttendees, handlers.list)
  .openapi(routes.listSpeakers, handlers.speakers)
  .openapi(routes.listModerators, handlers.moderators)
  .openapi(routes.getAttendee, handlers.get)
  .openapi(routes.runAction, handlers.action)
  .openapi(routes.patchAttendee, handlers.patch)
  .openapi(routes.getAnalytics, handlers.analytics)
  .openapi(routes.getChatPermission, handlers.chatPermission);
