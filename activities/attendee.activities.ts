import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ApplicationFailure, log } from '@temporalio/activity';
import { AccessToken, Attendee, AttendeeHistory, EmailMessage, Event } from '../db/entities';
import type { Orm } from '../db/orm';
import type { DetailedStatus, Role, Status } from '../domain/attendee-lifecycle';
import { searchText } from '../domain/email-address';
import { FailureType } from '../domain/errors';
import type { LanguageCode } from '../domain/languages';
import { renderEmail } from '../emails/render';
import { EmailRejectedError, type EmailTransport } from './email-transport';
import { hashToken, INVITATION_TOKEN_TTL_DAYS, newToken } from './tokens';

export interface ActivityDeps {
  orm: Orm;
  email: EmailTransport;
  emailFrom: string;
  eventSiteUrl: string;
  now?: () => Date;
}

export interface RecordInvitationInput {
  attendeeId: string;
  eventId: string;
  workflowId: string;
  email: string;
  emailKey: string;
  firstName: string;
  lastName: string;
  language: LanguageCode;
  roles: Role[];
  title: string | null;
  company: string | null;
  bio: string | null;
  status: Status;
  detailedStatus: DetailedStatus;
  by: string;
}

export interface SendAttendeeEmailInput {
  attendeeId: string;
  kind: 'invitation';
  /** Unique per intended message: a retry finds the row and does not send twice. */
  ledgerKey: string;
}

export type SendAttendeeEmailResult = { outcome: 'sent' | 'already_sent' | 'skipped'; messageId?: string };

export const createActivities = (deps: ActivityDeps) => {
  const now = deps.now ?? (() => new Date());

  return {
    /** Writes the invited attendee and its first history row; a retry finds them and does nothing. */
    async recordInvitation(input: RecordInvitationInput): Promise<void> {
      const em = deps.orm.em.fork();
      if (await em.findOne(Attendee, input.attendeeId)) return;
      const at = now();
      try {
        await em.transactional(async (tx) => {
          const attendee = tx.create(Attendee, {
            id: input.attendeeId,
            event: tx.getReference(Event, input.eventId),
            email: input.email,
            emailKey: input.emailKey,
            firstName: input.firstName,
            lastName: input.lastName,
            language: input.language,
            roles: input.roles,
            status: input.status,
            detailedStatus: input.detailedStatus,
            title: input.title,
            company: input.company,
            bio: input.bio,
            imageUrl: null,
            searchText: searchText(input.firstName, input.lastName, input.email),
            nameKey: `${input.firstName} ${input.lastName}`.toLowerCase(),
            workflowId: input.workflowId,
            removedAt: null,
            createdAt: at,
            updatedAt: at,
          });
          tx.create(AttendeeHistory, {
            id: randomUUID(),
            attendee,
            at,
            status: input.status,
            detailedStatus: input.detailedStatus,
            actor: input.by,
          });
        });
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) {
          throw ApplicationFailure.create({
            type: FailureType.duplicateEmail,
            message: 'This email address is already invited to the event.',
            nonRetryable: true,
          });
        }
        throw error;
      }
    },

    /**
     * Sends one attendee email at most once per ledger key. Only a crash between Postmark's
     * answer and the ledger update can send it twice.
     */
    async sendAttendeeEmail(input: SendAttendeeEmailInput): Promise<SendAttendeeEmailResult> {
      const em = deps.orm.em.fork();
      const attendee = await em.findOne(Attendee, input.attendeeId, { populate: ['event'] });
      if (!attendee || attendee.removedAt) return { outcome: 'skipped' };
      const event = attendee.event;

      let ledger = await em.findOne(EmailMessage, { ledgerKey: input.ledgerKey });
      if (ledger?.status === 'sent') {
        return { outcome: 'already_sent', messageId: ledger.providerMessageId ?? undefined };
      }
      if (ledger?.status === 'failed') {
        throw ApplicationFailure.create({
          type: FailureType.emailRejected,
          message: ledger.errorMessage ?? 'rejected',
          nonRetryable: true,
        });
      }
      if (!ledger) {
        ledger = em.create(EmailMessage, {
          id: randomUUID(),
          ledgerKey: input.ledgerKey,
          attendee,
          eventId: event.id,
          kind: input.kind,
          toAddress: attendee.email,
          status: 'pending',
          providerMessageId: null,
          errorCode: null,
          errorMessage: null,
          sentAt: null,
        });
      }

      const token = newToken();
      em.create(AccessToken, {
        id: randomUUID(),
        attendee,
        kind: 'invitation',
        tokenHash: hashToken(token),
        expiresAt: new Date(now().getTime() + INVITATION_TOKEN_TTL_DAYS * 86_400_000),
        usedAt: null,
      });
      await em.flush();

      const url = new URL(`/events/${event.id}/invitation`, deps.eventSiteUrl);
      url.searchParams.set('token', token);
      const rendered = await renderEmail('invitation', {
        locale: attendee.language,
        firstName: attendee.firstName,
        eventName: event.name,
        startsAt: event.startsAt.toISOString(),
        timezone: event.timezone,
        url: url.toString(),
      });

      try {
        const { messageId } = await deps.email.send({
          from: deps.emailFrom,
          to: attendee.email,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          tag: input.kind,
          metadata: { attendeeId: attendee.id, eventId: event.id, kind: input.kind },
        });
        ledger.status = 'sent';
        ledger.providerMessageId = messageId;
        ledger.sentAt = now();
        await em.flush();
        return { outcome: 'sent', messageId };
      } catch (error) {
        if (error instanceof EmailRejectedError) {
          log.warn('email rejected', { attendeeId: attendee.id, code: error.code });
          ledger.status = 'failed';
          ledger.errorCode = error.code;
          ledger.errorMessage = error.message;
          await em.flush();
          throw ApplicationFailure.create({
            type: FailureType.emailRejected,
            message: error.message,
            details: [error.code],
            nonRetryable: true,
          });
        }
        throw error;
      }
    },
  };
};

export type Activities = ReturnType<typeof createActivities>;
