import type { AttendeeRow } from '../../db/queries/attendees';
import { type CommandInput, commandUpdate } from '../../workflows/attendee/definitions';
import type { AppDeps } from '../context';
import { failureProblem, workflowNotFound } from './failures';

/**
 * Sends a command to the attendee's workflow (an update, so the answer carries the refusal): the
 * workflow's validator refuses with the reason, which the failure table turns into a 409.
 */
export async function sendCommand(
  deps: Pick<AppDeps, 'temporal'>,
  row: Pick<AttendeeRow, 'workflow_id'>,
  input: Omit<CommandInput, 'at'> & { at?: string },
) {
  return deps.temporal.workflow
    .getHandle(row.workflow_id)
    .executeUpdate(commandUpdate, { args: [{ at: new Date().toISOString(), ...input }] })
    .catch((error: unknown) => {
      throw workflowNotFound(error, 'The attendee') ?? failureProblem(error) ?? error;
    });
}
