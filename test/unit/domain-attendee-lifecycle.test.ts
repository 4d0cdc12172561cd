import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  type ActionContext,
  allowedActions,
  invitedStatus,
  isActionAllowed,
  type LoginMode,
  normalizeRoles,
  type Role,
  type Status,
} from '../../domain/attendee-lifecycle';

const ctx = (
  status: Status,
  loginMode: LoginMode = 'magic_link',
  chatTermsAgreed = false,
  chatBlocked = false,
  mustRegister = false,
): ActionContext => ({ status, loginMode, chatTermsAgreed, chatBlocked, mustRegister });

describe('allowedActions', () => {
  // API.md "Actions per status", in the contract's column order.
  it.each<[Status, LoginMode, boolean, boolean, Action[]]>([
    ['attended', 'magic_link', false, false, ['edit', 'view_analytics', 'remove', 'block']],
    ['attended', 'sso', false, false, ['edit', 'view_analytics', 'remove', 'block']],
    ['attended', 'magic_link', true, false, ['edit', 'view_analytics', 'remove', 'block', 'block_from_chat']],
    ['attended', 'sso', true, false, ['edit', 'view_analytics', 'remove', 'block', 'block_from_chat']],
    [
      'attended',
      'magic_link',
      true,
      true,
      ['edit', 'view_analytics', 'remove', 'block', 'unblock_from_chat'],
    ],
    ['attended', 'sso', true, true, ['edit', 'view_analytics', 'remove', 'block', 'unblock_from_chat']],
    ['sso_login', 'magic_link', false, false, ['edit', 'view_analytics', 'remove', 'block']],
    ['sso_login', 'sso', false, false, ['edit', 'view_analytics', 'remove', 'block']],
    ['sso_login', 'sso', true, false, ['edit', 'view_analytics', 'remove', 'block']],
    [
      'invited',
      'magic_link',
      false,
      false,
      ['edit', 'resend_email', 'remove', 'block', 'generate_login_link'],
    ],
    ['invited', 'sso', false, false, ['edit', 'resend_email', 'remove', 'block']],
    [
      'invited',
      'magic_link',
      true,
      false,
      ['edit', 'resend_email', 'remove', 'block', 'generate_login_link'],
    ],
    [
      'registered',
      'magic_link',
      false,
      false,
      ['edit', 'resend_email', 'view_analytics', 'remove', 'block', 'generate_login_link'],
    ],
    ['registered', 'sso', false, false, ['edit', 'resend_email', 'view_analytics', 'remove', 'block']],
    [
      'registered',
      'magic_link',
      true,
      true,
      ['edit', 'resend_email', 'view_analytics', 'remove', 'block', 'generate_login_link'],
    ],
    ['unregistered', 'magic_link', false, false, []],
    ['unregistered', 'sso', false, false, []],
    ['unregistered', 'magic_link', true, true, []],
    ['blocked', 'magic_link', false, false, ['edit', 'view_analytics', 'unblock']],
    ['blocked', 'sso', false, false, ['edit', 'view_analytics', 'unblock']],
    ['blocked', 'magic_link', true, true, ['edit', 'view_analytics', 'unblock']],
  ])(
    'returns the contract row when status is %s, loginMode %s, chatTermsAgreed %s, chatBlocked %s',
    (status, loginMode, agreed, chatBlocked, expected) => {
      expect(allowedActions(ctx(status, loginMode, agreed, chatBlocked))).toEqual(expected);
    },
  );

  it.each<Status>(['invited', 'registered', 'attended', 'sso_login', 'unregistered', 'blocked'])(
    'never offers generate_login_link when the event logs in by SSO and status is %s',
    (status) => {
      expect(allowedActions(ctx(status, 'sso'))).not.toContain('generate_login_link');
    },
  );

  it('offers no login link to an invitee who must still register, since it could not log them in', () => {
    expect(allowedActions(ctx('invited', 'magic_link', false, false, true))).toEqual([
      'edit',
      'resend_email',
      'remove',
      'block',
    ]);
  });

  it('never offers both block_from_chat and unblock_from_chat when the attendee attended', () => {
    for (const chatBlocked of [false, true]) {
      const actions = allowedActions(ctx('attended', 'magic_link', true, chatBlocked));
      expect(actions.filter((a) => a === 'block_from_chat' || a === 'unblock_from_chat')).toHaveLength(1);
    }
  });

  it('returns a fresh array when called twice so callers cannot corrupt the table', () => {
    const first = allowedActions(ctx('invited'));
    first.length = 0;
    expect(allowedActions(ctx('invited'))).toEqual([
      'edit',
      'resend_email',
      'remove',
      'block',
      'generate_login_link',
    ]);
  });
});

