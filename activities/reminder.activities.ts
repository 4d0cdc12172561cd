import { heartbeat } from '@temporalio/activity';
import { Attendee, Event, ReminderRule, ReminderRun } from '../db/entities';
import type { Em } from '../db/orm';
import { issueLinkTokens } from '../db/writes/link-tokens';
import {
  AUDIENCE_STATUS,
  AUDIENCE_VARIANT,
  type ReminderAudience,
  reminderLedgerKey,
  type ScheduledRule,
} from '../domain/reminders';
import { TOKEN_TTL_MINUTES } from '../domain/secrets';
import { renderEmail } from '../emails/render';
import { eventCalendarAttachment } from './calendar-attachment';
import { deliverCustomMessages } from './custom-messages';
import type { ActivityDeps } from './deps';
import { type EmailContent, type SendOutcome, sendOnce } from './send-once';

/** Postmark takes at most 500 messages per batch call; a page is one call. */
export const REMINDER_PAGE_LIMIT = 500;

export interface ReminderPlanSnapshot {
  startsAt: string;
  rules: ScheduledRule[];
}

export interface StartReminderRunInput {
  eventId: string;
  ruleId: string;
  /** Made by the workflow, so a retried activity finds its own run. */
  runId: string;
  trigger: 'scheduled' | 'manual';
}

export interface SendReminderBatchInput {
  eventId: string;
  ruleId: string;
  runId: string;
  /** Keyset position: only attendees with a greater id; null for the first page. */
  afterAttendeeId: string | null;
  limit: number;
}

export interface SendReminderBatchResult {
  /** Sent in this page, including those a previous attempt had already sent. */
  sent: number;
  /** Refused for good by the email provider (inactive recipient, invalid address). */
  failed: number;
  lastAttendeeId: string | null;
  /** No attendees after this page. */
  done: boolean;
}

type TokenSpec = { kind: 'invitation' | 'login_link'; expiresAt: Date };

