import { describe, expect, it } from 'vitest';
import {
  type Command,
  decide,
  EMPTY_LIFECYCLE,
  type EventRules,
  type LifecycleState,
  type Position,
} from '../../domain/attendee-lifecycle';

const event = (overrides: Partial<EventRules> = {}): EventRules => ({
  loginMode: 'magic_link',
  requiresRegistration: false,
  requiresEmailConfirmation: false,
  startsAt: '2030-01-01T09:00:00Z',
  ...overrides,
});
const BEFORE = '2029-12-31T09:00:00Z';
const DURING = '2030-01-01T10:00:00Z';

const at = (
  status: Position['status'],
  detailedStatus: Position['detailedStatus'],
  extra: Partial<LifecycleState> = {},
) => ({
  ...EMPTY_LIFECYCLE,
  position: { status, detailedStatus },
  ...extra,
});

const invited = at('invited', 'invited_by_team_member');
const registered = at('registered', 'registered_no_confirmation_required');
const attended = at('attended', 'pre_event_visit');
const blocked = at('blocked', 'blocked', { beforeBlock: registered.position });
const unregistered = at('unregistered', 'unregistered');
const sso = at('sso_login', 'sso_login');

function next(state: LifecycleState, command: Command, rules = event()) {
  const decision = decide(state, command, rules);
  if (!decision.ok) throw new Error(decision.reason);
  return decision;
}

describe('decide: transitions', () => {
  it.each([
    [
      'accept from invited',
      invited,
      { type: 'accept' },
      event(),
      'registered',
      'registered_no_confirmation_required',
    ],
    [
      'login before the start',
      registered,
      { type: 'login', at: BEFORE },
      event(),
      'attended',
      'pre_event_visit',
    ],
    [
      'login after the start',
      registered,
      { type: 'login', at: DURING },
      event(),
      'attended',
      'during_event_visit',
    ],
    [
      'direct login of an invitee',
      invited,
      { type: 'login', at: BEFORE },
      event(),
      'attended',
      'pre_event_visit',
    ],
    [
      'visit during the event',
      attended,
      { type: 'visit', at: DURING },
      event(),
      'attended',
      'during_event_visit',
    ],
    ['sso login', invited, { type: 'sso_login' }, event({ loginMode: 'sso' }), 'sso_login', 'sso_login'],
    ['unregister', attended, { type: 'unregister' }, event(), 'unregistered', 'unregistered'],
    ['block', registered, { type: 'block' }, event(), 'blocked', 'blocked'],
    [
      'unblock back to the status before',
      blocked,
      { type: 'unblock' },
      event(),
      'registered',
      'registered_no_confirmation_required',
    ],
  ] as const)('moves to the right status on %s', (_label, state, command, rules, status, detailedStatus) => {
    const decision = next(state, command as Command, rules);
    expect(decision.state.position).toEqual({ status, detailedStatus });
    expect(decision.statusChanged).toBe(true);
  });

  it('asks for a confirmation and stays invited when the event requires email confirmation', () => {
    const rules = event({ requiresEmailConfirmation: true });
    const accepted = next(invited, { type: 'accept' }, rules);
    expect(accepted.state).toMatchObject({ position: invited.position, awaitingConfirmation: true });
    expect(accepted.effects).toEqual(['send_confirmation_request']);
    const confirmed = next(accepted.state, { type: 'confirm' }, rules);
    expect(confirmed.state.position).toEqual({ status: 'registered', detailedStatus: 'confirmed_email' });
    expect(confirmed.effects).toEqual(['send_registration_confirmation']);
  });

  it('keeps a during-event visit once the event started, even on a later visit reported before', () => {
    const during = at('attended', 'during_event_visit');
    expect(next(during, { type: 'visit', at: BEFORE }).statusChanged).toBe(false);
  });

  it('records no new status for a visit after the end, and keeps a during-event visit', () => {
    const rules = event({ endsAt: '2030-01-02T17:00:00Z' });
    const AFTER = '2030-01-03T10:00:00Z';
    const late = next(registered, { type: 'login', at: AFTER }, rules);
    expect(late.statusChanged).toBe(false);
    expect(late.state.position).toEqual(registered.position);
    expect(next(attended, { type: 'visit', at: AFTER }, rules).state.position).toEqual(attended.position);
    const during = next(registered, { type: 'visit', at: DURING }, rules);
    expect(during.state.position).toEqual({ status: 'attended', detailedStatus: 'during_event_visit' });
  });

  it('blocks a signed-in SSO attendee and returns them to sso_login on unblock; blocked, SSO refuses them', () => {
    const rules = event({ loginMode: 'sso' });
    const blockedSso = next(sso, { type: 'block' }, rules).state;
    expect(blockedSso.position).toEqual({ status: 'blocked', detailedStatus: 'blocked' });
    expect(decide(blockedSso, { type: 'sso_login' }, rules).ok).toBe(false);
    expect(next(blockedSso, { type: 'unblock' }, rules).state.position).toEqual(sso.position);
  });

  it('removes: no position, flags cleared', () => {
    const removed = next(at('attended', 'pre_event_visit', { chatTermsAgreed: true, chatBlocked: true }), {
      type: 'remove',
    });
    expect(removed.state).toEqual(EMPTY_LIFECYCLE);
  });

  it('chooses the email of resend_email by status', () => {
    expect(next(invited, { type: 'resend_email' }).effects).toEqual(['send_invitation']);
    expect(next(registered, { type: 'resend_email' }).effects).toEqual(['send_registration_confirmation']);
    const awaiting = { ...invited, awaitingConfirmation: true };
    expect(next(awaiting, { type: 'resend_email' }).effects).toEqual(['send_confirmation_request']);
  });

  it('toggles chat blocking only after the chat terms', () => {
    const agreed = next(attended, { type: 'agree_chat_terms' }).state;
    const chatBlocked = next(agreed, { type: 'block_from_chat' }).state;
    expect(chatBlocked.chatBlocked).toBe(true);
    expect(next(chatBlocked, { type: 'unblock_from_chat' }).state.chatBlocked).toBe(false);
  });
});

