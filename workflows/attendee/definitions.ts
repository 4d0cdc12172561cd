import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Command,
  DetailedStatus,
  Effect,
  EventRules,
  LoginMode,
  Position,
  Role,
  Status,
} from '../../domain/attendee-lifecycle';
import type { LanguageCode } from '../../domain/languages';

/** The attendee workflow's contract: the API imports this file, the workflow implements it. */

export interface AttendeeWorkflowInput {
  eventId: string;
  emailKey: string;
  /** Given by a bulk import that already wrote the attendee, and carried across continue-as-new. */
  state?: AttendeeState;
}

export interface AttendeeState {
  attendeeId: string | null;
  status: Status | null;
  detailedStatus: DetailedStatus | null;
  loginMode: LoginMode;
  /** Counts every email asked for, so each gets its own ledger key. */
  emailsRequested: number;
  beforeBlock?: Position | null;
  awaitingConfirmation?: boolean;
  chatTermsAgreed?: boolean;
  chatBlocked?: boolean;
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
/** Query: the live state, for callers that need more than the read model. */
export const stateQuery = defineQuery<AttendeeState>('state');
