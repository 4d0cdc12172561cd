/**
 * The client side of the attendee workflow: how code outside workflows (the API's handlers, the
 * bulk actions' activities) sends a command to one attendee's workflow. The one owner of that
 * call, so every caller meets the same rules (the workflow's update validator) and the same
 * restart of an ended workflow from the attendee row. Failures are Temporal's errors as they
 * come; the API maps them to HTTP (api/shared/commands.ts), activities to item outcomes.
 * Never imported by workflow code.
 */
import type { EntityManager } from '@mikro-orm/core';
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { Orm } from '../../db/orm';
import { sql, sqlArray } from '../../db/sql';
import type { DetailedStatus, LoginMode, Status } from '../../domain/attendee-lifecycle';
import { attendeeSearchAttributes } from '../search-attributes';
import {
  ATTENDEE_CODE_VERSION,
  ATTENDEE_WORKFLOW_TYPE,
  type AttendeeState,
  type AttendeeWorkflowInput,
  type CommandInput,
  type CommandResult,
  commandUpdate,
  DEFAULT_RETENTION_MS,
} from './definitions';

export interface AttendeeClientDeps {
  temporal: Client;
  orm: Orm;
  taskQueue: string;
  attendeeRetentionMs?: number;
}

/** The attendee row is not there (never was, or erased): the API's 404. */
export class AttendeeNotFoundError extends Error {
  constructor(readonly attendeeId: string) {
    super(`attendee ${attendeeId} not found`);
    this.name = 'AttendeeNotFoundError';
  }
}

/** How to start an attendee's workflow if its last run ended: its id, task queue and input. */
export interface AttendeeWorkflowStart {
  workflowId: string;
  taskQueue: string;
  args: [AttendeeWorkflowInput];
  typedSearchAttributes: ReturnType<typeof attendeeSearchAttributes>;
}

interface StoredLifecycle {
  id: string;
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
const STORED = `select a.id, a.event_id, a.email_key, a.workflow_id, a.status, a.detailed_status, a.removed_at,
    a.awaiting_confirmation, a.chat_terms_agreed, a.chat_blocked, a.before_block_status,
    a.before_block_detailed_status, e.login_mode, e.ends_at,
    greatest(a.emails_requested, coalesce((select max(split_part(m.ledger_key, '/', 3)::int) from email_messages m
      where m.attendee_id = a.id and m.ledger_key ~ '^[0-9a-f-]{36}/[a-z_]+/[0-9]{1,9}$'), 0)) as emails_requested
  from attendees a join events e on e.id = a.event_id
  where a.id = any(?::uuid[])`;

function startOf(deps: Pick<AttendeeClientDeps, 'taskQueue' | 'attendeeRetentionMs'>, row: StoredLifecycle) {
  const live = row.removed_at === null;
  const state: AttendeeState = {
    attendeeId: live ? row.id : null,
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
    codeVersion: ATTENDEE_CODE_VERSION,
  };
  return {
    workflowId: row.workflow_id,
    taskQueue: deps.taskQueue,
    args: [input],
    typedSearchAttributes: attendeeSearchAttributes(row.event_id, live ? row.status : 'removed'),
  } as AttendeeWorkflowStart;
}

/**
 * How to start each attendee's workflow when its last run ended (a retention period after the
 * event): from the state stored in the attendee rows, read in one statement. Attendees whose row
 * is gone are missing from the map. A running workflow is used as it is.
 */
export async function workflowStarts(
  deps: Pick<AttendeeClientDeps, 'taskQueue' | 'attendeeRetentionMs'>,
  em: EntityManager,
  attendeeIds: readonly string[],
): Promise<Map<string, AttendeeWorkflowStart>> {
  if (attendeeIds.length === 0) return new Map();
  const rows = await sql(em)<StoredLifecycle[]>(STORED, [sqlArray(attendeeIds)]);
  return new Map(rows.map((row) => [row.id, startOf(deps, row)]));
}

/** One attendee's workflow start (see workflowStarts); AttendeeNotFoundError without a row. */
export async function workflowStart(deps: AttendeeClientDeps, attendeeId: string) {
  const start = (await workflowStarts(deps, deps.orm.em.fork(), [attendeeId])).get(attendeeId);
  if (!start) throw new AttendeeNotFoundError(attendeeId);
  return start;
}

/**
 * Sends a command to the attendee's workflow: an update, so the answer carries the validator's
 * refusal (an ApplicationFailure of type action_not_allowed). A workflow that ended starts again
 * from the attendee row (update-with-start). `updateId` makes a repeat idempotent: the server
 * answers a second update with the same id to the same run with the first one's outcome, so a
 * retried caller does not apply (or email) twice.
 */
export async function sendAttendeeCommand(
  deps: AttendeeClientDeps,
  attendee: string | AttendeeWorkflowStart,
  input: Omit<CommandInput, 'at'> & { at?: string },
  options: { updateId?: string } = {},
): Promise<CommandResult> {
  const start = typeof attendee === 'string' ? await workflowStart(deps, attendee) : attendee;
  const update = {
    args: [{ at: new Date().toISOString(), ...input }] as [CommandInput],
    ...(options.updateId ? { updateId: options.updateId } : {}),
  };
  // Most workflows are running: a plain update is one call the server answers without a start
  // attempt. Only a workflow whose last run ended (NOT_FOUND) is started again, with the update.
  try {
    return await deps.temporal.workflow.getHandle(start.workflowId).executeUpdate(commandUpdate, update);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return deps.temporal.workflow.executeUpdateWithStart(commandUpdate, {
    ...update,
    startWorkflowOperation: new WithStartWorkflowOperation(ATTENDEE_WORKFLOW_TYPE, {
      ...start,
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}
