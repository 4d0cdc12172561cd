import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { AttendeeRow } from '../../db/queries/attendees';
import { sql } from '../../db/sql';
import type { DetailedStatus, LoginMode, Status } from '../../domain/attendee-lifecycle';
import {
  ATTENDEE_WORKFLOW_TYPE,
  type AttendeeState,
  type AttendeeWorkflowInput,
  type CommandInput,
  commandUpdate,
  DEFAULT_RETENTION_MS,
} from '../../workflows/attendee/definitions';
import type { AppDeps } from '../context';
import { notFound } from '../problem';
import { failureProblem, workflowNotFound } from './failures';

export type WorkflowDeps = Pick<AppDeps, 'temporal' | 'orm' | 'taskQueue' | 'attendeeRetentionMs'>;

interface StoredLifecycle {
  event_id: string;
  email_key: string;
  workflow_id: string;
  status: Status;
  detailed_status: DetailedStatus;
  removed_at: Date | null;
  awaiting_confirmation: boolean;
  chat_terms_agreed: boolean;
  chat_blocked: boolean;
  before_block_status: Status | null;
  before_block_detailed_status: DetailedStatus | null;
  emails_requested: number;
  login_mode: LoginMode;
  ends_at: Date;
}

// The email counter is the stored one, or past the ledger's keys when a run ended without
// storing it, so keys `<attendee>/<kind>/<n>` never repeat.
const STORED = `select a.event_id, a.email_key, a.workflow_id, a.status, a.detailed_status, a.removed_at,
    a.awaiting_confirmation, a.chat_terms_agreed, a.chat_blocked, a.before_block_status,
    a.before_block_detailed_status, e.login_mode, e.ends_at,
    greatest(a.emails_requested, coalesce((select max(split_part(m.ledger_key, '/', 3)::int) from email_messages m
      where m.attendee_id = a.id and m.ledger_key ~ '^[0-9a-f-]{36}/[a-z_]+/[0-9]{1,9}$'), 0)) as emails_requested
  from attendees a join events e on e.id = a.event_id where a.id = ?`;

/**
 * How to start the attendee's workflow when its last run ended (a retention period after the
 * event): from the state stored in the attendee row. A running workflow is used as it is.
 */
export async function workflowStart(deps: WorkflowDeps, attendeeId: string) {
  const [row] = await sql(deps.orm.em.fork())<StoredLifecycle[]>(STORED, [attendeeId]);
  if (!row) throw notFound('The attendee');
  const live = row.removed_at === null;
  const state: AttendeeState = {
    attendeeId: live ? attendeeId : null,
    loginMode: row.login_mode,
    emailsRequested: Number(row.emails_requested),
    lifecycle: {
      position: live ? { status: row.status, detailedStatus: row.detailed_status } : null,
      beforeBlock:
        row.before_block_status && row.before_block_detailed_status
          ? { status: row.before_block_status, detailedStatus: row.before_block_detailed_status }
          : null,
      awaitingConfirmation: row.awaiting_confirmation,
      chatTermsAgreed: row.chat_terms_agreed,
      chatBlocked: row.chat_blocked,
    },
  };
  const input: AttendeeWorkflowInput = {
    eventId: row.event_id,
    emailKey: row.email_key,
    state,
    endsAt: new Date(row.ends_at).toISOString(),
    retentionMs: deps.attendeeRetentionMs ?? DEFAULT_RETENTION_MS,
  };
  return { workflowId: row.workflow_id, taskQueue: deps.taskQueue, args: [input] as [AttendeeWorkflowInput] };
}

/**
 * Sends a command to the attendee's workflow (an update, so the answer carries the refusal): the
 * workflow's validator refuses with the reason, which the failure table turns into a 409. A
 * workflow that ended starts again from the attendee row (update-with-start).
 */
export async function sendCommand(
  deps: WorkflowDeps,
  row: Pick<AttendeeRow, 'id'>,
  input: Omit<CommandInput, 'at'> & { at?: string },
) {
  const start = await workflowStart(deps, row.id);
  return deps.temporal.workflow
    .executeUpdateWithStart(commandUpdate, {
      args: [{ at: new Date().toISOString(), ...input }],
      startWorkflowOperation: new WithStartWorkflowOperation(ATTENDEE_WORKFLOW_TYPE, {
        ...start,
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    })
    .catch((error: unknown) => {
      throw workflowNotFound(error, 'The attendee') ?? failureProblem(error) ?? error;
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
