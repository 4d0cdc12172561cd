/**
 * Reminder rules: who a rule reaches and when it is due. Pure, so the event's reminder workflow
 * (deterministic code) and the API compute due times the same way.
 */
import type { Status } from './attendee-lifecycle';

export const REMINDER_AUDIENCES = ['invited_not_registered', 'registered'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

/** A rule is due at most 60 days before the start. */
export const MAX_OFFSET_MINUTES = 60 * 24 * 60;

/** Live reminder rules per event: every one is held in the event's workflow and listed without pages. */
export const MAX_RULES_PER_EVENT = 50;

/** The attendee status each audience reaches (removed and undeliverable attendees never get one). */
export const AUDIENCE_STATUS: Readonly<Record<ReminderAudience, Status>> = {
  invited_not_registered: 'invited',
  registered: 'registered',
};

/** Which template variant the audience gets: the invitation link to register, or the way in. */
export const AUDIENCE_VARIANT: Readonly<Record<ReminderAudience, 'register' | 'join'>> = {
  invited_not_registered: 'register',
  registered: 'join',
};

/** Login links are for registered attendees of magic-link events; on by default there. */
export function defaultIncludeLoginLink(
  audience: ReminderAudience,
  loginMode: 'magic_link' | 'sso',
): boolean {
  return audience === 'registered' && loginMode === 'magic_link';
}

export function reminderDueAt(startsAt: string | Date, offsetMinutes: number): Date {
  return new Date(new Date(startsAt).getTime() - offsetMinutes * 60_000);
}

/** One email per attendee, rule and run: a retried batch finds the row instead of sending again. */
export function reminderLedgerKey(attendeeId: string, ruleId: string, runId: string): string {
  return `${attendeeId}/reminder/${ruleId}/${runId}`;
}

export interface ScheduledRule {
  id: string;
  offsetMinutes: number;
  /** When its scheduled send went out; a sent rule is never scheduled again. */
  sentAt: string | null;
}

export interface ReminderPlan {
  /** Rules to send now, earliest due first. */
  due: string[];
  /** The next due time after now (epoch ms), or null when nothing else is waiting. */
  nextAt: number | null;
  /** Not sent and not schedulable: the event has started. A later start makes them pending again. */
  missed: string[];
}

/**
 * What the event's reminder workflow does at `now`: a rule is due at startsAt - offset; a due
 * time already past still sends at once, but only while the event has not started.
 */
export function planReminders(
  startsAt: string | Date,
  rules: readonly ScheduledRule[],
  now: number,
): ReminderPlan {
  const start = new Date(startsAt).getTime();
  const due: { id: string; at: number }[] = [];
  const missed: string[] = [];
  let nextAt: number | null = null;
  for (const rule of rules) {
    if (rule.sentAt !== null) continue;
    if (start <= now) {
      missed.push(rule.id);
      continue;
    }
    const at = reminderDueAt(startsAt, rule.offsetMinutes).getTime();
    if (at <= now) due.push({ id: rule.id, at });
    else if (nextAt === null || at < nextAt) nextAt = at;
  }
  due.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  return { due: due.map((d) => d.id), nextAt, missed };
}

/** True while some rule may still be sent on its schedule (now, later, or after a reschedule). */
export function hasPendingRules(rules: readonly ScheduledRule[]): boolean {
  return rules.some((r) => r.sentAt === null);
}