describe('decide: refusals', () => {
  it.each([
    ['accept when registered', registered, { type: 'accept' }, event()],
    ['confirm without a pending confirmation', invited, { type: 'confirm' }, event()],
    ['login when blocked', blocked, { type: 'login', at: BEFORE }, event()],
    ['login when unregistered', unregistered, { type: 'login', at: BEFORE }, event()],
    [
      'login of an invitee who must register',
      invited,
      { type: 'login', at: BEFORE },
      event({ requiresRegistration: true }),
    ],
    ['login of nobody', EMPTY_LIFECYCLE, { type: 'login', at: BEFORE }, event()],
    ['sso login on a magic-link event', invited, { type: 'sso_login' }, event()],
    ['sso login when blocked', blocked, { type: 'sso_login' }, event({ loginMode: 'sso' })],
    ['block when unregistered', unregistered, { type: 'block' }, event()],
    [
      'generate_login_link for an invitee who must register',
      invited,
      { type: 'generate_login_link' },
      event({ requiresRegistration: true }),
    ],
    [
      'generate_login_link while the confirm link is out',
      { ...invited, awaitingConfirmation: true },
      { type: 'generate_login_link' },
      event(),
    ],
    ['unblock when not blocked', attended, { type: 'unblock' }, event()],
    ['remove when blocked', blocked, { type: 'remove' }, event()],
    ['remove when unregistered', unregistered, { type: 'remove' }, event()],
    ['block_from_chat before the chat terms', attended, { type: 'block_from_chat' }, event()],
    [
      'generate_login_link on an sso event',
      invited,
      { type: 'generate_login_link' },
      event({ loginMode: 'sso' }),
    ],
    ['generate_login_link when attended', attended, { type: 'generate_login_link' }, event()],
    ['resend_email when attended', attended, { type: 'resend_email' }, event()],
    ['edit when unregistered', unregistered, { type: 'edit' }, event()],
    ['unregister twice', unregistered, { type: 'unregister' }, event()],
  ] as const)('refuses %s', (_label, state, command, rules) => {
    const decision = decide(state, command as Command, rules);
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.reason.length).toBeGreaterThan(10);
  });
});
