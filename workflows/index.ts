export { attendeeWorkflow } from './attendee/attendee.workflow';
export { bulkInviteWorkflow } from './bulk-invite/bulk-invite.workflow';
export { eventRemindersWorkflow } from './reminders/event-reminders.workflow';
