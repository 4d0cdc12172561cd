export { accessReconcileWorkflow, accessSweepWorkflow } from './access/access-reconcile.workflow';
export { attendeeWorkflow } from './attendee/attendee.workflow';
export { bulkActionWorkflow } from './bulk-action/bulk-action.workflow';
export { bulkInviteWorkflow } from './bulk-invite/bulk-invite.workflow';
export { eventRemindersWorkflow } from './reminders/event-reminders.workflow';
export { webhookDispatcherWorkflow } from './webhooks/webhook-dispatcher.workflow';
