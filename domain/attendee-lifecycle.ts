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
  // Signed up on the event's published registration page, without an invitation.
  'registered',
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
  /** An invitee who must still register (the event requires it, or the confirm link is out). */
  mustRegister: boolean;
}

const BY_STATUS: Record<Status, readonly Action[]> = {
  attended: ['edit', 'view_analytics', 'remove', 'block', 'block_from_chat'],
  sso_login: ['edit', 'view_analytics', 'remove', 'block'],
  invited: ['edit', 'resend_email', 'remove', 'block', 'generate_login_link'],
  registered: ['edit', 'resend_email', 'view_analytics', 'remove', 'block', 'generate_login_link'],
  unregistered: [],
  blocked: ['edit', 'view_analytics', 'unblock'],
};

/** The actions allowed now, in the contract's order. */
export function allowedActions(ctx: ActionContext): Action[] {
  const actions: Action[] = [];
  for (const action of BY_STATUS[ctx.status]) {
    // A login link works only where a login can: magic-link events, and not for an invitee who
    // must register first (their invitation link leads to the registration; resend_email sends it).
    if (action === 'generate_login_link' && (ctx.loginMode !== 'magic_link' || ctx.mustRegister)) continue;
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

export type ChatPermission =
  | { mayPost: true }
  | { mayPost: false; reason: 'not_in_event' | 'chat_terms_not_agreed' | 'blocked_from_chat' };

/**
 * Whether an attendee may post in the event's chat, for the chat service to enforce: people who
 * entered the event (attended or signed in by SSO), agreed to the chat terms and are not blocked
 * from chat. Blocking from chat ends nothing else.
 */
export function chatPermission(a: {
  status: Status;
  chatTermsAgreed: boolean;
  chatBlocked: boolean;
}): ChatPermission {
  if (a.status !== 'attended' && a.status !== 'sso_login') return { mayPost: false, reason: 'not_in_event' };
  if (!a.chatTermsAgreed) return { mayPost: false, reason: 'chat_terms_not_agreed' };
  if (a.chatBlocked) return { mayPost: false, reason: 'blocked_from_chat' };
  return { mayPost: true };
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

/**
 * Where a person who registers on the event's published page starts: `registered`, waiting for
 * the confirm link when the event requires email confirmation (confirming lands on confirmed_email).
 */
export function selfRegisteredStatus(requiresEmailConfirmation: boolean): {
  position: Position;
  awaitingConfirmation: boolean;
  effect: Effect;
} {
  return {
    position: { status: 'registered', detailedStatus: 'registered' },
    awaitingConfirmation: requiresEmailConfirmation,
    effect: requiresEmailConfirmation ? 'send_confirmation_request' : 'send_registration_confirmation',
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
  /** Visits from the end on change no status (absent in histories recorded before it existed). */
  endsAt?: string;
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

function visitPosition(at: string, event: EventRules): Position | null {
  const time = Date.parse(at);
  if (time < Date.parse(event.startsAt)) return { status: 'attended', detailedStatus: 'pre_event_visit' };
  // After the end (recordings, a late look) the visit is kept in analytics but says nothing new
  // about attendance: the status stays as it was.
  if (event.endsAt && time >= Date.parse(event.endsAt)) return null;
  return { status: 'attended', detailedStatus: 'during_event_visit' };
}

/** Someone who has to complete the registration (or confirm the address) before entering. */
const mustRegister = (state: LifecycleState, event: EventRules) =>
  state.awaitingConfirmation || (state.position?.status === 'invited' && event.requiresRegistration);

/** Lets a person in: who may log in, and with which resulting position. */
function entering(state: LifecycleState, event: EventRules, at: string): Position | string {
  const status = state.position?.status;
  if (status === 'blocked') return 'Blocked attendees cannot log in.';
  if (status === 'unregistered') return 'This person unregistered from the event.';
  if (!status) return 'This person is not invited to the event.';
  if (status === 'sso_login') return state.position as Position;
  if (mustRegister(state, event)) return 'This person has to complete the registration first.';
  // Once the event has started, a visit is a during-event visit for good.
  if (state.position?.detailedStatus === 'during_event_visit') return state.position;
  return visitPosition(at, event) ?? (state.position as Position);
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
        mustRegister: mustRegister(state, event),
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
      // Invitees who accepted, and people who registered on the published page.
      const status = position?.status;
      if ((status !== 'invited' && status !== 'registered') || !state.awaitingConfirmation)
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
      if (state.awaitingConfirmation) return go({}, ['send_confirmation_request']);
      if (position?.status === 'registered') return go({}, ['send_registration_confirmation']);
      return go({}, ['send_invitation']);
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
