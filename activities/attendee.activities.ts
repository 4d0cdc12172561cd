import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ApplicationFailure, log } from '@temporalio/activity';
import { AccessToken, Attendee, AttendeeHistory, EmailMessage, Event, Image } from '../db/entities';
import type { Orm } from '../db/orm';
import type { DetailedStatus, Position, Role, Status } from '../domain/attendee-lifecycle';
import { searchText } from '../domain/email-address';
import { FailureType } from '../domain/errors';
import type { LanguageCode } from '../domain/languages';
import { type RenderedEmail, renderEmail } from '../emails/render';
import { acceptedEarlier, attemptMetadata } from './email-ledger';
import { EmailRejectedError, type EmailTransport } from './email-transport';
import { hashToken, newToken, TOKEN_TTL_MINUTES } from './tokens';

/** The image id at the end of an attendee's imageUrl (`…/v1/images/<id>`). */
const IMAGE_ID = /\/v1\/images\/([0-9a-f-]{36})$/;

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
  /** A published registration waiting for its confirm link. */
  awaitingConfirmation?: boolean;
  by: string;
}

export interface RecordTransitionInput {
  attendeeId: string;
  /** Deterministic (from the workflow), so a retry does not write the history row twice. */
  historyId: string;
  /** Null: the attendee was removed from the event. */
  position: Position | null;
  statusChanged: boolean;
  flags: { awaitingConfirmation: boolean; chatTermsAgreed: boolean; chatBlocked: boolean };
  by: string;
  at: string;
}

export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  language?: LanguageCode;
  roles?: Role[];
  title?: string | null;
  company?: string | null;
  bio?: string | null;
  imageUrl?: string | null;
  answers?: Record<string, unknown>;
}

/** The emails of an attendee's lifecycle; each names its template, its link and its token. */
export type AttendeeEmailKind =
  | 'invitation'
  | 'confirmation_request'
  | 'registration_confirmation'
  | 'login_link';

export interface SendAttendeeEmailInput {
  attendeeId: string;
  kind: AttendeeEmailKind;
  /** Unique per intended message: a retry finds the row and does not send twice. */
  ledgerKey: string;
}

export type SendAttendeeEmailResult = { outcome: 'sent' | 'already_sent' | 'skipped'; messageId?: string };

const LINKS: Record<
  AttendeeEmailKind,
  {
    path: string;
    token: AccessTokenKind;
    ttl: number;
    ledgerKind: 'invitation' | 'registration_confirmation' | 'login_link';
  }
> = {
  invitation: {
    path: 'invitation',
    token: 'invitation',
    ttl: TOKEN_TTL_MINUTES.invitation,
    ledgerKind: 'invitation',
  },
  confirmation_request: {
    path: 'confirm',
    token: 'registration_confirmation',
    ttl: TOKEN_TTL_MINUTES.registration_confirmation,
    ledgerKind: 'registration_confirmation',
  },
  registration_confirmation: {
    path: 'login',
    token: 'login_link',
    ttl: TOKEN_TTL_MINUTES.organizer_login_link,
    ledgerKind: 'registration_confirmation',
  },
  login_link: {
    path: 'login',
    token: 'login_link',
    ttl: TOKEN_TTL_MINUTES.login_link,
    ledgerKind: 'login_link',
  },
};

type AccessTokenKind = 'invitation' | 'registration_confirmation' | 'login_link';

