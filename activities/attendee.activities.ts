import { ApplicationFailure, log } from '@temporalio/activity';
import { Attendee, Image } from '../db/entities';
import {
  attendeeExists,
  derivedColumns,
  eraseAttendees,
  insertAttendees,
  markUndeliverable,
  type NewAttendee,
  type Transition,
  writeTransition,
} from '../db/writes/attendees';
import { type IssuedLink, issueLinkTokens } from '../db/writes/link-tokens';
import {
  emitAttendeeTransition,
  subscribedTypes,
  TRANSITION_TYPES,
  type WebhookWakes,
} from '../db/writes/webhook-events';
import type { Position, Role } from '../domain/attendee-lifecycle';
import { FailureType } from '../domain/errors';
import type { LanguageCode } from '../domain/languages';
import { TOKEN_TTL_MINUTES } from '../domain/secrets';
import { sharedInvitationRenderer } from '../emails/invitation-skeleton';
import { type RenderedEmail, renderEmail } from '../emails/render';
import { eventCalendarAttachment } from './calendar-attachment';
import type { ActivityDeps } from './deps';
import { type EmailContent, sendOnce } from './send-once';
import { wakeWebhooks } from './webhook-wake';

/** The image id at the end of an attendee's imageUrl (`…/v1/images/<id>`). */
const IMAGE_ID = /\/v1\/images\/([0-9a-f-]{36})$/;

/** An invite of the workflow's address, as the workflow hands it over (db/writes/attendees.ts). */
export type RecordInvitationInput = Omit<NewAttendee, 'id'> & { attendeeId: string; by: string };

/** Its `beforeBlock` is absent from activities scheduled before it existed. */
export type RecordTransitionInput = Transition;

