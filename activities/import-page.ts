/**
 * The steps of one bulk-invite page before its emails: the closed-event rule, re-invites of
 * removed attendees, the attendees' rows (db/writes/attendees.ts) and their lifecycle workflows.
 * Each step reads the page's rows again and skips what an earlier attempt did.
 */
import type { EntityManager } from '@mikro-orm/core';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { outsiders } from '../db/queries/directory/event-access';
import { eventRules, findEventById } from '../db/queries/events';
import { sql, sqlArray } from '../db/sql';
import { insertAttendees } from '../db/writes/attendees';
import type { WebhookWakes } from '../db/writes/webhook-events';
import { EMPTY_LIFECYCLE, invitedStatus, type Role } from '../domain/attendee-lifecycle';
import { FailureType, failureOf } from '../domain/errors';
import type { LanguageCode } from '../domain/languages';
import {
  ATTENDEE_CODE_VERSION,
  ATTENDEE_WORKFLOW_TYPE,
  type AttendeeState,
  DEFAULT_RETENTION_MS,
  inviteUpdate,
} from '../workflows/attendee/definitions';
import { attendeeWorkflowId } from '../workflows/attendee/workflow-id';
import { attendeeSearchAttributes } from '../workflows/search-attributes';
import type { ImportActivityDeps } from './import.activities';

export interface InvitePageInput {
  importId: string;
  eventId: string;
  /** The valid rows `seq` firstSeq..lastSeq. */
  firstSeq: number;
  lastSeq: number;
  sendEmail: boolean;
  by: string;
}

/** Workflow starts in flight at once from one page. */
const START_CONCURRENCY = 32;

/** The event as the page's steps read it (a row of `events`). */
/** When an imported attendee's workflow may end: its event's end plus the retention setting. */
const lifecycleEnd = (deps: Pick<ImportActivityDeps, 'attendeeRetentionMs'>, endsAt: Date) => ({
  endsAt: new Date(endsAt).toISOString(),
  retentionMs: deps.attendeeRetentionMs ?? DEFAULT_RETENTION_MS,
  codeVersion: ATTENDEE_CODE_VERSION,
});

export interface EventRow {
  id: string;
  name: string;
  starts_at: Date;
  timezone: string;
  default_language: LanguageCode;
  login_mode: 'magic_link' | 'sso';
  ends_at: Date;
  /** Absent before the lifecycle's migration: then nobody needs to register first. */
  requires_registration?: boolean | null;
  closed: boolean;
  allow_outside_idp_groups: boolean;
}

export interface PageRow {
  row_number: number;
  attendee_id: string;
  email: string;
  email_key: string;
  first_name: string;
  last_name: string;
  company: string | null;
  title: string | null;
  language_code: LanguageCode | null;
  roles: string[];
  outcome: 'invited' | 'already_invited' | null;
  workflow_started: boolean;
  email_status: 'sent' | 'failed' | 'delegated' | 'suppressed' | null;
}

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function loadEvent(em: EntityManager, eventId: string) {
  const [event] = await sql(em)<EventRow[]>('select * from events where id = ?', [eventId]);
  if (!event) {
    throw ApplicationFailure.create({
      type: 'event_gone',
      message: `event ${eventId} is gone`,
      nonRetryable: true,
    });
  }
  return event;
}

export const pageRows = (em: EntityManager, input: InvitePageInput) =>
  sql(em)<PageRow[]>(
    `select row_number, attendee_id, email, email_key, first_name, last_name, company, title, language_code, roles,
            outcome, workflow_started, email_status
       from import_rows where import_id = ? and seq between ? and ? order by seq`,
    [input.importId, input.firstSeq, input.lastSeq],
  );

/**
 * Step 0: an address whose earlier attendee was removed from the event still has its lifecycle
 * workflow, which must learn of the new invitation: such rows are invited through its invite
 * update, as the single invite does, and the workflow sends their invitation. Answers whether it
 * changed any of the page's rows.
 */
