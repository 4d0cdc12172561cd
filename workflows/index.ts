export { accessReconcileWorkflow, accessSweepWorkflow } from './access/access-reconcile.workflow';
export { attendeeWorkflow } from './attendee/attendee.workflow';
export { bulkInviteWorkflow } from './bulk-invite/bulk-invite.workflow';
export { eventRemindersWorkflow } from './reminders/event-reminders.workflow';
