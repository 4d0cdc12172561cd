// Over 350 lines on purpose: the message handlers and the main loop share one state and one
// outbox in this closure, and read best together (DESIGN.md: "message handlers + main loop").
import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, AttendeeEmailKind } from '../../activities/attendee.activities';
import {
  type Command,
  type DetailedStatus,
  decide,
  type Effect,
  EMPTY_LIFECYCLE,
  type EventRules,
  invitedStatus,
  type LoginMode,
  type Status,
} from '../../domain/attendee-lifecycle';
import { FailureType } from '../../domain/errors';
import { AWAITED_WRITE } from '../retry';
import { SA } from '../search-attributes';
import {
  ATTENDEE_CODE_VERSION,
  type AttendeePatch,
  type AttendeeState,
  type AttendeeWorkflowInput,
  bouncedSignal,
  CODE_VERSION_1_PATCHES,
  type CommandInput,
  type CommandResult,
  commandUpdate,
  DEFAULT_RETENTION_MS,
  eraseUpdate,
  type InvitedInput,
  type InviteInput,
  invitedSignal,
  inviteUpdate,
  type Profile,
  profileOf,
  readState,
  requestLoginLinkUpdate,
  stateQuery,
  type VisitInput,
  visitSignal,
} from './definitions';

// Local activities: short database writes the API is waiting on, run in the worker without a
// round trip through the server per call. Bounded: a database outage fails the request, not the workflow.
const {
  recordInvitation,
  recordTransition,
  updateProfile,
  recordVisit,
  issueLoginLink,
  eraseAttendee,
  recordBounce,
} = proxyLocalActivities<Activities>(AWAITED_WRITE);

// The end of a workflow waits for nobody: a database outage delays it rather than failing it.
const { recordFinalState, eventEnd } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// Postmark 429 / 5xx are retried with backoff for as long as a day; final refusals are not retried.
const EMAIL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [FailureType.emailRejected],
  },
};
const { sendAttendeeEmail } = proxyActivities<Activities>(EMAIL_OPTIONS);

/**
 * The same, run by the worker in the workflow task that asked for it (runs of codeVersion 2, for
 * the email of an invite the API signalled, whose caller waits for nothing): no activity task and
 * no second workflow task. Retries past the first few wait on a server timer, not in an open task.
 */
const { sendAttendeeEmail: sendAttendeeEmailHere } = proxyLocalActivities<Activities>({
  ...EMAIL_OPTIONS,
  localRetryThreshold: '5 seconds',
});

const EFFECT_EMAIL: Record<Effect, AttendeeEmailKind> = {
  send_invitation: 'invitation',
  send_confirmation_request: 'confirmation_request',
  send_registration_confirmation: 'registration_confirmation',
};

interface PendingEmail {
  kind: AttendeeEmailKind;
  ledgerKey: string;
  /** Sent as a local activity (sendAttendeeEmailHere). */
  here?: boolean;
}

