import { findEvent } from '../../db/queries/events';
import {
  countReminderRules,
  createReminderRule,
  findReminderRule,
  listReminderRules,
  type ReminderRuleRow,
  type ReminderRunRow,
  runsOfRules,
} from '../../db/queries/reminders';
import type { CustomMessage } from '../../domain/custom-message';
import { defaultIncludeLoginLink, MAX_RULES_PER_EVENT, reminderDueAt } from '../../domain/reminders';
import { notFound, ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { toCustomMessage } from '../shared/custom-message.schema';
import type * as routes from './reminders.routes';
import { notifyRulesChanged, runReminderNow, startOrWakeReminders } from './reminders.temporal';

function toRunDto(run: ReminderRunRow) {
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    recipients: run.recipients,
    sent: run.sent,
    failed: run.failed,
  };
}

export function toReminderRuleDto(rule: ReminderRuleRow, startsAt: Date, runs: ReminderRunRow[] = []) {
  return {
    id: rule.id,
    audience: rule.audience,
    offsetMinutes: rule.offsetMinutes,
    includeLoginLink: rule.includeLoginLink,
    message: rule.message ?? null,
    dueAt: reminderDueAt(startsAt, rule.offsetMinutes).toISOString(),
    sentAt: rule.sentAt ? rule.sentAt.toISOString() : null,
    createdAt: rule.createdAt.toISOString(),
    runs: runs.map(toRunDto),
  };
}

const invalid = (path: string, code: string, message: string) =>
  new ProblemError(422, 'validation_failed', message, [{ path, code, message }]);

/**
 * Whether the rule's reminders carry the reader's way in. The standard text: a login link, for
 * `registered` on magic-link events (on by default there); invitees always get their invitation
 * link. A message of the organizer's own: its `includeLoginLink` (default false), which gives
 * invitees their invitation link and registered people a login link, on magic-link events only.
 */
function linkChoice(
  body: {
    audience: 'invited_not_registered' | 'registered';
    includeLoginLink?: boolean;
    message?: Parameters<typeof toCustomMessage>[0];
  },
  loginMode: 'magic_link' | 'sso',
): { message: CustomMessage | null; includeLoginLink: boolean } {
  if (body.message) {
    const own = body.message.includeLoginLink;
    if (own !== undefined && body.includeLoginLink !== undefined && own !== body.includeLoginLink) {
      throw invalid(
        'message.includeLoginLink',
        'conflicting_include_login_link',
        'includeLoginLink and message.includeLoginLink differ: give one of them.',
      );
    }
    const includeLoginLink = own ?? body.includeLoginLink ?? false;
    if (includeLoginLink && loginMode !== 'magic_link') {
      throw invalid(
        'message.includeLoginLink',
        'login_link_needs_magic_link',
        'This event signs in through SSO.',
      );
    }
    return { message: { ...toCustomMessage(body.message), includeLoginLink }, includeLoginLink };
  }
  if (body.includeLoginLink && body.audience !== 'registered') {
    throw invalid(
      'includeLoginLink',
      'login_link_needs_registered',
      'Login links go to registered attendees; invited ones get their invitation link.',
    );
  }
  if (body.includeLoginLink && loginMode !== 'magic_link') {
    throw invalid('includeLoginLink', 'login_link_needs_magic_link', 'This event signs in through SSO.');
  }
  return {
    message: null,
    includeLoginLink: body.includeLoginLink ?? defaultIncludeLoginLink(body.audience, loginMode),
  };
}

export const create: AppRouteHandler<typeof routes.createReminderRule> = async (c) => {
  const body = c.req.valid('json');
  const { em } = c.var;
  const event = await findEvent(em, c.var.organizationId, c.req.valid('param').eventId);
  if (!event) throw notFound('The event');

  const { message, includeLoginLink } = linkChoice(body, event.loginMode);
  if ((await countReminderRules(em, event.id)) >= MAX_RULES_PER_EVENT) {
    throw new ProblemError(
      409,
      'too_many_reminders',
      `An event has at most ${MAX_RULES_PER_EVENT} reminder rules; delete one first.`,
    );
  }

  const rule = await createReminderRule(em, event.id, {
    audience: body.audience,
    offsetMinutes: body.offsetMinutes,
    includeLoginLink,
    message,
  });
  try {
    await startOrWakeReminders(c.var.deps, event.id);
  } catch (error) {
    // Without its workflow the rule would never send: take it back, so a retry starts clean.
    await em.remove(rule).flush();
    throw error;
  }
  return c.json(toReminderRuleDto(rule, event.startsAt), 201);
};

export const list: AppRouteHandler<typeof routes.listReminderRules> = async (c) => {
  const { em } = c.var;
  const event = await findEvent(em, c.var.organizationId, c.req.valid('param').eventId);
  if (!event) throw notFound('The event');
  const rules = await listReminderRules(em, event.id);
  const runs = await runsOfRules(
    em,
    rules.map((r) => r.id),
  );
  return c.json(
    {
      items: rules.map((r) => toReminderRuleDto(r, event.startsAt, runs.get(r.id))),
      nextCursor: null,
      total: rules.length,
    },
    200,
  );
};

export const get: AppRouteHandler<typeof routes.getReminderRule> = async (c) => {
  const { eventId, ruleId } = c.req.valid('param');
  const { em } = c.var;
  const rule = await findReminderRule(em, c.var.organizationId, eventId, ruleId);
  if (!rule) throw notFound('The reminder rule');
  const runs = await runsOfRules(em, [rule.id]);
  return c.json(toReminderRuleDto(rule, rule.event.startsAt, runs.get(rule.id)), 200);
};

export const remove: AppRouteHandler<typeof routes.deleteReminderRule> = async (c) => {
  const { eventId, ruleId } = c.req.valid('param');
  const { em } = c.var;
  const rule = await findReminderRule(em, c.var.organizationId, eventId, ruleId);
  if (!rule) throw notFound('The reminder rule');
  rule.deletedAt = new Date();
  await em.flush();
  await notifyRulesChanged(c.var.deps, eventId);
  return c.body(null, 204);
};

export const run: AppRouteHandler<typeof routes.runReminderRule> = async (c) => {
  const { eventId } = c.req.valid('param');
  const { ruleId } = c.req.valid('json');
  const { em } = c.var;
  const event = await findEvent(em, c.var.organizationId, eventId);
  if (!event) throw notFound('The event');
  const rule = await findReminderRule(em, c.var.organizationId, eventId, ruleId);
  if (!rule) throw notFound('The reminder rule');
  const result = await runReminderNow(c.var.deps, eventId, ruleId);
  return c.json(result, 202);
};
