import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { EventRow } from '../../db/queries/events';
import { eventRules } from '../../db/queries/events';
import type { Role } from '../../domain/attendee-lifecycle';
import { FailureType } from '../../domain/errors';
import type { LanguageCode } from '../../domain/languages';
import { inviteUpdate } from '../../workflows/attendee/definitions';
import { attendeeWorkflowId } from '../../workflows/attendee/workflow-id';
import type { AppDeps } from '../context';

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

/**
 * Invites one person through the attendee workflow: update-with-start on
 * `attendee/<eventId>/<sha256(emailKey)>`, so racing invites of one address meet one workflow.
 * Answers the new attendee's id; refusals (a duplicate address) come as WorkflowUpdateFailedError.
 */
export async function startInvite(
  deps: Pick<AppDeps, 'temporal' | 'taskQueue'>,
  event: EventRow,
  person: Invitee,
  options: { sendEmail: boolean; by: string },
): Promise<string> {
  const start = new WithStartWorkflowOperation('attendeeWorkflow', {
    workflowId: attendeeWorkflowId(event.id, person.emailKey),
    taskQueue: deps.taskQueue,
    args: [{ eventId: event.id, emailKey: person.emailKey }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await deps.temporal.workflow.executeUpdateWithStart(inviteUpdate, {
    args: [
      {
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        language: person.language ?? event.defaultLanguage,
        roles: person.roles ?? ['attendee'],
        title: person.title ?? null,
        company: person.company ?? null,
        bio: person.bio ?? null,
        sendEmail: options.sendEmail,
        event: eventRules(event),
        by: options.by,
      },
    ],
    startWorkflowOperation: start,
  });
  return result.attendeeId;
}

/** `startInvite` for callers to whom an address invited already (a racing invite won) is no error: null. */
export async function inviteThroughWorkflow(
  deps: Pick<AppDeps, 'temporal' | 'taskQueue'>,
  event: EventRow,
  person: Invitee,
  options: { sendEmail: boolean; by: string },
): Promise<string | null> {
  try {
    return await startInvite(deps, event, person, options);
  } catch (error) {
    if (
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === FailureType.duplicateEmail
    ) {
      return null;
    }
    throw error;
  }
}