/** One workflow per (event, address): message handlers delegate to domain/decide, the main loop sends email. */
export async function attendeeWorkflow(input: AttendeeWorkflowInput): Promise<void> {
  const state: AttendeeState = readState(input.state);
  /** Which code started this run (0: before the field existed); see definitions.ts. */
  const codeVersion = input.codeVersion ?? 0;
  /** A patch's behaviour: without a marker for runs started by code that has it (codeVersion). */
  const has = (patch: AttendeePatch) =>
    (codeVersion >= 1 && CODE_VERSION_1_PATCHES.includes(patch)) || patched(patch);
  const outbox: PendingEmail[] = [];
  const visits: VisitInput[] = [];

  const bounces: string[] = [];
  let erased = false;

  // The workflow ends `retentionMs` after the event's end, as last seen in a message's event
  // rules (an unknown end counts from the start: the stored event is looked up then).
  const retentionMs = input.retentionMs ?? DEFAULT_RETENTION_MS;
  let endsAtMs = input.endsAt ? Date.parse(input.endsAt) : Date.now();
  const seeEvent = (event: EventRules | undefined) => {
    if (event?.endsAt) endsAtMs = Date.parse(event.endsAt);
  };

  /** Nobody held any more (an invite not taken, an erasure). */
  const release = () => {
    state.attendeeId = null;
    state.lifecycle = { ...state.lifecycle, position: null };
  };

  /**
   * The status the Web UI filters on (RosterAttendeeStatus). Starters set the first one; a run
   * recorded before the attribute existed goes on without it. Runs of codeVersion 1 skip an
   * upsert that changes nothing (a history event and a billed action each).
   */
  const showStatus = (status: Status | 'removed' | 'erased') => {
    if (!has('search-attributes')) return;
    const shown = workflowInfo().typedSearchAttributes;
    if (
      codeVersion >= 1 &&
      shown.get(SA.eventId) === input.eventId &&
      shown.get(SA.attendeeStatus) === status
    )
      return;
    upsertSearchAttributes([
      { key: SA.eventId, value: input.eventId },
      { key: SA.attendeeStatus, value: status },
    ]);
  };

  const requestEmail = (kind: AttendeeEmailKind, here = false) => {
    state.emailsRequested += 1;
    outbox.push({
      kind,
      ledgerKey: `${state.attendeeId}/${kind}/${state.emailsRequested}`,
      ...(here ? { here } : {}),
    });
  };

  const refuse = (reason: string) =>
    ApplicationFailure.create({ type: FailureType.actionNotAllowed, message: reason, nonRetryable: true });

  /** Checks a command against the state machine; throws the refusal for validators. */
  const check = (command: Command, event: EventRules) => {
    if (erased) throw refuse('This person was erased.');
    if (!state.attendeeId) throw refuse('This person is not invited to the event.');
    const decision = decide(state.lifecycle, command, event);
    if (!decision.ok) throw refuse(decision.reason);
    return decision;
  };

  /** Applies a decided command: writes the read model, then queues its emails. */
  const apply = async (command: Command, event: EventRules, by: string, at: string) => {
    const decision = check(command, event);
    const attendeeId = state.attendeeId as string;
    const next = decision.state;
    state.lifecycle = next;
    await recordTransition({
      attendeeId,
      historyId: uuid4(),
      position: next.position,
      statusChanged: decision.statusChanged,
      beforeBlock: next.beforeBlock,
      flags: {
        awaitingConfirmation: next.awaitingConfirmation,
        chatTermsAgreed: next.chatTermsAgreed,
        chatBlocked: next.chatBlocked,
      },
      by,
      at,
    });
    if (decision.statusChanged || !next.position) showStatus(next.position?.status ?? 'removed');
    for (const effect of decision.effects) requestEmail(EFFECT_EMAIL[effect]);
    // Removed: the address may be invited again, as a new attendee. An invite signal taken while
    // the removal was being written belongs to that new attendee and is kept.
    if (!next.position && state.attendeeId === attendeeId) {
      state.attendeeId = null;
      outbox.length = 0;
    }
    return attendeeId;
  };

  setHandler(stateQuery, () => state);

  /** The workflow now holds a newly invited attendee, with a fresh lifecycle. */
  const holdNew = (
    attendeeId: string,
    status: Status,
    detailedStatus: DetailedStatus,
    loginMode: LoginMode,
    awaitingConfirmation = false,
  ) =>
    Object.assign(state, {
      attendeeId,
      loginMode,
      lifecycle: { ...EMPTY_LIFECYCLE, position: { status, detailedStatus }, awaitingConfirmation },
    });

  /** The attendee row and first history row of an invite of this workflow's address. */
  const recordInvite = (
    invite: Profile & { email: string; by: string; awaitingConfirmation?: boolean },
    attendeeId: string,
    status: Status,
    detailedStatus: DetailedStatus,
  ) =>
    recordInvitation({
      attendeeId,
      eventId: input.eventId,
      workflowId: workflowInfo().workflowId,
      emailKey: input.emailKey,
      email: invite.email,
      ...profileOf(invite),
      status,
      detailedStatus,
      ...(invite.awaitingConfirmation ? { awaitingConfirmation: true } : {}),
      by: invite.by,
    });

  // Registered before the updates, so a command sent right after the invite, sharing its first
  // task, finds the attendee.
  setHandler(invitedSignal, async (invite: InvitedInput) => {
    if (erased || state.attendeeId === invite.attendeeId) return;
    const adopt = () =>
      holdNew(
        invite.attendeeId,
        invite.status,
        invite.detailedStatus,
        invite.loginMode,
        invite.awaitingConfirmation ?? false,
      );
    // The API signals before it writes the row, and the row decides. Nobody held: taken at once.
    const early = state.attendeeId === null;
    if (early) adopt();
    try {
      // Finds the API's row, or writes it when the API stopped after its signal; refuses when
      // another live attendee holds the address (the API answered 409).
      await recordInvite(invite, invite.attendeeId, invite.status, invite.detailedStatus);
    } catch (error) {
      if (state.attendeeId === invite.attendeeId) release();
      log.info('invite not taken', { attendeeId: invite.attendeeId, error: String(error) });
      return;
    }
    if (!early) adopt();
    if (state.attendeeId === invite.attendeeId) showStatus(invite.status);
    if (invite.sendEmail && state.attendeeId === invite.attendeeId)
      requestEmail(EFFECT_EMAIL[invite.firstEmail ?? 'send_invitation'], codeVersion >= 2);
  });

  setHandler(
    inviteUpdate,
    async (invite: InviteInput) => {
      // Claimed before the first await, so a racing second invite is refused by the validator.
      const attendeeId = uuid4();
      seeEvent(invite.event);
      const { status, detailedStatus } = invitedStatus(invite.event.requiresRegistration);
      holdNew(attendeeId, status, detailedStatus, invite.event.loginMode);
      try {
        await recordInvite(invite, attendeeId, status, detailedStatus);
      } catch (error) {
        release();
        // Fail the update (not the workflow) with the activity's business reason.
        const cause = error instanceof ActivityFailure ? error.cause : undefined;
        if (cause instanceof ApplicationFailure) throw cause;
        throw ApplicationFailure.create({
          type: FailureType.inviteFailed,
          message: String(error),
          nonRetryable: true,
        });
      }
      showStatus(status);
      if (invite.sendEmail) requestEmail('invitation');
      return { attendeeId };
    },
    {
      validator: (_invite: InviteInput) => {
        if (erased) throw refuse('This person was erased.');
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
    commandUpdate,
    async ({ command, event, by, at, profile, loginTokenHash }: CommandInput): Promise<CommandResult> => {
      const attendeeId = state.attendeeId as string;
      seeEvent(event);
      if (profile && (command.type === 'edit' || command.type === 'accept')) {
        await updateProfile({ attendeeId, changes: profile });
      }
      let loginLink: CommandResult['loginLink'];
      if (command.type === 'generate_login_link') {
        loginLink = await issueLoginLink({ attendeeId, eventId: input.eventId, tokenHash: loginTokenHash });
      }
      await apply(command, event, by, at);
      // An SSO sign-in is a visit too, as a magic-link login is (analytics: visits, first and last).
      const entered = command.type === 'login' || (command.type === 'sso_login' && has('sso-login-visit'));
      if (entered) {
        await recordVisit({ visitId: uuid4(), attendeeId, at, kind: 'login' });
      }
      const position = state.lifecycle.position;
      return {
        attendeeId,
        status: position?.status ?? null,
        detailedStatus: position?.detailedStatus ?? null,
        loginLink,
      };
    },
    { validator: ({ command, event }: CommandInput) => void check(command, event) },
  );

  setHandler(
    requestLoginLinkUpdate,
    async ({ event }: { event: EventRules; at: string }) => {
      seeEvent(event);
      requestEmail('login_link');
    },
    {
      validator: ({ event, at }: { event: EventRules; at: string }) => {
        if (event.loginMode !== 'magic_link') throw refuse('This event does not use login links.');
        check({ type: 'login', at }, event);
      },
    },
  );

  setHandler(
    eraseUpdate,
    async () => {
      erased = true;
      outbox.length = 0;
      const attendeeId = state.attendeeId;
      release();
      await eraseAttendee({ attendeeIds: attendeeId ? [attendeeId] : [] });
      showStatus('erased');
      return { erased: true };
    },
    {
      validator: () => {
        if (erased) throw refuse('This person was erased already.');
      },
    },
  );

  setHandler(visitSignal, (visit: VisitInput) => {
    seeEvent(visit.event);
    visits.push(visit);
  });

  // Queued for the main loop, which records it before it sends anything else.
  setHandler(bouncedSignal, ({ attendeeId }: { attendeeId: string }) => {
    bounces.push(attendeeId);
  });

  /**
   * Whether the workflow may end now: it holds nobody (removed, an invite not taken), or its
   * event ended a retention period ago by the stored event (moving the event moves the end).
   * Leaves its state in the attendee row first; false when anything came in meanwhile.
   */
  const ended = async (): Promise<boolean> => {
    if (state.attendeeId !== null) {
      if (!due) return false;
      // A later end came in a message since the timer was set: the loop sets a new one.
      if (endsAtMs + retentionMs > Date.now()) return false;
      const end = await eventEnd({ eventId: input.eventId });
      if (end && Date.parse(end.endsAt) + retentionMs > Date.now()) {
        endsAtMs = Date.parse(end.endsAt);
        return false;
      }
      const held = state.attendeeId;
      if (held) {
        const snapshot = JSON.stringify(state);
        await recordFinalState({
          attendeeId: held,
          emailsRequested: state.emailsRequested,
          beforeBlock: state.lifecycle.beforeBlock,
        });
        if (JSON.stringify(state) !== snapshot) return false;
      }
    }
    return !erased && !pending() && allHandlersFinished();
  };

  const pending = () => outbox.length > 0 || visits.length > 0 || bounces.length > 0;
  let timerAt: number | null = null;
  let due = false;
  /** One timer for the current closing time; a stale one changes nothing when it fires. */
  const arm = () => {
    const at = endsAtMs + retentionMs;
    if (at === timerAt) return;
    timerAt = at;
    due = at <= Date.now();
    if (!due)
      sleep(at - Date.now()).then(
        () => {
          if (timerAt === at) due = true;
        },
        () => undefined,
      );
  };

  while (!erased) {
    // Histories recorded before workflows ended replay without the timer and the lookups.
    const ends = has('lifecycle-ends');
    if (ends) arm();
    await condition(
      () =>
        erased ||
        pending() ||
        workflowInfo().continueAsNewSuggested ||
        (ends && (due || state.attendeeId === null) && allHandlersFinished()),
    );
    while (bounces.length > 0 && !erased) {
      await recordBounce({ attendeeId: bounces.shift() as string });
    }
    while (visits.length > 0 && !erased) {
      const visit = visits.shift() as VisitInput;
      const attendeeId = state.attendeeId;
      if (!attendeeId) continue;
      const decision = decide(state.lifecycle, { type: 'visit', at: visit.at }, visit.event);
      if (!decision.ok) {
        log.info('visit ignored', { reason: decision.reason });
        continue;
      }
      if (decision.statusChanged)
        await apply({ type: 'visit', at: visit.at }, visit.event, 'attendee', visit.at);
      await recordVisit({
        visitId: uuid4(),
        attendeeId,
        at: visit.at,
        kind: visit.kind,
        sessionId: visit.sessionId,
      });
    }
    while (outbox.length > 0 && !erased) {
      const email = outbox[0] as PendingEmail;
      try {
        await (email.here ? sendAttendeeEmailHere : sendAttendeeEmail)({
          attendeeId: state.attendeeId as string,
          kind: email.kind,
          ledgerKey: email.ledgerKey,
        });
      } catch (error) {
        // Recorded on the ledger by the activity; the lifecycle goes on without this email.
        log.warn('attendee email not sent', { ledgerKey: email.ledgerKey, error: String(error) });
      }
      // A removal and a new invite while this email was out change the head of the outbox.
      if (outbox[0] !== email && has('outbox-removes-the-sent-email')) {
        const at = outbox.indexOf(email);
        if (at >= 0) outbox.splice(at, 1);
      } else outbox.shift();
    }
    if (ends && !erased && !pending() && allHandlersFinished() && (await ended())) return;
    if (workflowInfo().continueAsNewSuggested && !erased) {
      await condition(allHandlersFinished);
      if (outbox.length === 0 && visits.length === 0 && bounces.length === 0) {
        await continueAsNew<typeof attendeeWorkflow>({
          eventId: input.eventId,
          emailKey: input.emailKey,
          state,
          codeVersion: ATTENDEE_CODE_VERSION,
          ...(ends ? { endsAt: new Date(endsAtMs).toISOString(), retentionMs } : {}),
        });
      }
    }
  }
  await condition(allHandlersFinished);
}
