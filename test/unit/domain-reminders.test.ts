import { describe, expect, it } from 'vitest';
import {
  AUDIENCE_STATUS,
  AUDIENCE_VARIANT,
  defaultIncludeLoginLink,
  hasPendingRules,
  MAX_OFFSET_MINUTES,
  planReminders,
  reminderDueAt,
  reminderLedgerKey,
  type ScheduledRule,
} from '../../domain/reminders';

const START = '2027-03-01T09:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
const rule = (id: string, offsetMinutes: number, sentAt: string | null = null): ScheduledRule => ({
  id,
  offsetMinutes,
  sentAt,
});

describe('reminderDueAt', () => {
  it('is the start minus the offset in minutes', () => {
    expect(reminderDueAt(START, 60).toISOString()).toBe('2027-03-01T08:00:00.000Z');
    expect(reminderDueAt(new Date(START), 24 * 60).toISOString()).toBe('2027-02-28T09:00:00.000Z');
  });

  it('reaches 60 days back at the largest offset', () => {
    expect(reminderDueAt(START, MAX_OFFSET_MINUTES).toISOString()).toBe('2026-12-31T09:00:00.000Z');
  });
});

describe('planReminders', () => {
  it('waits for the earliest future due time when nothing is due yet', () => {
    const plan = planReminders(START, [rule('a', 60), rule('b', 24 * 60)], at('2027-02-20T00:00:00Z'));
    expect(plan).toEqual({ due: [], nextAt: at('2027-02-28T09:00:00Z'), missed: [] });
  });

  it('sends a rule at its due time and waits for the next one', () => {
    const plan = planReminders(START, [rule('a', 60), rule('b', 24 * 60)], at('2027-02-28T09:00:00Z'));
    expect(plan).toEqual({ due: ['b'], nextAt: at('2027-03-01T08:00:00Z'), missed: [] });
  });

  it('sends at once a rule whose due time has passed while the event has not started', () => {
    const plan = planReminders(START, [rule('late', 24 * 60)], at('2027-03-01T08:59:59Z'));
    expect(plan.due).toEqual(['late']);
    expect(plan.nextAt).toBeNull();
  });

  it('sends nothing and schedules nothing once the event has started', () => {
    const plan = planReminders(START, [rule('a', 60), rule('b', 5)], at(START));
    expect(plan).toEqual({ due: [], nextAt: null, missed: ['a', 'b'] });
  });

  it('orders several due rules by due time, earliest first', () => {
    const plan = planReminders(
      START,
      [rule('near', 10), rule('far', 600), rule('mid', 120)],
      at('2027-03-01T08:55:00Z'),
    );
    expect(plan.due).toEqual(['far', 'mid', 'near']);
  });

  it('skips rules already sent, whatever their due time', () => {
    const plan = planReminders(
      START,
      [rule('sent', 60, '2027-03-01T08:00:00.000Z'), rule('later', 30)],
      at('2027-03-01T08:10:00Z'),
    );
    expect(plan).toEqual({ due: [], nextAt: at('2027-03-01T08:30:00Z'), missed: [] });
  });

  it('moves the due time with the start when the event is rescheduled', () => {
    const now = at('2027-02-01T00:00:00Z');
    const rules = [rule('a', 60)];
    expect(planReminders(START, rules, now).nextAt).toBe(at('2027-03-01T08:00:00Z'));
    expect(planReminders('2027-04-01T09:00:00Z', rules, now).nextAt).toBe(at('2027-04-01T08:00:00Z'));
    // Earlier, so that the due time has passed: due now.
    expect(planReminders('2027-02-01T00:30:00Z', rules, now).due).toEqual(['a']);
  });

  it('makes a missed rule pending again when the event moves to a later start', () => {
    const rules = [rule('a', 60)];
    const now = at('2027-03-02T00:00:00Z');
    expect(planReminders(START, rules, now).missed).toEqual(['a']);
    expect(planReminders('2027-03-10T09:00:00Z', rules, now)).toEqual({
      due: [],
      nextAt: at('2027-03-10T08:00:00Z'),
      missed: [],
    });
  });

  it('plans nothing for no rules', () => {
    expect(planReminders(START, [], at('2027-01-01T00:00:00Z'))).toEqual({
      due: [],
      nextAt: null,
      missed: [],
    });
  });
});

describe('audiences', () => {
  it('maps each audience to the status it reaches and the template variant', () => {
    expect(AUDIENCE_STATUS).toEqual({ invited_not_registered: 'invited', registered: 'registered' });
    expect(AUDIENCE_VARIANT).toEqual({ invited_not_registered: 'register', registered: 'join' });
  });

  it('includes a login link by default only for registered attendees of magic-link events', () => {
    expect(defaultIncludeLoginLink('registered', 'magic_link')).toBe(true);
    expect(defaultIncludeLoginLink('registered', 'sso')).toBe(false);
    expect(defaultIncludeLoginLink('invited_not_registered', 'magic_link')).toBe(false);
  });
});

describe('ledger keys and pending rules', () => {
  it('keys each reminder by attendee, rule and run', () => {
    expect(reminderLedgerKey('att', 'rule', 'run')).toBe('att/reminder/rule/run');
    expect(reminderLedgerKey('att', 'rule', 'run2')).not.toBe(reminderLedgerKey('att', 'rule', 'run'));
  });

  it('has pending rules while any rule is unsent', () => {
    expect(hasPendingRules([rule('a', 1, '2027-01-01T00:00:00Z'), rule('b', 1)])).toBe(true);
    expect(hasPendingRules([rule('a', 1, '2027-01-01T00:00:00Z')])).toBe(false);
    expect(hasPendingRules([])).toBe(false);
  });
});
