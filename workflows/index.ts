export { attendeeWorkflow } from './attendee/attendee.workflow';
export { eventRemindersWorkflow } from './reminders/event-reminders.workflow';
