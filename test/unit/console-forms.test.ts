import { describe, expect, it } from 'vitest';
import { safeNext } from '../../api/console/console.index';
import {
  all,
  checked,
  fieldErrors,
  localToUtc,
  problemText,
  TIMEZONES,
  utcToLocal,
  when,
} from '../../api/console/forms';
import { csrfFor, tokensMatch } from '../../api/console/session';

describe('console forms', () => {
  it('reads a datetime-local value in the event’s time zone, across daylight saving time', () => {
    expect(localToUtc('2030-05-04T09:00', 'Europe/Berlin')).toBe('2030-05-04T07:00:00Z');
    expect(localToUtc('2030-01-04T09:00', 'Europe/Berlin')).toBe('2030-01-04T08:00:00Z');
    expect(localToUtc('2030-01-04T09:00', 'America/New_York')).toBe('2030-01-04T14:00:00Z');
    expect(localToUtc('', 'UTC')).toBeNull();
    expect(localToUtc('not a date', 'UTC')).toBeNull();
  });

  it('shows an instant back in the event’s zone, so an unchanged form saves the same instant', () => {
    const local = utcToLocal('2030-05-04T07:00:00.000Z', 'Europe/Berlin');
    expect(local).toBe('2030-05-04T09:00');
    expect(localToUtc(local, 'Europe/Berlin')).toBe('2030-05-04T07:00:00Z');
    expect(when('2030-05-04T07:00:00.000Z', 'Europe/Berlin')).toBe('4 May 2030, 09:00 GMT+2');
    expect(when(null)).toBe('—');
  });

  it('maps a problem’s field errors by dotted path, keeping the first message of each', () => {
    const errors = fieldErrors({
      errors: [
        { path: ['sessions', 0, 'name'], code: 'too_small', message: 'Required' },
        { path: 'endsAt', code: 'invalid', message: 'Must be after the start' },
        { path: 'endsAt', code: 'other', message: 'second' },
      ],
    });
    expect(errors).toEqual({ 'sessions.0.name': 'Required', endsAt: 'Must be after the start' });
    expect(problemText({ title: 'Conflict', detail: 'Already invited.' })).toBe('Already invited.');
    expect(problemText(undefined)).toMatch(/could not/);
  });

  it('reads checkboxes and repeated fields', () => {
    expect(checked({ closed: 'on' }, 'closed')).toBe(true);
    expect(checked({}, 'closed')).toBe(false);
    expect(all({ id: ['a', 'b'] }, 'id')).toEqual(['a', 'b']);
    expect(all({ id: 'a' }, 'id')).toEqual(['a']);
    expect(all({}, 'id')).toEqual([]);
  });

  it('offers UTC and the runtime’s IANA zones', () => {
    expect(TIMEZONES[0]).toBe('UTC');
    expect(TIMEZONES).toContain('Europe/Berlin');
    expect(new Set(TIMEZONES).size).toBe(TIMEZONES.length);
  });
});

describe('console session rules', () => {
  it('returns after sign-in only to a console path of this site', () => {
    expect(safeNext('/console/events/abc/people')).toBe('/console/events/abc/people');
    expect(safeNext('//evil.example/console')).toBe('/console/events');
    expect(safeNext('https://evil.example/console')).toBe('/console/events');
    expect(safeNext('/console/../v1/events')).toBe('/console/events');
    expect(safeNext('/docs')).toBe('/console/events');
    expect(safeNext(undefined)).toBe('/console/events');
  });

  it('binds the CSRF token to the session: another session’s token does not match', () => {
    const a = csrfFor('rcs_session-a');
    expect(a).toBe(csrfFor('rcs_session-a'));
    expect(tokensMatch(a, a)).toBe(true);
    expect(tokensMatch(a, csrfFor('rcs_session-b'))).toBe(false);
    expect(tokensMatch(a, undefined)).toBe(false);
    expect(tokensMatch(a, a.slice(1))).toBe(false);
  });
});
