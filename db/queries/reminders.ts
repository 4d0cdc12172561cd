import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { CustomMessage } from '../../domain/custom-message';
import type { ReminderAudience } from '../../domain/reminders';
import { Event, ReminderRule, ReminderRun } from '../entities';

export type ReminderRuleRow = InstanceType<typeof ReminderRule.class>;
export type ReminderRunRow = InstanceType<typeof ReminderRun.class>;

/** Runs shown with each rule, newest first. */
export const RUNS_PER_RULE = 20;

/** The live rules of an event, oldest first; the caller has checked the event's organization. */
export function listReminderRules(em: EntityManager, eventId: string) {
  return em.find(
    ReminderRule,
    { event: eventId, deletedAt: null },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

export function countReminderRules(em: EntityManager, eventId: string) {
  return em.count(ReminderRule, { event: eventId, deletedAt: null });
}

/** A live rule of the organization's event, or null (the API answers 404 either way). */
export function findReminderRule(em: EntityManager, organizationId: string, eventId: string, ruleId: string) {
  return em.findOne(
    ReminderRule,
    { id: ruleId, deletedAt: null, event: { id: eventId, organization: organizationId } },
    { populate: ['event'] },
  );
}

/** Whether a rule of the event still waits for its scheduled send. */
export async function hasUnsentReminderRules(em: EntityManager, eventId: string) {
  return (await em.count(ReminderRule, { event: eventId, deletedAt: null, sentAt: null })) > 0;
}

export async function createReminderRule(
  em: EntityManager,
  eventId: string,
  input: {
    audience: ReminderAudience;
    offsetMinutes: number;
    includeLoginLink: boolean;
    /** The organizer's own text in place of the standard reminder. */
    message?: CustomMessage | null;
  },
) {
  const rule = em.create(ReminderRule, {
    id: randomUUID(),
    event: em.getReference(Event, eventId),
    audience: input.audience,
    offsetMinutes: input.offsetMinutes,
    includeLoginLink: input.includeLoginLink,
    message: input.message ?? null,
    sentAt: null,
    deletedAt: null,
  });
  await em.flush();
  return rule;
}

/** The latest runs of each rule, newest first. */
export async function runsOfRules(em: EntityManager, ruleIds: string[]) {
  const byRule = new Map<string, ReminderRunRow[]>(ruleIds.map((id) => [id, []]));
  if (ruleIds.length === 0) return byRule;
  const rows: { id: string }[] = await em.getConnection().execute(
    `select id from (
       select id, row_number() over (partition by rule_id order by started_at desc, id desc) as n
       from reminder_runs where rule_id in (${ruleIds.map(() => '?').join(', ')})
     ) ranked where n <= ?`,
    [...ruleIds, RUNS_PER_RULE],
  );
  if (rows.length === 0) return byRule;
  const runs = await em.find(
    ReminderRun,
    { id: { $in: rows.map((r) => r.id) } },
    { orderBy: { startedAt: 'desc', id: 'desc' } },
  );
  for (const run of runs) byRule.get(run.rule.id)?.push(run);
  return byRule;
}
