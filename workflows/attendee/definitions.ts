import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  type Command,
  type DetailedStatus,
  type Effect,
  EMPTY_LIFECYCLE,
  type EventRules,
  type LifecycleState,
  type LoginMode,
  type Position,
  type Role,
  type Status,
} from '../../domain/attendee-lifecycle';
import type { LanguageCode } from '../../domain/languages';

/** The attendee workflow's contract: the API imports this file, the workflow implements it. */

export interface AttendeeWorkflowInput {
  eventId: string;
  emailKey: string;
  /**
   * Given by a bulk import that already wrote the attendee, and carried across continue-as-new.
   * Histories recorded before the lifecycle was nested carry the flat shape: see `readState`.
   */
  state?: AttendeeState | FlatAttendeeState;
  /**
   * The event's end as the starter saw it. The workflow ends `retentionMs` after the latest end
   * it has seen (messages' event rules move it) once the stored event agrees. Absent: unknown,
   * looked up one retention period after the start.
   */
  endsAt?: string;
  /** How long after the event's end the workflow stays open (ATTENDEE_WORKFLOW_RETENTION_DAYS). */
  retentionMs?: number;
  /**
   * ATTENDEE_CODE_VERSION as the starter knew it. A run started with it takes the behaviours of
   * the patches it names without asking `patched()`, which records a marker, and the SDK's
   * TemporalChangeVersion upsert with it, in every new attendee's history. Runs recorded
   * without it still ask.
   */
  codeVersion?: number;
}

/** Patches every run started with codeVersion 1 or later takes (attendee.workflow.ts). */
export const CODE_VERSION_1_PATCHES = [
  'search-attributes',
  'lifecycle-ends',
  'sso-login-visit',
  'outbox-removes-the-sent-email',
] as const;
export type AttendeePatch = (typeof CODE_VERSION_1_PATCHES)[number];
/**
 * What starters (and continue-as-new) give as `codeVersion`. 1: the patches above without
 * markers. 2: also, the email of an invite the API signalled goes out as a local activity.
 */
export const ATTENDEE_CODE_VERSION = 2;

/** The retention when a starter gave none (the setting's default, 30 days). */
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface AttendeeState {
  attendeeId: string | null;
  loginMode: LoginMode;
  /** Counts every email asked for, so each gets its own ledger key. */
  emailsRequested: number;
  /** What the domain's state machine reads and decides (domain/attendee-lifecycle.ts). */
  lifecycle: LifecycleState;
}

/** The state as workflows wrote it before `lifecycle` was nested (still in recorded histories). */
export interface FlatAttendeeState {
  attendeeId: string | null;
  status: Status | null;
  detailedStatus: DetailedStatus | null;
  loginMode: LoginMode;
  emailsRequested: number;
  beforeBlock?: Position | null;
  awaitingConfirmation?: boolean;
  chatTermsAgreed?: boolean;
  chatBlocked?: boolean;
}

/** The workflow's starting state from its input, in either shape; nobody held without one. */
export function readState(state: AttendeeState | FlatAttendeeState | undefined): AttendeeState {
  if (!state)
    return { attendeeId: null, loginMode: 'magic_link', emailsRequested: 0, lifecycle: EMPTY_LIFECYCLE };
  if ('lifecycle' in state) return state;
  return {
    attendeeId: state.attendeeId,
    loginMode: state.loginMode,
    emailsRequested: state.emailsRequested,
    lifecycle: {
      position:
        state.status && state.detailedStatus
          ? { status: state.status, detailedStatus: state.detailedStatus }
          : null,
      beforeBlock: state.beforeBlock ?? null,
      awaitingConfirmation: state.awaitingConfirmation ?? false,
      chatTermsAgreed: state.chatTermsAgreed ?? false,
      chatBlocked: state.chatBlocked ?? false,
    },
  };
}

export interface Profile {
  firstName: string;
  lastName: string;
  language: LanguageCode;
  roles: Role[];
  title: string | null;
  company: string | null;
  bio: string | null;
}

/** The profile fields of an invite (or anything carrying them), without the rest. */
export const profileOf = (p: Profile): Profile => ({
  firstName: p.firstName,
  lastName: p.lastName,
  language: p.language,
  roles: p.roles,
  title: p.title,
  company: p.company,
  bio: p.bio,
});

export interface InviteInput extends Profile {
  email: string;
  sendEmail: boolean;
  event: EventRules;
  by: string;
}

/**
 * A single invite or a published registration; the API writes its attendee row right after
 * signalling it, and the row decides.
 */
export interface InvitedInput extends Profile {
  attendeeId: string;
  email: string;
  status: Status;
  detailedStatus: DetailedStatus;
  loginMode: LoginMode;
  sendEmail: boolean;
  by: string;
  /** A published registration waiting for its confirm link (absent: false). */
  awaitingConfirmation?: boolean;
  /** The first email when sendEmail is true (absent: the invitation). */
  firstEmail?: Effect;
}

export interface CommandInput {
  command: Command;
  event: EventRules;
  /** Who acts: `api_key:<id>`, `attendee`, `sso`, `system`. */
  by: string;
  /** When it happens, as the API saw it (workflow code has no wall clock of its own). */
  at: string;
  /** With `edit` and `accept`: the fields to change. */
  profile?: Partial<Profile> & { imageUrl?: string | null; answers?: Record<string, unknown> };
  /** With generate_login_link: the hash of the token the API made; the token never enters Temporal. */
  loginTokenHash?: string;
}

export interface CommandResult {
  attendeeId: string;
  status: Status | null;
  detailedStatus: DetailedStatus | null;
  /** With generate_login_link: the link, without its token when the API sent a loginTokenHash. */
  loginLink?: { url: string; expiresAt: string };
}

export interface VisitInput {
  at: string;
  kind: 'page' | 'session';
  sessionId?: string;
  event: EventRules;
}

/** Update, because the caller needs the new attendee or the reason it was refused. */
/** The workflow's type name, as registered by the worker (workflows/index.ts). */
export const ATTENDEE_WORKFLOW_TYPE = 'attendeeWorkflow';

export const inviteUpdate = defineUpdate<{ attendeeId: string }, [InviteInput]>('invite');
/**
 * Signal (with start): a single invite. The unique index of live addresses decides it, not the
 * workflow, so the API answers without waiting for a workflow task. The bulk import's re-invites
 * use `inviteUpdate`.
 */
export const invitedSignal = defineSignal<[InvitedInput]>('invited');
/** Update: every status change and action, so a refused one answers 409 synchronously. */
export const commandUpdate = defineUpdate<CommandResult, [CommandInput]>('command');
/** Update: ask for a login link by email; refused silently by the API (no enumeration). */
export const requestLoginLinkUpdate = defineUpdate<void, [{ event: EventRules; at: string }]>(
  'requestLoginLink',
);
/** Update: erase the person's data and end the workflow. */
export const eraseUpdate = defineUpdate<{ erased: boolean }, []>('erase');
/** Signal: a page or session visit reported by the event site; nobody waits for it. */
export const visitSignal = defineSignal<[VisitInput]>('visit');
/**
 * Signal: Postmark reported a hard bounce of a message to this attendee (the webhook); nobody
 * waits for it. The workflow records it, so no more email goes to the address.
 */
export const bouncedSignal = defineSignal<[{ attendeeId: string }]>('bounced');
/** Query: the live state, for callers that need more than the read model. */
export const stateQuery = defineQuery<AttendeeState>('state');