describe('isActionAllowed', () => {
  it.each<[string, ActionContext, Action, boolean]>([
    ['invited', ctx('invited'), 'resend_email', true],
    ['invited', ctx('invited'), 'view_analytics', false],
    ['invited', ctx('invited'), 'unblock', false],
    ['invited on a magic-link event', ctx('invited', 'magic_link'), 'generate_login_link', true],
    ['invited on an SSO event', ctx('invited', 'sso'), 'generate_login_link', false],
    ['registered', ctx('registered'), 'view_analytics', true],
    ['attended', ctx('attended'), 'resend_email', false],
    ['attended', ctx('attended'), 'generate_login_link', false],
    ['attended without chat terms', ctx('attended', 'magic_link', false, false), 'block_from_chat', false],
    ['attended with chat terms', ctx('attended', 'magic_link', true, false), 'block_from_chat', true],
    ['attended with chat terms', ctx('attended', 'magic_link', true, false), 'unblock_from_chat', false],
    ['attended and chat-blocked', ctx('attended', 'magic_link', true, true), 'block_from_chat', false],
    ['attended and chat-blocked', ctx('attended', 'magic_link', true, true), 'unblock_from_chat', true],
    ['sso_login', ctx('sso_login'), 'block', true],
    ['sso_login', ctx('sso_login'), 'remove', true],
    ['blocked', ctx('blocked'), 'unblock', true],
    ['blocked', ctx('blocked'), 'block', false],
    ['blocked', ctx('blocked'), 'remove', false],
    ['blocked', ctx('blocked'), 'resend_email', false],
    ['unregistered', ctx('unregistered'), 'edit', false],
    ['unregistered', ctx('unregistered'), 'view_analytics', false],
  ])('answers for an attendee who is %s and action %s → %s', (_case, context, action, allowed) => {
    expect(isActionAllowed(context, action)).toBe(allowed);
  });

  it('refuses every action when the attendee is unregistered', () => {
    for (const action of ACTIONS) {
      expect(isActionAllowed(ctx('unregistered', 'magic_link', true, false), action)).toBe(false);
    }
  });
});

describe('invitedStatus', () => {
  it.each([
    [true, { status: 'invited', detailedStatus: 'invited_by_team_member_to_register' }],
    [false, { status: 'invited', detailedStatus: 'invited_by_team_member' }],
  ])(
    'starts a fresh invitation as invited when requiresRegistration is %s',
    (requiresRegistration, expected) => {
      expect(invitedStatus(requiresRegistration)).toEqual(expected);
    },
  );
});

describe('normalizeRoles', () => {
  it.each<[string, Role[] | undefined, Role[]]>([
    ['no roles are given', undefined, ['attendee']],
    ['the list is empty', [], ['attendee']],
    ['only attendee is given', ['attendee'], ['attendee']],
    ['only speaker is given', ['speaker'], ['attendee', 'speaker']],
    ['only moderator is given', ['moderator'], ['attendee', 'moderator']],
    [
      'roles come in reverse order',
      ['moderator', 'speaker', 'attendee'],
      ['attendee', 'speaker', 'moderator'],
    ],
    ['attendee is last', ['speaker', 'attendee'], ['attendee', 'speaker']],
    ['roles repeat', ['speaker', 'speaker', 'attendee', 'attendee'], ['attendee', 'speaker']],
    [
      'every role repeats',
      ['moderator', 'speaker', 'moderator', 'speaker'],
      ['attendee', 'speaker', 'moderator'],
    ],
  ])('returns attendee first in fixed order without repeats when %s', (_case, input, expected) => {
    expect(normalizeRoles(input)).toEqual(expected);
  });

  it('leaves the caller’s array untouched when it normalizes', () => {
    const input: Role[] = ['moderator', 'speaker', 'speaker'];
    normalizeRoles(input);
    expect(input).toEqual(['moderator', 'speaker', 'speaker']);
  });
});
