import { actionContext } from '../../db/queries/attendee-dto';
import type { AttendeeRow } from '../../db/queries/attendees';
import { isActionAllowed } from '../../domain/attendee-lifecycle';
import { ProblemError } from '../problem';

// The views themselves are pure and shared with the webhook events (db/queries/attendee-dto.ts).
export { actionContext, toAttendeeDto, toPublic } from '../../db/queries/attendee-dto';

/** A fast 409 from the read model; the workflow checks again on its own state. */
export function assertAllowed(row: AttendeeRow, action: Parameters<typeof isActionAllowed>[1]) {
  if (!isActionAllowed(actionContext(row), action)) {
    throw new ProblemError(
      409,
      'action_not_allowed',
      `The action ${action} is not allowed while the attendee is ${row.status}.`,
    );
  }
}
