import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Action, DetailedStatus, LoginMode, Role, Status } from '../../domain/attendee-lifecycle';
import type { LanguageCode } from '../../domain/languages';

/** The attendee workflow's contract: the API imports this file, the workflow implements it. */

export interface AttendeeWorkflowInput {
  eventId: string;
  emailKey: string;
  /** Carried across continue-as-new. */
  state?: AttendeeState;
}

export interface AttendeeState {
  attendeeId: string | null;
  status: Status | null;
  detailedStatus: DetailedStatus | null;
  loginMode: LoginMode;
  /** Counts every email asked for, so each gets its own ledger key. */
  emailsRequested: number;
}

export interface InviteInput {
  email: string;
  firstName: string;
  lastName: string;
  language: LanguageCode;
  roles: Role[];
  title: string | null;
  company: string | null;
  bio: string | null;
  sendEmail: boolean;
  requiresRegistration: boolean;
  loginMode: LoginMode;
  by: string;
}

export interface ActionInput {
  action: Action;
  by: string;
}

export interface ActionResult {
  attendeeId: string;
  action: Action;
}

/** Update, because the caller needs the new attendee or the reason it was refused. */
export const inviteUpdate = defineUpdate<{ attendeeId: string }, [InviteInput]>('invite');
/** Update, so a refused action answers 409 synchronously. */
export const runActionUpdate = defineUpdate<ActionResult, [ActionInput]>('runAction');
/** Query: the live state, for callers that need more than the read model. */
export const stateQuery = defineQuery<AttendeeState>('state');