/** Activities of the event reminder workflow: rules, runs and batched reminder emails. */
export const createReminderActivities = (deps: ActivityDeps) => {
  const now = deps.now ?? (() => new Date());

  /** The links of a page of reminders: with a single-use token each where the plan has one. */
  async function reminderLinks(
    em: Em,
    attendeeIds: string[],
    eventId: string,
    plan: ReturnType<typeof linkPlan>,
  ) {
    const { token } = plan;
    if (!token)
      return attendeeIds.map(() => new URL(`/events/${eventId}${plan.path}`, deps.eventSiteUrl).toString());
    const issued = await issueLinkTokens(
      em,
      deps.eventSiteUrl,
      attendeeIds.map((attendeeId) => ({ attendeeId, eventId, path: plan.path, ...token })),
    );
    return issued.map((l) => l.url);
  }

  /** Which link a reminder carries: the invitation, a login link, or the event page. */
  function linkPlan(
    audience: ReminderAudience,
    includeLoginLink: boolean,
    event: { loginMode: string; endsAt: Date },
  ): { path: string; token?: TokenSpec } {
    const at = now().getTime();
    if (audience === 'invited_not_registered') {
      return {
        path: '/invitation',
        token: { kind: 'invitation', expiresAt: new Date(at + TOKEN_TTL_MINUTES.invitation * 60_000) },
      };
    }
    if (includeLoginLink && event.loginMode === 'magic_link') {
      // Works until the event ends (at least a day), so a reminder sent days ahead still lets them in.
      const minimum = at + TOKEN_TTL_MINUTES.organizer_login_link * 60_000;
      return {
        path: '/login',
        token: { kind: 'login_link', expiresAt: new Date(Math.max(minimum, event.endsAt.getTime())) },
      };
    }
    return { path: '' };
  }

  const liveAudience = (eventId: string, audience: ReminderAudience) => ({
    event: eventId,
    status: AUDIENCE_STATUS[audience],
    // A published registration whose address is not confirmed yet cannot enter: no "join" reminder.
    ...(audience === 'registered' ? { awaitingConfirmation: false } : {}),
    removedAt: null,
    emailUndeliverable: false,
  });

  /** The standard reminder text to a page, each in their language, with the rule's link. */
  async function sendStandardReminders(
    em: Em,
    rule: InstanceType<typeof ReminderRule.class>,
    page: InstanceType<typeof Attendee.class>[],
    runId: string,
    attachment: Awaited<ReturnType<typeof eventCalendarAttachment>>,
  ): Promise<SendOutcome[]> {
    const event = rule.event;
    const byId = new Map(page.map((a) => [a.id, a]));
    const entries = page.map((a) => ({
      ledgerKey: reminderLedgerKey(a.id, rule.id, runId),
      attendeeId: a.id,
      eventId: event.id,
      kind: 'reminder' as const,
      to: a.email,
    }));
    const link = linkPlan(rule.audience, rule.includeLoginLink, event);
    const render = async (todo: readonly (typeof entries)[number][]): Promise<EmailContent[]> => {
      // The link tokens are stored before anything is sent.
      const urls = await reminderLinks(
        em,
        todo.map((e) => e.attendeeId),
        event.id,
        link,
      );
      const contents: EmailContent[] = [];
      for (const [i, entry] of todo.entries()) {
        heartbeat();
        const attendee = byId.get(entry.attendeeId) as (typeof page)[number];
        const rendered = await renderEmail('reminder', {
          locale: attendee.language,
          firstName: attendee.firstName,
          eventName: event.name,
          startsAt: event.startsAt.toISOString(),
          timezone: event.timezone,
          url: urls[i] as string,
          variant: AUDIENCE_VARIANT[rule.audience],
        });
        const metadata = {
          attendeeId: attendee.id,
          eventId: event.id,
          kind: 'reminder',
          ruleId: rule.id,
          runId: runId,
        };
        contents.push({
          ...rendered,
          tag: 'reminder',
          metadata,
          ...(attachment ? { attachments: [attachment] } : {}),
        });
      }
      return contents;
    };
    // One call to Postmark's batch endpoint per page (the page is at most 500), on the broadcast
    // stream when one is set; suppressed addresses are recorded and skipped.
    return [...(await sendOnce(deps, em, entries, render, { via: 'batch', bulk: true })).values()];
  }

  return {
    /** The event's start and its live rules, as the workflow schedules them; null when the event is gone. */
    async loadReminderPlan(input: { eventId: string }): Promise<ReminderPlanSnapshot | null> {
      const em = deps.orm.em.fork();
      const event = await em.findOne(Event, input.eventId);
      if (!event) return null;
      const rules = await em.find(
        ReminderRule,
        { event: input.eventId, deletedAt: null },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      return {
        startsAt: event.startsAt.toISOString(),
        rules: rules.map((r) => ({
          id: r.id,
          offsetMinutes: r.offsetMinutes,
          sentAt: r.sentAt ? r.sentAt.toISOString() : null,
        })),
      };
    },

    /**
     * Records a run and counts its recipients; a scheduled run also marks the rule sent. Null when
     * the rule is gone (deleted, another event's) or its scheduled send already went out.
     */
    async startReminderRun(input: StartReminderRunInput): Promise<{ recipients: number } | null> {
      const em = deps.orm.em.fork();
      const existing = await em.findOne(ReminderRun, input.runId);
      if (existing) return { recipients: existing.recipients };
      const rule = await em.findOne(ReminderRule, {
        id: input.ruleId,
        event: input.eventId,
        deletedAt: null,
      });
      if (!rule) return null;
      if (input.trigger === 'scheduled' && rule.sentAt) return null;
      const at = now();
      const recipients = await em.count(Attendee, liveAudience(input.eventId, rule.audience));
      em.create(ReminderRun, {
        id: input.runId,
        rule,
        trigger: input.trigger,
        startedAt: at,
        finishedAt: null,
        recipients,
        sent: 0,
        failed: 0,
      });
      if (input.trigger === 'scheduled') rule.sentAt = at;
      await em.flush();
      return { recipients };
    },

    /**
     * Sends the rule's reminder to the next page of matching attendees (keyset by id), each in
     * their language, at most once per ledger key `<attendee>/reminder/<rule>/<run>`: a retried
     * attempt skips what an earlier attempt sent, and looks up at Postmark the calls whose answer
     * never came (email-ledger.ts).
     */
    async sendReminderBatch(input: SendReminderBatchInput): Promise<SendReminderBatchResult> {
      const em = deps.orm.em.fork();
      const limit = Math.max(1, Math.min(input.limit, REMINDER_PAGE_LIMIT));
      const rule = await em.findOne(
        ReminderRule,
        { id: input.ruleId, event: input.eventId, deletedAt: null },
        { populate: ['event'] },
      );
      if (!rule) return { sent: 0, failed: 0, lastAttendeeId: input.afterAttendeeId, done: true };
      const event = rule.event;

      const page = await em.find(
        Attendee,
        {
          ...liveAudience(event.id, rule.audience),
          ...(input.afterAttendeeId ? { id: { $gt: input.afterAttendeeId } } : {}),
        },
        { orderBy: { id: 'asc' }, limit },
      );
      const lastAttendeeId = page.at(-1)?.id ?? input.afterAttendeeId;
      const done = page.length < limit;
      if (page.length === 0) return { sent: 0, failed: 0, lastAttendeeId, done };

      // The event's .ics, once for the page: the same file for every reader.
      const attachment = await eventCalendarAttachment(em, deps.eventSiteUrl, event.id, now());
      let outcomes: SendOutcome[];
      if (rule.message) {
        // The organizer's own text, with the reader's way in where the rule asks for it.
        const sent = await deliverCustomMessages(deps, em, {
          event,
          kind: 'reminder',
          message: { ...rule.message, includeLoginLink: rule.includeLoginLink },
          recipients: page,
          ledgerKey: (attendeeId) => reminderLedgerKey(attendeeId, rule.id, input.runId),
          metadata: { ruleId: rule.id, runId: input.runId },
          attachment,
          now,
        });
        outcomes = [...sent.values()];
      } else outcomes = await sendStandardReminders(em, rule, page, input.runId, attachment);
      const count = (status: string) => outcomes.filter((o) => o.status === status).length;
      // Refused for now (rate limit, ...): stay pending, so the retry sends only those.
      const retryable = count('pending');
      if (retryable > 0) throw new Error(`${retryable} reminder(s) refused for now by Postmark; retrying`);
      return { sent: count('sent'), failed: count('failed'), lastAttendeeId, done };
    },

    /** Closes a run with its counts. */
    async finishReminderRun(input: { runId: string; sent: number; failed: number }): Promise<void> {
      const em = deps.orm.em.fork();
      await em.nativeUpdate(
        ReminderRun,
        { id: input.runId },
        { finishedAt: now(), sent: input.sent, failed: input.failed },
      );
    },
  };
};

export type ReminderActivities = ReturnType<typeof createReminderActivities>;