/** What a workflow that ends leaves in the attendee row, so a later run carries on from it. */
export interface RecordFinalStateInput {
  attendeeId: string;
  emailsRequested: number;
  beforeBlock: Position | null;
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

/** `suppressed`: the address is on the organization's suppression list; recorded on the ledger, not sent. */
export type SendAttendeeEmailResult = {
  outcome: 'sent' | 'already_sent' | 'skipped' | 'suppressed';
  messageId?: string;
};

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
    const expiresAt = new Date(now().getTime() + ttlMinutes * 60_000);
    const [link] = await issueLinkTokens(deps.orm.em.fork(), deps.eventSiteUrl, [
      { attendeeId, eventId, kind, path, expiresAt, ...(tokenHash ? { tokenHash } : {}) },
    ]);
    return link as IssuedLink;
  }

  return {
    /**
     * Writes the invited attendee and its first history row; a retry, or an invite the API wrote
     * already, finds them and does nothing.
     */
    async recordInvitation(input: RecordInvitationInput): Promise<void> {
      const em = deps.orm.em.fork();
      if (await attendeeExists(em, input.attendeeId)) return;
      const { attendeeId, by, ...fields } = input;
      const wakes: WebhookWakes = new Set();
      const [inserted] = await insertAttendees(em, [{ id: attendeeId, ...fields }], by, wakes);
      await wakeWebhooks(deps, wakes);
      // Not inserted: the API's own write of this invite, or another live attendee of the address.
      if (inserted || (await attendeeExists(em, attendeeId))) return;
      throw ApplicationFailure.create({
        type: FailureType.duplicateEmail,
        message: 'This email address is already invited to the event.',
        nonRetryable: true,
      });
    },

    /**
     * Writes a new position (or the removal) and, when the status changed, its history row: one
     * statement. When a webhook endpoint listens for transitions, their events go in the same
     * transaction (keyed by the history row, so a retry that finds the row written emits nothing
     * again).
     */
    async recordTransition(input: RecordTransitionInput): Promise<void> {
      const em = deps.orm.em.fork();
      if (!(await subscribedTypes(em, { attendeeId: input.attendeeId }, TRANSITION_TYPES))) {
        await writeTransition(em, input);
        return;
      }
      const wakes: WebhookWakes = new Set();
      await em.transactional(async (tx) => {
        const written = await writeTransition(tx, input);
        if (!written.history_written && !written.removed_now) return;
        await emitAttendeeTransition(
          tx,
          {
            attendeeId: input.attendeeId,
            eventId: written.event_id,
            historyId: input.historyId,
            from: { status: written.status, detailedStatus: written.detailed_status },
            removed: written.removed_now,
            actor: input.by,
          },
          wakes,
        );
      });
      await wakeWebhooks(deps, wakes);
    },

    /** Writes profile changes; a new (or no) image deletes the attendee's other images with it. */
    async updateProfile(input: { attendeeId: string; changes: ProfileChanges }): Promise<void> {
      await deps.orm.em.fork().transactional(async (tx) => {
        const attendee = await tx.findOneOrFail(Attendee, input.attendeeId);
        const { answers, ...fields } = input.changes;
        tx.assign(attendee, fields);
        if (answers) attendee.registrationAnswers = answers;
        tx.assign(attendee, derivedColumns(attendee));
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

    /**
     * The last write of a workflow that ends: its email counter (never lowered) and the position
     * to return to on unblock. An erased attendee has no row: nothing to write.
     */
    async recordFinalState(input: RecordFinalStateInput): Promise<void> {
      await deps.orm.em
        .fork()
        .getConnection()
        .execute(
          `update attendees set emails_requested = greatest(emails_requested, ?),
             before_block_status = ?, before_block_detailed_status = ? where id = ?`,
          [
            input.emailsRequested,
            input.beforeBlock?.status ?? null,
            input.beforeBlock?.detailedStatus ?? null,
            input.attendeeId,
          ],
        );
    },

    /** The event's end as it stands now (it may have moved); null when the event is gone. */
    async eventEnd(input: { eventId: string }): Promise<{ endsAt: string } | null> {
      const rows = await deps.orm.em
        .fork()
        .getConnection()
        .execute<{ ends_at: Date }[]>('select ends_at from events where id = ?', [input.eventId]);
      const row = rows[0];
      return row ? { endsAt: new Date(row.ends_at).toISOString() } : null;
    },

    /** A hard bounce reported by Postmark: no more email goes to this attendee's address. */
    async recordBounce(input: { attendeeId: string }): Promise<void> {
      await markUndeliverable(deps.orm.em.fork(), input.attendeeId);
    },

    /** Deletes the attendee with everything that hangs off it (history, tokens, emails, visits). */
    async eraseAttendee(input: { attendeeIds: string[] }): Promise<number> {
      const wakes: WebhookWakes = new Set();
      const erased = await eraseAttendees(deps.orm.em.fork(), { ids: input.attendeeIds }, wakes);
      await wakeWebhooks(deps, wakes);
      return erased;
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
      const entry = {
        ledgerKey: input.ledgerKey,
        attendeeId: attendee.id,
        eventId: event.id,
        kind: link.ledgerKind,
        to: attendee.email,
      };
      const render = async (): Promise<EmailContent[]> => {
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
            // Rendered once per event and language, then filled in per person.
            rendered = await sharedInvitationRenderer({ name: event.name, ...when })(
              attendee.language,
              attendee.firstName,
              url,
            );
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
        const metadata = { attendeeId: attendee.id, eventId: event.id, kind: link.ledgerKind };
        // The invitation and the completed registration carry the event's .ics (not the confirm request).
        const attachment =
          input.kind === 'invitation' || input.kind === 'registration_confirmation'
            ? await eventCalendarAttachment(em, deps.eventSiteUrl, event.id, now())
            : null;
        return [
          {
            ...rendered,
            tag: link.ledgerKind,
            metadata,
            ...(attachment ? { attachments: [attachment] } : {}),
          },
        ];
      };
      const outcome = (await sendOnce(deps, em, [entry], render, { via: 'single' })).get(entry.ledgerKey);
      if (outcome?.status === 'sent') {
        const messageId = outcome.messageId ?? undefined;
        return { outcome: outcome.earlier ? 'already_sent' : 'sent', messageId };
      }
      if (outcome?.status === 'suppressed') return { outcome: 'suppressed' };
      if (outcome?.status === 'failed') {
        if (!outcome.earlier) log.warn('email rejected', { attendeeId: attendee.id, code: outcome.code });
        throw ApplicationFailure.create({
          type: FailureType.emailRejected,
          message: outcome.message,
          ...(outcome.earlier ? {} : { details: [outcome.code] }),
          nonRetryable: true,
        });
      }
      throw new Error(`email ${entry.ledgerKey} not settled`);
    },
  };
};

export type Activities = ReturnType<typeof createActivities>;
