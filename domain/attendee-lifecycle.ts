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
