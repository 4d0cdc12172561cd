import { describe, expect, it } from 'vitest';
import { EMPTY_LIFECYCLE } from '../../domain/attendee-lifecycle';
import { type AttendeeState, readState } from '../../workflows/attendee/definitions';

describe('readState', () => {
  it('nests the flat state of recorded histories and bulk imports under lifecycle', () => {
    const flat = {
      attendeeId: 'a1',
      status: 'blocked' as const,
      detailedStatus: 'blocked' as const,
      loginMode: 'sso' as const,
      emailsRequested: 2,
      beforeBlock: { status: 'registered' as const, detailedStatus: 'confirmed_email' as const },
      chatTermsAgreed: true,
    };
    expect(readState(flat)).toEqual({
      attendeeId: 'a1',
      loginMode: 'sso',
      emailsRequested: 2,
      lifecycle: {
        position: { status: 'blocked', detailedStatus: 'blocked' },
        beforeBlock: { status: 'registered', detailedStatus: 'confirmed_email' },
        awaitingConfirmation: false,
        chatTermsAgreed: true,
        chatBlocked: false,
      },
    });
  });

  it('keeps a nested state as it is and starts empty without one', () => {
    const nested: AttendeeState = {
      attendeeId: 'a2',
      loginMode: 'magic_link',
      emailsRequested: 1,
      lifecycle: {
        ...EMPTY_LIFECYCLE,
        position: { status: 'invited', detailedStatus: 'invited_by_team_member' },
      },
    };
    expect(readState(nested)).toBe(nested);
    expect(readState(undefined)).toEqual({
      attendeeId: null,
      loginMode: 'magic_link',
      emailsRequested: 0,
      lifecycle: EMPTY_LIFECYCLE,
    });
  });

  it('reads a flat state with nobody held as no position', () => {
    const empty = {
      attendeeId: null,
      status: null,
      detailedStatus: null,
      loginMode: 'magic_link' as const,
      emailsRequested: 3,
    };
    expect(readState(empty).lifecycle.position).toBeNull();
  });
});
