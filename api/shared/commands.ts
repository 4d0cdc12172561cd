import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { AttendeeRow } from '../../db/queries/attendees';
import {
  AttendeeNotFoundError,
  sendAttendeeCommand,
  workflowStart as storedWorkflowStart,
} from '../../workflows/attendee/client';
import {
  ATTENDEE_WORKFLOW_TYPE,
  type AttendeeWorkflowInput,
  type CommandInput,
} from '../../workflows/attendee/definitions';
import type { AppDeps } from '../context';
import { notFound } from '../problem';
import { failureProblem, workflowNotFound } from './failures';

export type WorkflowDeps = Pick<AppDeps, 'temporal' | 'orm' | 'taskQueue' | 'attendeeRetentionMs'>;

/** The attendee row is gone: the API's 404. */
const attendeeProblem = (error: unknown) =>
  error instanceof AttendeeNotFoundError ? notFound('The attendee') : null;

/**
 * How to start the attendee's workflow when its last run ended (workflows/attendee/client.ts),
 * a 404 when the attendee row is gone.
 */
export function workflowStart(deps: WorkflowDeps, attendeeId: string) {
  return storedWorkflowStart(deps, attendeeId).catch((error: unknown) => {
    throw attendeeProblem(error) ?? error;
  });
}

/**
 * Sends a command to the attendee's workflow (workflows/attendee/client.ts, the one sender): the
 * workflow's validator refuses with the reason, which the failure table turns into a 409.
 */
export async function sendCommand(
  deps: WorkflowDeps,
  row: Pick<AttendeeRow, 'id'>,
  input: Omit<CommandInput, 'at'> & { at?: string },
) {
  return sendAttendeeCommand(deps, row.id, input).catch((error: unknown) => {
    throw attendeeProblem(error) ?? workflowNotFound(error, 'The attendee') ?? failureProblem(error) ?? error;
  });
}

/**
 * Signals the attendee's workflow; one that ended starts again from the attendee row
 * (signal-with-start). The row is read only then: visits are frequent, ended workflows rare.
 */
export async function signalAttendee<Arg>(
  deps: WorkflowDeps,
  row: Pick<AttendeeRow, 'id' | 'workflow_id'>,
  signal: SignalDefinition<[Arg]>,
  arg: Arg,
) {
  try {
    await deps.temporal.workflow.getHandle(row.workflow_id).signal(signal, arg);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    await deps.temporal.workflow.signalWithStart<(input: AttendeeWorkflowInput) => Promise<void>, [Arg]>(
      ATTENDEE_WORKFLOW_TYPE,
      { ...(await workflowStart(deps, row.id)), signal, signalArgs: [arg] },
    );
  }
}
