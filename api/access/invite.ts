import { randomUUID } from 'node:crypto';
import { type AttendeeRow, findAttendee } from '../../db/queries/attendees';
import type { EventRow } from '../../db/queries/events';
import { insertAttendees, watchedEvents } from '../../db/writes/attendees';
import type { WebhookWakes } from '../../db/writes/webhook-events';
import { invitedStatus, type Role, selfRegisteredStatus } from '../../domain/attendee-lifecycle';
import { checkInvitee, type InviteeInput } from '../../domain/import-invitee';
import type { LanguageCode } from '../../domain/languages';
import {
  ATTENDEE_CODE_VERSION,
  ATTENDEE_WORKFLOW_TYPE,
  DEFAULT_RETENTION_MS,
  type InvitedInput,
  invitedSignal,
  profileOf,
} from '../../workflows/attendee/definitions';
import { attendeeWorkflowId } from '../../workflows/attendee/workflow-id';
import { attendeeSearchAttributes } from '../../workflows/search-attributes';
import type { AppDeps } from '../context';
import { ProblemError } from '../problem';
import { wakeEndpoints } from '../webhooks/webhooks.wake';

export interface Invitee {
  email: string;
  emailKey: string;
  firstName: string;
  lastName: string;
  language?: LanguageCode | null;
  roles?: Role[];
  title?: string | null;
  company?: string | null;
  bio?: string | null;
}

/** The person checked by the rules that bulk rows follow too; 422 with every issue otherwise. */
export function validInvitee(input: InviteeInput) {
  const checked = checkInvitee(input);
  if (!checked.ok) {
    throw new ProblemError(
      422,
      'validation_failed',
      checked.issues[0]?.message ?? 'The person is not valid.',
      checked.issues.map((i) => ({ path: i.field, code: i.code, message: i.message })),
    );
  }
  return checked.invitee;
}

/** The address has a live attendee in the event already (attendees_event_email_live_unique). */
export class DuplicateInviteError extends Error {
  constructor() {
    super('This email address is already invited to the event.');
  }
}

/**
 * Invites one person without waiting for a workflow task. A signal-with-start first hands the
 * invite to the workflow `attendee/<eventId>/<sha256(emailKey)>` (which sends the invitation),
 * then the attendee row is written: the unique index of live addresses decides racing invites
 * (DuplicateInviteError). The workflow takes the invite only once the row exists, and writes the
 * row itself when this process stopped between the signal and the insert, so neither side can
 * hold an invite the other lacks. No connection or lock is held across the Temporal call.
 */
export async function startInvite(
  deps: Pick<AppDeps, 'orm' | 'temporal' | 'taskQueue' | 'attendeeRetentionMs' | 'logger'>,
  event: EventRow,
  person: Invitee,
  options: {
    sendEmail: boolean;
    by: string;
    /** Registered on the event's published page rather than invited (detailed status `registered`). */
    selfRegistered?: boolean;
  },
): Promise<AttendeeRow> {
  const start = options.selfRegistered
    ? selfRegisteredStatus(event.requiresEmailConfirmation)
    : { position: invitedStatus(event.requiresRegistration), awaitingConfirmation: false, effect: undefined };
  const { status, detailedStatus } = start.position;
  const workflowId = attendeeWorkflowId(event.id, person.emailKey);
  const invite: InvitedInput = {
    attendeeId: randomUUID(),
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    language: person.language ?? event.defaultLanguage,
    roles: person.roles ?? ['attendee'],
    title: person.title ?? null,
    company: person.company ?? null,
    bio: person.bio ?? null,
    status,
    detailedStatus,
    loginMode: event.loginMode,
    sendEmail: options.sendEmail,
    by: options.by,
    ...(start.awaitingConfirmation ? { awaitingConfirmation: true } : {}),
    ...(start.effect ? { firstEmail: start.effect } : {}),
  };
  const em = deps.orm.em.fork();
  // The insert's webhook look-up runs while Temporal takes the signal.
  const watching = watchedEvents(em, [event.id]);
  watching.catch(() => undefined);
  await deps.temporal.workflow.signalWithStart(ATTENDEE_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [
      {
        eventId: event.id,
        emailKey: person.emailKey,
        endsAt: event.endsAt.toISOString(),
        retentionMs: deps.attendeeRetentionMs ?? DEFAULT_RETENTION_MS,
        codeVersion: ATTENDEE_CODE_VERSION,
      },
    ],
    signal: invitedSignal,
    signalArgs: [invite],
    // Shown from the start, so the workflow need not upsert them (a new workflow only).
    typedSearchAttributes: attendeeSearchAttributes(event.id, status),
  });
  const wakes: WebhookWakes = new Set();
  const [row] = await insertAttendees(
    em,
    [
      {
        id: invite.attendeeId,
        eventId: event.id,
        email: invite.email,
        emailKey: person.emailKey,
        ...profileOf(invite),
        status,
        detailedStatus,
        awaitingConfirmation: start.awaitingConfirmation,
        workflowId,
      },
    ],
    options.by,
    wakes,
    watching,
  );
  await wakeEndpoints(deps, wakes);
  if (row) return { ...row, login_mode: event.loginMode, requires_registration: event.requiresRegistration };
  // The workflow may have written this very invite first; otherwise the address was taken.
  const own = await findAttendee(em, event.organization.id, event.id, invite.attendeeId);
  if (own) return own;
  throw new DuplicateInviteError();
}

/** `startInvite` for callers to whom an address invited already (a racing invite won) is no error: null. */
export async function inviteThroughWorkflow(
  deps: Pick<AppDeps, 'orm' | 'temporal' | 'taskQueue' | 'attendeeRetentionMs' | 'logger'>,
  event: EventRow,
  person: Invitee,
  options: { sendEmail: boolean; by: string },
): Promise<AttendeeRow | null> {
  try {
    return await startInvite(deps, event, person, options);
  } catch (error) {
    if (error instanceof DuplicateInviteError) return null;
    throw error;
  }
}
