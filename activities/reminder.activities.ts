import { randomUUID } from 'node:crypto';
import { heartbeat, log } from '@temporalio/activity';
import { AccessToken, Attendee, EmailMessage, Event, ReminderRule, ReminderRun } from '../db/entities';
import type { Em } from '../db/orm';
import {
  AUDIENCE_STATUS,
  AUDIENCE_VARIANT,
  type ReminderAudience,
  reminderLedgerKey,
  type ScheduledRule,
} from '../domain/reminders';
import { renderEmail } from '../emails/render';
import type { ActivityDeps } from './attendee.activities';
import { acceptedEarlier, attemptMetadata, whileHeartbeating } from './email-ledger';
import type { BatchResult, OutgoingEmail } from './email-transport';
import { hashToken, newToken, TOKEN_TTL_MINUTES } from './tokens';

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

  /** A single-use token and the event-site link carrying it; flushed with the page. */
  function reminderLink(em: Em, attendeeId: string, eventId: string, path: string, token?: TokenSpec) {
    const url = new URL(`/events/${eventId}${path}`, deps.eventSiteUrl);
    if (token) {
      const value = newToken();
      em.create(AccessToken, {
        id: randomUUID(),
        attendee: em.getReference(Attendee, attendeeId),
        kind: token.kind,
        tokenHash: hashToken(value),
        expiresAt: token.expiresAt,
        usedAt: null,
      });
      url.searchParams.set('token', value);
    }
    return url.toString();
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

      const keyOf = (attendeeId: string) => reminderLedgerKey(attendeeId, rule.id, input.runId);
      const ledger = new Map(
        (await em.find(EmailMessage, { ledgerKey: { $in: page.map((a) => keyOf(a.id)) } })).map((m) => [
          m.ledgerKey,
          m,
        ]),
      );
      let sent = 0;
      let failed = 0;
      let todo: { attendee: (typeof page)[number]; row: NonNullable<ReturnType<typeof ledger.get>> }[] = [];
      for (const attendee of page) {
        let row = ledger.get(keyOf(attendee.id));
        if (row && row.status === 'failed') failed += 1;
        else if (row && row.status !== 'pending') sent += 1;
        else {
          // Written before the send, so a retry knows this message was meant (and checks it).
          row ??= em.create(EmailMessage, {
            id: randomUUID(),
            ledgerKey: keyOf(attendee.id),
            attendee,
            eventId: event.id,
            kind: 'reminder',
            toAddress: attendee.email,
            status: 'pending',
            providerMessageId: null,
            errorCode: null,
            errorMessage: null,
            sentAt: null,
          });
          todo.push({ attendee, row });
        }
      }
      // Calls of earlier attempts whose answer never came: what Postmark took counts as sent.
      const accepted = await acceptedEarlier(
        deps.email,
        todo.map(({ row }) => ({ id: row.id, send_attempt: row.sendAttempt ?? null })),
      );
      for (const { row } of todo) {
        const messageId = accepted.get(row.id);
        if (!messageId) continue;
        sent += 1;
        row.status = 'sent';
        row.providerMessageId = messageId;
        row.sentAt = now();
      }
      todo = todo.filter(({ row }) => !accepted.has(row.id));
      if (todo.length === 0) {
        await em.flush();
        return { sent, failed, lastAttendeeId, done };
      }

      const attempt = randomUUID();
      const link = linkPlan(rule.audience, rule.includeLoginLink, event);
      const messages: OutgoingEmail[] = [];
      for (const { attendee, row } of todo) {
        heartbeat();
        row.sendAttempt = attempt;
        const rendered = await renderEmail('reminder', {
          locale: attendee.language,
          firstName: attendee.firstName,
          eventName: event.name,
          startsAt: event.startsAt.toISOString(),
          timezone: event.timezone,
          url: reminderLink(em, attendee.id, event.id, link.path, link.token),
          variant: AUDIENCE_VARIANT[rule.audience],
        });
        messages.push({
          from: deps.emailFrom,
          to: attendee.email,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          tag: 'reminder',
          metadata: {
            attendeeId: attendee.id,
            eventId: event.id,
            kind: 'reminder',
            ruleId: rule.id,
            runId: input.runId,
            ...attemptMetadata(attempt, row.id),
          },
        });
      }
      // Ledger rows (pending) and link tokens are stored before anything is sent.
      await em.flush();

      // One call to Postmark's batch endpoint: a failed call (429, 5xx, network, timeout) throws before
      // anything is recorded; the retried activity looks up what it got through and sends the rest.
      const results: BatchResult[] = await whileHeartbeating(undefined, () => deps.email.sendBatch(messages));
      let retryable = 0;
      for (const [index, result] of results.entries()) {
        const { attendee, row } = todo[index] as (typeof todo)[number];
        if (result.ok) {
          sent += 1;
          row.status = 'sent';
          row.providerMessageId = result.messageId;
          row.sentAt = now();
        } else if (result.final) {
          failed += 1;
          log.warn('reminder refused', { attendeeId: attendee.id, code: result.code });
          row.status = 'failed';
          row.errorCode = result.code;
          row.errorMessage = result.message;
        } else retryable += 1;
      }
      await em.flush();
      // Refused for now (rate limit, ...): stay pending, so the retry sends only those.
      if (retryable > 0) throw new Error(`${retryable} reminder(s) refused for now by Postmark; retrying`);
      return { sent, failed, lastAttendeeId, done };
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
