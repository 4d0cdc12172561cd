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
 * Signals the attendee's workflow, always as a signal-with-start: a bulk-invited attendee's
 * workflow waits for its first task until something happens to it (activities/import-page.ts
 * firstTaskDelayMs), and a signal-with-start ends that wait where a plain signal would wait with
 * it. One that ended starts again from the attendee row, read for the start (a 404 when gone).
 */
export async function signalAttendee<Arg>(
  deps: WorkflowDeps,
  row: Pick<AttendeeRow, 'id'>,
  signal: SignalDefinition<[Arg]>,
  arg: Arg,
) {
  await deps.temporal.workflow.signalWithStart<(input: AttendeeWorkflowInput) => Promise<void>, [Arg]>(
    ATTENDEE_WORKFLOW_TYPE,
    { ...(await workflowStart(deps, row.id)), signal, signalArgs: [arg] },
  );
}
