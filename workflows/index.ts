export { attendeeWorkflow } from './attendee/attendee.workflow';
