/**
 * The attendee state machine: statuses, detailed statuses and the actions each allows.
 * The API's 409s, the attendee's `actions` list and the workflow's update validators all ask here.
 */

export const STATUSES = [
  'invited',
  'registered',
  'attended',
  'sso_login',
  'unregistered',
  'blocked',
] as const;
export type Status = (typeof STATUSES)[number];

export const DETAILED_STATUSES = [
  'invited_by_team_member',
  'invited_by_team_member_to_register',
  'confirmed_email',
  'registered_no_confirmation_required',
  'pre_event_visit',
  'during_event_visit',
  'sso_login',
  'unregistered',
  'blocked',
] as const;
export type DetailedStatus = (typeof DETAILED_STATUSES)[number];

export const ROLES = ['attendee', 'speaker', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'edit',
  'view_analytics',
  'resend_email',
  'remove',
  'block',
  'unblock',
  'block_from_chat',
  'unblock_from_chat',
  'generate_login_link',
] as const;
export type Action = (typeof ACTIONS)[number];

export type LoginMode = 'magic_link' | 'sso';

export interface ActionContext {
  status: Status;
  chatTermsAgreed: boolean;
  chatBlocked: boolean;
  loginMode: LoginMode;
}

const BY_STATUS: Record<Status, readonly Action[]> = {
  attended: ['edit', 'view_analytics', 'remove', 'block', 'block_from_chat'],
  sso_login: ['edit', 'view_analytics', 'remove'],
  invited: ['edit', 'resend_email', 'remove', 'block', 'generate_login_link'],
  registered: ['edit', 'resend_email', 'view_analytics', 'remove', 'block', 'generate_login_link'],
  unregistered: [],
  blocked: ['edit', 'view_analytics', 'unblock'],
};

/** The actions allowed now, in the contract's order. */
export function allowedActions(ctx: ActionContext): Action[] {
  const actions: Action[] = [];
  for (const action of BY_STATUS[ctx.status]) {
    if (action === 'generate_login_link' && ctx.loginMode !== 'magic_link') continue;
    if (action === 'block_from_chat') {
      if (!ctx.chatTermsAgreed) continue;
      actions.push(ctx.chatBlocked ? 'unblock_from_chat' : 'block_from_chat');
      continue;
    }
    actions.push(action);
  }
  return actions;
}

export function isActionAllowed(ctx: ActionContext, action: Action): boolean {
  return allowedActions(ctx).includes(action);
}

/** The status and detailed status a fresh invitation starts in. */
export function invitedStatus(requiresRegistration: boolean): {
  status: Status;
  detailedStatus: DetailedStatus;
} {
  return {
    status: 'invited',
    detailedStatus: requiresRegistration ? 'invited_by_team_member_to_register' : 'invited_by_team_member',
  };
}

/** Roles as stored: always `attendee`, then speaker / moderator in a fixed order, no repeats. */
export function normalizeRoles(roles: readonly Role[] | undefined): Role[] {
  const set = new Set<Role>(roles ?? []);
  return ROLES.filter((r) => r === 'attendee' || set.has(r));
}

export const PROFILE_ROLES: ReadonlySet<Role> = new Set<Role>(['speaker', 'moderator']);
export const BIO_MAX = 2500;

/** Event settings that the transitions depend on; the API passes them fresh with every command. */
export interface EventRules {
  loginMode: LoginMode;
  /** Invitees must register (accept) before they may enter. */
  requiresRegistration: boolean;
  /** Registration completes only after the email address is confirmed. */
  requiresEmailConfirmation: boolean;
  startsAt: string;
}

export interface Position {
  status: Status;
  detailedStatus: DetailedStatus;
}

/** What the attendee workflow holds about one person, and all that the transitions read. */
export interface LifecycleState {
  position: Position | null;
  /** The position to return to on unblock. */
  beforeBlock: Position | null;
  awaitingConfirmation: boolean;
  chatTermsAgreed: boolean;
  chatBlocked: boolean;
}

/** Things that happen to an attendee. Organizer actions, attendee actions and facts alike. */
export type Command =
  | { type: 'accept' }
  | { type: 'confirm' }
  | { type: 'login'; at: string }
  | { type: 'visit'; at: string }
  | { type: 'sso_login' }
  | { type: 'unregister' }
  | { type: 'block' }
  | { type: 'unblock' }
  | { type: 'remove' }
  | { type: 'agree_chat_terms' }
  | { type: 'block_from_chat' }
  | { type: 'unblock_from_chat' }
  | { type: 'edit' }
  | { type: 'resend_email' }
  | { type: 'generate_login_link' };

export type Effect = 'send_invitation' | 'send_registration_confirmation' | 'send_confirmation_request';

export type Decision =
  | { ok: true; state: LifecycleState; effects: Effect[]; statusChanged: boolean }
  | { ok: false; reason: string };

const refuse = (reason: string): Decision => ({ ok: false, reason });

function visitPosition(at: string, event: EventRules): Position {
  return Date.parse(at) < Date.parse(event.startsAt)
    ? { status: 'attended', detailedStatus: 'pre_event_visit' }
    : { status: 'attended', detailedStatus: 'during_event_visit' };
}