export async function reinviteRemoved(
  deps: Pick<ImportActivityDeps, 'temporal' | 'taskQueue' | 'attendeeRetentionMs'>,
  em: EntityManager,
  input: InvitePageInput,
  rows: PageRow[],
) {
  const fresh = rows.filter((r) => r.outcome === null);
  if (fresh.length === 0) return false;
  const removed = await sql(em)<{ email_key: string }[]>(
    `select distinct email_key from attendees a
      where a.event_id = ? and a.removed_at is not null
        and a.email_key = any(?::text[])
        and not exists (select 1 from attendees l where l.event_id = a.event_id and l.email_key = a.email_key
                         and l.removed_at is null)`,
    [input.eventId, sqlArray(fresh.map((r) => r.email_key))],
  );
  if (removed.length === 0) return false;
  const keys = new Set(removed.map((r) => r.email_key));
  const event = await findEventById(em, input.eventId);
  if (!event) return false;
  for (const r of fresh.filter((row) => keys.has(row.email_key))) {
    let attendeeId: string | null = null;
    try {
      const result = await deps.temporal.workflow.executeUpdateWithStart(inviteUpdate, {
        args: [
          {
            email: r.email,
            firstName: r.first_name,
            lastName: r.last_name,
            language: r.language_code ?? event.defaultLanguage,
            roles: r.roles as Role[],
            title: r.title,
            company: r.company,
            bio: null,
            sendEmail: input.sendEmail,
            event: eventRules(event),
            by: input.by,
          },
        ],
        startWorkflowOperation: new WithStartWorkflowOperation(ATTENDEE_WORKFLOW_TYPE, {
          workflowId: attendeeWorkflowId(event.id, r.email_key),
          taskQueue: deps.taskQueue,
          args: [{ eventId: event.id, emailKey: r.email_key, ...lifecycleEnd(deps, event.endsAt) }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      attendeeId = result.attendeeId;
    } catch (error) {
      if (failureOf(error)?.type !== FailureType.duplicateEmail) throw error;
    }
    await sql(em)(
      `update import_rows set attendee_id = coalesce(?, attendee_id), outcome = ?, workflow_started = ?,
         email_status = ? where import_id = ? and row_number = ?`,
      [
        attendeeId,
        attendeeId ? 'invited' : 'already_invited',
        attendeeId !== null,
        attendeeId && input.sendEmail ? 'delegated' : null,
        input.importId,
        r.row_number,
      ],
    );
    heartbeat({ step: 'reinvite', row: r.row_number });
  }
  return true;
}

/**
 * Step 0: the closed-event rule as it stands now, not as it stood when the file was checked: a
 * closed event that admits only its IdP groups turns away rows of people outside them. Answers
 * whether it changed any of the page's rows.
 */
export async function refuseOutsiders(
  em: EntityManager,
  input: InvitePageInput,
  event: EventRow,
  rows: PageRow[],
) {
  if (!event.closed || event.allow_outside_idp_groups) return false;
  const fresh = rows.filter((r) => r.outcome === null);
  const outside = await outsiders(
    em,
    event.id,
    fresh.map((r) => r.email_key),
  );
  if (outside.size === 0) return false;
  await sql(em)(
    `update import_rows set outcome = 'outside_idp_groups'
      where import_id = ? and seq between ? and ? and outcome is null
        and email_key = any(?::text[])`,
    [input.importId, input.firstSeq, input.lastSeq, sqlArray([...outside])],
  );
  return true;
}

/**
 * Step 1: attendees and their first history rows, in one statement; a retry inserts nothing more,
 * and someone invited in the meantime is left as they are (the row is `already_invited`). Their
 * `attendee.invited` webhook events, when an endpoint listens, go in the same transaction.
 */
export async function insertPage(
  em: EntityManager,
  input: InvitePageInput,
  event: EventRow,
  rows: PageRow[],
  wakes?: WebhookWakes,
) {
  const fresh = rows.filter((r) => r.outcome === null);
  if (fresh.length === 0) return;
  const { status, detailedStatus } = invitedStatus(event.requires_registration ?? false);
  await em.transactional(async (tx) => {
    await insertAttendees(
      tx,
      fresh.map((r) => ({
        id: r.attendee_id,
        eventId: event.id,
        email: r.email,
        emailKey: r.email_key,
        firstName: r.first_name,
        lastName: r.last_name,
        language: r.language_code ?? event.default_language,
        roles: r.roles,
        title: r.title,
        company: r.company,
        bio: null,
        status,
        detailedStatus,
        workflowId: attendeeWorkflowId(event.id, r.email_key),
      })),
      input.by,
      wakes,
    );
    await sql(tx)(
      `update import_rows r
          set outcome = case when exists (select 1 from attendees a where a.id = r.attendee_id)
                             then 'invited' else 'already_invited' end
        where r.import_id = ? and r.seq between ? and ? and r.outcome is null`,
      [input.importId, input.firstSeq, input.lastSeq],
    );
  });
}

/**
 * How long an imported attendee's workflow waits for its first task: until its end (the event's
 * end plus the retention). Its first task does nothing else (the import wrote the row and sent the
 * invitation), so it runs when something first happens to the attendee instead: an update (a
 * command) or a signal-with-start (signalAttendee) ends the wait; a plain signal would not.
 */
export const firstTaskDelayMs = (lifecycle: { endsAt: string; retentionMs: number }, now = Date.now()) =>
  Math.max(0, Date.parse(lifecycle.endsAt) + lifecycle.retentionMs - now);

/** Step 2: the lifecycle workflows, with deterministic ids; an existing one is used as it is. */
export async function startWorkflows(
  deps: Pick<ImportActivityDeps, 'temporal' | 'taskQueue' | 'attendeeRetentionMs'>,
  em: EntityManager,
  input: InvitePageInput,
  event: EventRow,
  rows: PageRow[],
) {
  const pending = rows.filter((r) => r.outcome === 'invited' && !r.workflow_started);
  const position = invitedStatus(event.requires_registration ?? false);
  const lifecycle = lifecycleEnd(deps, event.ends_at);
  const delay = firstTaskDelayMs(lifecycle);
  let started = 0;
  for (const batch of chunks(pending, START_CONCURRENCY)) {
    await Promise.all(
      batch.map((r) => {
        const state: AttendeeState = {
          attendeeId: r.attendee_id,
          loginMode: event.login_mode,
          // The import sends invitation/1 itself; the workflow's next email is /2.
          emailsRequested: input.sendEmail ? 1 : 0,
          lifecycle: { ...EMPTY_LIFECYCLE, position },
        };
        return deps.temporal.workflow.start(ATTENDEE_WORKFLOW_TYPE, {
          workflowId: attendeeWorkflowId(event.id, r.email_key),
          taskQueue: deps.taskQueue,
          args: [{ eventId: event.id, emailKey: r.email_key, state, ...lifecycle }],
          typedSearchAttributes: attendeeSearchAttributes(event.id, position.status),
          workflowIdConflictPolicy: 'USE_EXISTING',
          ...(delay > 0 ? { startDelay: delay } : {}),
        });
      }),
    );
    await sql(em)(
      `update import_rows set workflow_started = true
        where import_id = ? and row_number = any(?::int[])`,
      [input.importId, sqlArray(batch.map((r) => r.row_number))],
    );
    started += batch.length;
    heartbeat({ step: 'workflows', started });
  }
}
