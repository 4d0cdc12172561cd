import { describe, expect, it } from 'vitest';
import {
  type DetailedStatus,
  type EventRules,
  isActionAllowed,
  STATUSES,
  type Status,
} from '../../domain/attendee-lifecycle';
import {
  type AttendeeStanding,
  COMMAND_ACTIONS,
  commandSkipReason,
  isMessageAction,
  reasonCounts,
} from '../../domain/bulk-actions';

const event: EventRules = {
  loginMode: 'magic_link',
  requiresRegistration: false,
  requiresEmailConfirmation: false,
  startsAt: '2027-03-01T09:00:00Z',
  endsAt: '2027-03-03T17:00:00Z',
};

const DETAILED: Record<Status, DetailedStatus> = {
  invited: 'invited_by_team_member',
  registered: 'confirmed_email',
  attended: 'pre_event_visit',
  sso_login: 'sso_login',
  unregistered: 'unregistered',
  blocked: 'blocked',
};

const standing = (status: Status, extra: Partial<AttendeeStanding> = {}): AttendeeStanding => ({
  status,
  detailedStatus: DETAILED[status],
  // A blocked attendee remembers where to return to, as the workflow stores it.
  beforeBlockStatus: status === 'blocked' ? 'invited' : null,
  beforeBlockDetailedStatus: status === 'blocked' ? 'invited_by_team_member' : null,
  awaitingConfirmation: false,
  chatTermsAgreed: false,
  chatBlocked: false,
  ...extra,
});

describe('commandSkipReason', () => {
  it('skips exactly what the actions table refuses, for every status and command action', () => {
    for (const status of STATUSES) {
      for (const action of COMMAND_ACTIONS) {
        const allowed = isActionAllowed(
          {
            status,
            loginMode: 'magic_link',
            chatTermsAgreed: false,
            chatBlocked: false,
            mustRegister: false,
          },
          action,
        );
        expect(commandSkipReason(action, standing(status), event) === null, `${action} while ${status}`).toBe(
          allowed,
        );
      }
    }
  });

  it('gives the state machine’s own sentence, as the workflow’s validator refuses it', () => {
    expect(commandSkipReason('block', standing('blocked'), event)).toBe(
      'action_not_allowed: Blocking is not allowed while the attendee is blocked.',
    );
    expect(commandSkipReason('resend_email', standing('attended'), event)).toBe(
      'action_not_allowed: Resending the email is not allowed while the attendee is attended.',
    );
    expect(commandSkipReason('remove', standing('unregistered'), event)).toBe(
      'action_not_allowed: Removing is not allowed while the attendee is unregistered.',
    );
  });

  it('refuses to unblock a blocked attendee with nowhere to return to, as the workflow would', () => {
    const lost = standing('blocked', { beforeBlockStatus: null, beforeBlockDetailedStatus: null });
    expect(commandSkipReason('unblock', lost, event)).toBe(
      'action_not_allowed: Unblocking is not allowed while the attendee is blocked.',
    );
    expect(commandSkipReason('unblock', standing('blocked'), event)).toBeNull();
  });
});

describe('reasonCounts', () => {
  it('lists reasons most frequent first, ties in byte order, without empty ones', () => {
    const counts = new Map([
      ['not_found', 0],
      ['status_blocked', 2],
      ['b', 5],
      ['a', 5],
    ]);
    expect(reasonCounts(counts)).toEqual([
      { reason: 'a', count: 5 },
      { reason: 'b', count: 5 },
      { reason: 'status_blocked', count: 2 },
    ]);
  });
});

describe('isMessageAction', () => {
  it('is true only for the two actions that send a message', () => {
    expect(isMessageAction('send_message')).toBe(true);
    expect(isMessageAction('send_reminder')).toBe(true);
    expect(isMessageAction('resend_email')).toBe(false);
    expect(isMessageAction('block')).toBe(false);
  });
});
