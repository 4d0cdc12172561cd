import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { type AttendeeRow, findAttendee } from '../../db/queries/attendees';
import type { EventRow } from '../../db/queries/events';
import { invitedStatus, type Role, selfRegisteredStatus } from '../../domain/attendee-lifecycle';
import { searchText } from '../../domain/email-address';
import { checkInvitee, type InviteeInput } from '../../domain/import-invitee';
import type { LanguageCode } from '../../domain/languages';
import { type InvitedInput, invitedSignal } from '../../workflows/attendee/definitions';
import { attendeeWorkflowId } from '../../workflows/attendee/workflow-id';
import type { AppDeps } from '../context';
import { ProblemError } from '../problem';

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

// The attendee and its first history row in one statement; answers the row as the API shows it.
const INSERT = `with inserted as (
    insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
      detailed_status, awaiting_confirmation, title, company, bio, image_url, search_text, name_key, workflow_id,
      created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?, ?, ?, null, ?, ?, ?,
      clock_timestamp(), clock_timestamp())
    returning *),
  history as (
    insert into attendee_history (id, attendee_id, at, status, detailed_status, actor)
    select gen_random_uuid(), id, created_at, status, detailed_status, ? from inserted)
  select *, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
    from inserted`;

// Raw statements come back with the driver's error (pg: code 23505), not MikroORM's.
const isUniqueViolation = (error: unknown) =>
  error instanceof UniqueConstraintViolationException ||
  (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505');

/**
 * Invites one person without waiting for a workflow task. A signal-with-start first hands the
 * invite to the workflow `attendee/<eventId>/<sha256(emailKey)>` (which sends the invitation),
 * then the attendee row is written: the unique index of live addresses decides racing invites
 * (DuplicateInviteError). The workflow takes the invite only once the row exists, and writes the
 * row itself when this process stopped between the signal and the insert, so neither side can
 * hold an invite the other lacks. No connection or lock is held across the Temporal call.
 */
export async function startInvite(
  deps: Pick<AppDeps, 'orm' | 'temporal' | 'taskQueue'>,
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
  await deps.temporal.workflow.signalWithStart('attendeeWorkflow', {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [{ eventId: event.id, emailKey: person.emailKey }],
    signal: invitedSignal,
    signalArgs: [invite],
  });
  const em = deps.orm.em.fork();
  try {
    const [row] = await em
      .getConnection()
      .execute<Omit<AttendeeRow, 'login_mode' | 'requires_registration'>[]>(INSERT, [
        invite.attendeeId,
        event.id,
        invite.email,
        person.emailKey,
        invite.firstName,
        invite.lastName,
        invite.language,
        JSON.stringify(invite.roles),
        status,
        detailedStatus,
        start.awaitingConfirmation,
        invite.title,
        invite.company,
        invite.bio,
        searchText(invite.firstName, invite.lastName, invite.email),
        `${invite.firstName} ${invite.lastName}`.toLowerCase(),
        workflowId,
        options.by,
      ]);
    return {
      ...(row as Omit<AttendeeRow, 'login_mode' | 'requires_registration'>),
      login_mode: event.loginMode,
      requires_registration: event.requiresRegistration,
    };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The workflow may have written this very invite first; otherwise the address was taken.
    const own = await findAttendee(em, event.organization.id, event.id, invite.attendeeId);
    if (own) return own;
    throw new DuplicateInviteError();
  }
}

/** `startInvite` for callers to whom an address invited already (a racing invite won) is no error: null. */
export async function inviteThroughWorkflow(
  deps: Pick<AppDeps, 'orm' | 'temporal' | 'taskQueue'>,
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