export const createActivities = (deps: ActivityDeps) => {
  const now = deps.now ?? (() => new Date());

  /**
   * Creates a single-use token for the attendee and the event-site link that carries it. Given
   * the hash of a token made elsewhere, stores that and answers the link without its token.
   */
  async function issueLink(
    attendeeId: string,
    eventId: string,
    kind: AccessTokenKind,
    path: string,
    ttlMinutes: number,
    tokenHash?: string,
  ) {
    const em = deps.orm.em.fork();
    const token = tokenHash ? null : newToken();
    const expiresAt = new Date(now().getTime() + ttlMinutes * 60_000);
    em.create(AccessToken, {
      id: randomUUID(),
      attendee: em.getReference(Attendee, attendeeId),
      kind,
      tokenHash: tokenHash ?? hashToken(token as string),
      expiresAt,
      usedAt: null,
    });
    await em.flush();
    const url = new URL(`/events/${eventId}/${path}`, deps.eventSiteUrl);
    if (token) url.searchParams.set('token', token);
    return { url: url.toString(), expiresAt: expiresAt.toISOString() };
  }

  return {
    /**
     * Writes the invited attendee and its first history row; a retry, or an invite the API wrote
     * already, finds them and does nothing.
     */
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
            registrationAnswers: null,
            awaitingConfirmation: input.awaitingConfirmation ?? false,
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
          // The API's own write of this invite committed while this one waited on it.
          if (await deps.orm.em.fork().findOne(Attendee, input.attendeeId)) return;
          throw ApplicationFailure.create({
            type: FailureType.duplicateEmail,
            message: 'This email address is already invited to the event.',
            nonRetryable: true,
          });
        }
        throw error;
      }
    },

    /** Writes a new position (or the removal) and, when the status changed, its history row. */
    async recordTransition(input: RecordTransitionInput): Promise<void> {
      const em = deps.orm.em.fork();
      await em.transactional(async (tx) => {
        const attendee = await tx.findOneOrFail(Attendee, input.attendeeId);
        if (input.position) {
          attendee.status = input.position.status;
          attendee.detailedStatus = input.position.detailedStatus;
        } else {
          attendee.removedAt ??= new Date(input.at);
          // A removed person's profile image goes with the removal, in the same transaction.
          attendee.imageUrl = null;
          await tx.nativeDelete(Image, { attendee: input.attendeeId });
        }
        attendee.awaitingConfirmation = input.flags.awaitingConfirmation;
        attendee.chatTermsAgreed = input.flags.chatTermsAgreed;
        attendee.chatBlocked = input.flags.chatBlocked;
        if (input.statusChanged && input.position && !(await tx.findOne(AttendeeHistory, input.historyId))) {
          tx.create(AttendeeHistory, {
            id: input.historyId,
            attendee,
            at: new Date(input.at),
            status: input.position.status,
            detailedStatus: input.position.detailedStatus,
            actor: input.by,
          });
        }
      });
    },

    /** Writes profile changes; a new (or no) image deletes the attendee's other images with it. */
    async updateProfile(input: { attendeeId: string; changes: ProfileChanges }): Promise<void> {
      await deps.orm.em.fork().transactional(async (tx) => {
        const attendee = await tx.findOneOrFail(Attendee, input.attendeeId);
        const { answers, ...fields } = input.changes;
        tx.assign(attendee, fields);
        if (answers) attendee.registrationAnswers = answers;
        attendee.searchText = searchText(attendee.firstName, attendee.lastName, attendee.email);
        attendee.nameKey = `${attendee.firstName} ${attendee.lastName}`.toLowerCase();
        if (fields.imageUrl !== undefined) {
          const kept = fields.imageUrl ? IMAGE_ID.exec(fields.imageUrl)?.[1] : undefined;
          await tx.nativeDelete(Image, {
            attendee: input.attendeeId,
            ...(kept ? { id: { $ne: kept } } : {}),
          });
        }
      });
    },

    async recordVisit(input: {
      visitId: string;
      attendeeId: string;
      at: string;
      kind: 'login' | 'page' | 'session';
      sessionId?: string;
    }): Promise<void> {
      await deps.orm.em
        .fork()
        .getConnection()
        .execute(
          `insert into attendee_visits (id, attendee_id, at, kind, session_id) values (?, ?, ?, ?, ?)
           on conflict (id) do nothing`,
          [input.visitId, input.attendeeId, input.at, input.kind, input.sessionId ?? null],
        );
    },

    /**
     * An organizer's login link for one attendee: shown once in the API's answer. The API sends
     * the token's hash, so the result (kept in Temporal's history) carries no token.
     */
    async issueLoginLink(input: { attendeeId: string; eventId: string; tokenHash?: string }) {
      return issueLink(
        input.attendeeId,
        input.eventId,
        'login_link',
        'login',
        TOKEN_TTL_MINUTES.organizer_login_link,
        input.tokenHash,
      );
    },

    /** Deletes the attendee with everything that hangs off it (history, tokens, emails, visits). */
    async eraseAttendee(input: { attendeeIds: string[] }): Promise<number> {
      if (input.attendeeIds.length === 0) return 0;
      const em = deps.orm.em.fork();
      return em.nativeDelete(Attendee, { id: { $in: input.attendeeIds } });
    },

    /**
     * Sends one attendee email at most once per ledger key; a call whose answer never came is
     * looked up at Postmark before the email is sent again (email-ledger.ts).
     */
    async sendAttendeeEmail(input: SendAttendeeEmailInput): Promise<SendAttendeeEmailResult> {
      const em = deps.orm.em.fork();
      const attendee = await em.findOne(Attendee, input.attendeeId, { populate: ['event'] });
      if (!attendee || attendee.removedAt || attendee.emailUndeliverable) return { outcome: 'skipped' };
      const event = attendee.event;
      const link = LINKS[input.kind];

      let ledger = await em.findOne(EmailMessage, { ledgerKey: input.ledgerKey });
      if (ledger && ledger.status !== 'pending' && ledger.status !== 'failed') {
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
          kind: link.ledgerKind,
          toAddress: attendee.email,
          status: 'pending',
          providerMessageId: null,
          errorCode: null,
          errorMessage: null,
          sentAt: null,
        });
        await em.flush();
      }
      // An earlier call whose answer never came may have got through: then it is sent.
      const accepted = (
        await acceptedEarlier(deps.email, [{ id: ledger.id, send_attempt: ledger.sendAttempt ?? null }])
      ).get(ledger.id);
      if (accepted) {
        ledger.status = 'sent';
        ledger.providerMessageId = accepted;
        ledger.sentAt = now();
        await em.flush();
        return { outcome: 'sent', messageId: accepted };
      }

      const { url } = await issueLink(attendee.id, event.id, link.token, link.path, link.ttl);
      const common = {
        locale: attendee.language,
        firstName: attendee.firstName,
        eventName: event.name,
        url,
      };
      const when = { startsAt: event.startsAt.toISOString(), timezone: event.timezone };
      let rendered: RenderedEmail;
      switch (input.kind) {
        case 'invitation':
          rendered = await renderEmail('invitation', { ...common, ...when });
          break;
        case 'confirmation_request':
        case 'registration_confirmation':
          rendered = await renderEmail('registration_confirmation', {
            ...common,
            ...when,
            requiresConfirmation: input.kind === 'confirmation_request',
          });
          break;
        case 'login_link':
          rendered = await renderEmail('login_link', { ...common, expiresInMinutes: link.ttl });
          break;
      }

      ledger.sendAttempt = randomUUID();
      await em.flush();
      try {
        const { messageId } = await deps.email.send({
          from: deps.emailFrom,
          to: attendee.email,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          tag: link.ledgerKind,
          metadata: {
            attendeeId: attendee.id,
            eventId: event.id,
            kind: link.ledgerKind,
            ...attemptMetadata(ledger.sendAttempt, ledger.id),
          },
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
