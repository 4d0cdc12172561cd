import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/attendee.activities';
import { invitedStatus, isActionAllowed } from '../../domain/attendee-lifecycle';
import { FailureType } from '../../domain/errors';
import {
  type ActionInput,
  type AttendeeState,
  type AttendeeWorkflowInput,
  type InviteInput,
  inviteUpdate,
  runActionUpdate,
  stateQuery,
} from './definitions';

const { recordInvitation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Bounded: the API is waiting on this update. A database outage fails the invite, not the workflow.
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 8,
  },
});

// Postmark 429 / 5xx are retried with backoff for as long as a day; final refusals are not retried.
const { sendAttendeeEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [FailureType.emailRejected],
  },
  scheduleToCloseTimeout: '1 day',
});

interface PendingEmail {
  kind: 'invitation';
  ledgerKey: string;
}

/** One workflow per attendee of an event: message handlers delegate to domain/, the main loop sends email. */
export async function attendeeWorkflow(input: AttendeeWorkflowInput): Promise<void> {
  const state: AttendeeState = input.state ?? {
    attendeeId: null,
    status: null,
    detailedStatus: null,
    loginMode: 'magic_link',
    emailsRequested: 0,
  };
  const outbox: PendingEmail[] = [];

  const requestEmail = (kind: PendingEmail['kind']) => {
    state.emailsRequested += 1;
    outbox.push({ kind, ledgerKey: `${state.attendeeId}/${kind}/${state.emailsRequested}` });
  };

  setHandler(stateQuery, () => state);

  setHandler(
    inviteUpdate,
    async (invite: InviteInput) => {
      // Claimed before the first await, so a racing second invite is refused by the validator.
      const attendeeId = uuid4();
      const { status, detailedStatus } = invitedStatus(invite.requiresRegistration);
      Object.assign(state, { attendeeId, status, detailedStatus, loginMode: invite.loginMode });
      try {
        await recordInvitation({
          attendeeId,
          eventId: input.eventId,
          workflowId: workflowInfo().workflowId,
          emailKey: input.emailKey,
          email: invite.email,
          firstName: invite.firstName,
          lastName: invite.lastName,
          language: invite.language,
          roles: invite.roles,
          title: invite.title,
          company: invite.company,
          bio: invite.bio,
          status,
          detailedStatus,
          by: invite.by,
        });
      } catch (error) {
        Object.assign(state, { attendeeId: null, status: null, detailedStatus: null });
        // Fail the update (not the workflow) with the activity's business reason.
        const cause = error instanceof ActivityFailure ? error.cause : undefined;
        if (cause instanceof ApplicationFailure) throw cause;
        throw ApplicationFailure.create({
          type: 'invite_failed',
          message: String(error),
          nonRetryable: true,
        });
      }
      if (invite.sendEmail) requestEmail('invitation');
      return { attendeeId };
    },
    {
      validator: (_invite: InviteInput) => {
        if (state.attendeeId !== null) {
          throw ApplicationFailure.create({
            type: FailureType.duplicateEmail,
            message: 'This email address is already invited to the event.',
          });
        }
      },
    },
  );

  setHandler(
    runActionUpdate,
    async ({ action }: ActionInput) => {
      // Only resend_email runs here so far; the API refuses the others before they reach the workflow.
      if (action === 'resend_email') requestEmail('invitation');
      return { attendeeId: state.attendeeId ?? '', action };
    },
    {
      validator: ({ action }: ActionInput) => {
        const allowed =
          state.status !== null &&
          isActionAllowed(
            { status: state.status, chatTermsAgreed: false, chatBlocked: false, loginMode: state.loginMode },
            action,
          );
        if (!allowed) {
          throw ApplicationFailure.create({
            type: FailureType.actionNotAllowed,
            message: `The action ${action} is not allowed while the attendee is ${state.status ?? 'not invited'}.`,
          });
        }
      },
    },
  );

  for (;;) {
    await condition(() => outbox.length > 0 || workflowInfo().continueAsNewSuggested);
    while (outbox.length > 0) {
      const email = outbox[0] as PendingEmail;
      try {
        await sendAttendeeEmail({
          attendeeId: state.attendeeId as string,
          kind: email.kind,
          ledgerKey: email.ledgerKey,
        });
      } catch (error) {
        // Recorded on the ledger by the activity; the lifecycle goes on without this email.
        log.warn('attendee email not sent', { ledgerKey: email.ledgerKey, error: String(error) });
      }
      outbox.shift();
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (outbox.length === 0) {
        await continueAsNew<typeof attendeeWorkflow>({
          eventId: input.eventId,
          emailKey: input.emailKey,
          state,
        });
      }
    }
  }
}