/** Lets a person in: who may log in, and with which resulting position. */
function entering(state: LifecycleState, event: EventRules, at: string): Position | string {
  const status = state.position?.status;
  if (status === 'blocked') return 'Blocked attendees cannot log in.';
  if (status === 'unregistered') return 'This person unregistered from the event.';
  if (!status) return 'This person is not invited to the event.';
  if (status === 'sso_login') return state.position as Position;
  if (status === 'invited' && (event.requiresRegistration || state.awaitingConfirmation)) {
    return 'This person has to complete the registration first.';
  }
  const next = visitPosition(at, event);
  // Once the event has started, a visit is a during-event visit for good.
  if (state.position?.detailedStatus === 'during_event_visit') return state.position;
  return next;
}

/**
 * The attendee state machine. Every rule of who may do what, in which status, lives here:
 * the API's 409s, the `actions` list and the workflow's update validators all ask it.
 */
export function decide(state: LifecycleState, command: Command, event: EventRules): Decision {
  const position = state.position;
  const ctx = position
    ? {
        status: position.status,
        chatTermsAgreed: state.chatTermsAgreed,
        chatBlocked: state.chatBlocked,
        loginMode: event.loginMode,
      }
    : null;
  const may = (action: Action) => ctx !== null && isActionAllowed(ctx, action);
  const go = (next: Partial<LifecycleState>, effects: Effect[] = []): Decision => {
    const merged = { ...state, ...next };
    const changed =
      merged.position?.status !== position?.status ||
      merged.position?.detailedStatus !== position?.detailedStatus;
    return { ok: true, state: merged, effects, statusChanged: changed };
  };
  const notAllowed = (what: string) =>
    refuse(`${what} is not allowed while the attendee is ${position?.status ?? 'not invited'}.`);

  switch (command.type) {
    case 'accept': {
      if (position?.status !== 'invited' || state.awaitingConfirmation)
        return notAllowed('Accepting the invitation');
      if (event.requiresEmailConfirmation)
        return go({ awaitingConfirmation: true }, ['send_confirmation_request']);
      return go(
        { position: { status: 'registered', detailedStatus: 'registered_no_confirmation_required' } },
        ['send_registration_confirmation'],
      );
    }
    case 'confirm': {
      if (position?.status !== 'invited' || !state.awaitingConfirmation)
        return notAllowed('Confirming the email');
      return go(
        {
          position: { status: 'registered', detailedStatus: 'confirmed_email' },
          awaitingConfirmation: false,
        },
        ['send_registration_confirmation'],
      );
    }
    case 'login':
    case 'visit': {
      const next = entering(state, event, command.at);
      return typeof next === 'string' ? refuse(next) : go({ position: next });
    }
    case 'sso_login': {
      if (event.loginMode !== 'sso') return refuse('This event does not use single sign-on.');
      const status = position?.status;
      if (status === 'blocked' || status === 'unregistered' || !status) return notAllowed('Signing in');
      return go({
        position: { status: 'sso_login', detailedStatus: 'sso_login' },
        awaitingConfirmation: false,
      });
    }
    case 'unregister': {
      const status = position?.status;
      if (!status || status === 'blocked' || status === 'unregistered') return notAllowed('Unregistering');
      return go({ position: { status: 'unregistered', detailedStatus: 'unregistered' } });
    }
    case 'block':
      if (!may('block')) return notAllowed('Blocking');
      return go({ position: { status: 'blocked', detailedStatus: 'blocked' }, beforeBlock: position });
    case 'unblock':
      if (!may('unblock') || !state.beforeBlock) return notAllowed('Unblocking');
      return go({ position: state.beforeBlock, beforeBlock: null });
    case 'remove':
      if (!may('remove')) return notAllowed('Removing');
      return go({
        position: null,
        beforeBlock: null,
        awaitingConfirmation: false,
        chatTermsAgreed: false,
        chatBlocked: false,
      });
    case 'agree_chat_terms': {
      const status = position?.status;
      if (!status || status === 'blocked' || status === 'unregistered')
        return notAllowed('Agreeing to the chat terms');
      return go({ chatTermsAgreed: true });
    }
    case 'block_from_chat':
      if (!may('block_from_chat')) return notAllowed('Blocking from chat');
      return go({ chatBlocked: true });
    case 'unblock_from_chat':
      if (!may('unblock_from_chat')) return notAllowed('Unblocking from chat');
      return go({ chatBlocked: false });
    case 'edit':
      return may('edit') ? go({}) : notAllowed('Editing');
    case 'generate_login_link':
      return may('generate_login_link') ? go({}) : notAllowed('Generating a login link');
    case 'resend_email': {
      if (!may('resend_email')) return notAllowed('Resending the email');
      if (position?.status === 'registered') return go({}, ['send_registration_confirmation']);
      return go({}, [state.awaitingConfirmation ? 'send_confirmation_request' : 'send_invitation']);
    }
  }
}

export const EMPTY_LIFECYCLE: LifecycleState = {
  position: null,
  beforeBlock: null,
  awaitingConfirmation: false,
  chatTermsAgreed: false,
  chatBlocked: false,
};
