/**
 * Organizer-written messages to attendees: a bulk `send_message` (kind `message`) or a reminder
 * with the organizer's own text (kind `reminder`). Each reader gets the text of their language
 * (domain/custom-message.ts), in the standard layout with the event's look, rendered once per
 * language (emails/custom-message-skeleton.ts), with their own way in where the message asks for
 * it (single-use tokens from db/writes/link-tokens.ts), sent exactly once per ledger key through
 * send-once.ts in batches of up to 500.
 */
import type { EntityManager } from '@mikro-orm/core';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { Attendee, Event } from '../db/entities';
import { issueLinkTokens } from '../db/writes/link-tokens';
import { type CustomMessage, messageIssues, messageSkipReason, wayInFor } from '../domain/custom-message';
import { TOKEN_TTL_MINUTES } from '../domain/secrets';
import { customMessageRenderer, type WayIn } from '../emails/custom-message-skeleton';
import { eventCalendarAttachment } from './calendar-attachment';
import type { ActivityDeps } from './deps';
import type { EmailAttachment } from './email-transport';
import { type EmailContent, type SendOutcome, sendOnce } from './send-once';

type AttendeeRow = InstanceType<typeof Attendee.class>;
type EventRow = InstanceType<typeof Event.class>;

export type CustomMessageKind = 'message' | 'reminder';

export interface SendCustomMessagesInput {
  eventId: string;
  /** `message`: sent as an organizer message; `reminder`: the custom text sent as a reminder. */
  kind: CustomMessageKind;
  message: CustomMessage;
  attendeeIds: string[];
  /** Ledger keys are `<ledgerScope>/<attendeeId>`: a repeated call with the same scope sends nothing again. */
  ledgerScope: string;
}

export interface CustomMessageOutcome {
  attendeeId: string;
  outcome: 'sent' | 'skipped' | 'failed';
  /**
   * Why skipped (`not_found`, `removed`, `status_blocked`, `status_unregistered`, `bounced`,
   * `suppressed`: on the organization's suppression list) or failed.
   */
  reason?: string;
}

/** The ledger key column holds 300 characters; an attendee id and its slash take 37. */
const MAX_SCOPE_LENGTH = 300 - 37;

export interface DeliverCustomMessagesArgs {
  event: EventRow;
  kind: CustomMessageKind;
  message: CustomMessage;
  recipients: readonly AttendeeRow[];
  ledgerKey: (attendeeId: string) => string;
  /** Postmark metadata beyond attendeeId, eventId and kind (a reminder's rule and run). */
  metadata?: Record<string, string>;
  /** Attached to every message (a reminder's .ics); built once by the caller. */
  attachment?: EmailAttachment | null;
  now: () => Date;
}

/** How long each way in stays valid: the invitation's usual time; a login link until the event ends. */
function tokenExpiry(kind: 'invitation' | 'login', event: EventRow, now: Date): Date {
  const at = now.getTime();
  if (kind === 'invitation') return new Date(at + TOKEN_TTL_MINUTES.invitation * 60_000);
  // Works until the event ends (at least a day), so a message sent days ahead still lets them in.
  return new Date(Math.max(at + TOKEN_TTL_MINUTES.organizer_login_link * 60_000, event.endsAt.getTime()));
}

/**
 * Sends the message to recipients already found eligible, at most once per ledger key; answers
 * each recipient's send outcome by attendee id. The links' tokens are issued only for what is
 * really sent. A call that fails for now (Postmark 429, 5xx, network) throws, to be retried.
 */
export async function deliverCustomMessages(
  deps: ActivityDeps,
  em: EntityManager,
  args: DeliverCustomMessagesArgs,
): Promise<Map<string, SendOutcome>> {
  const { event, kind } = args;
  const byId = new Map(args.recipients.map((a) => [a.id, a]));
  const entries = args.recipients.map((a) => ({
    ledgerKey: args.ledgerKey(a.id),
    attendeeId: a.id,
    eventId: event.id,
    kind,
    to: a.email,
  }));
  const renderer = customMessageRenderer({ eventName: event.name, accent: event.accentColor }, args.message);
  const wayIn = (a: AttendeeRow) => (args.message.includeLoginLink ? wayInFor(a, event.loginMode) : null);

  const render = async (todo: readonly (typeof entries)[number][]): Promise<EmailContent[]> => {
    const readers = todo.map((e) => byId.get(e.attendeeId) as AttendeeRow);
    // One statement for the page's tokens, stored before anything is sent.
    const wanted = readers.flatMap((a) => {
      const link = wayIn(a);
      return link ? [{ attendee: a, link }] : [];
    });
    const now = args.now();
    const issued = await issueLinkTokens(
      em,
      deps.eventSiteUrl,
      wanted.map(({ attendee, link }) => ({
        attendeeId: attendee.id,
        eventId: event.id,
        kind: link === 'login' ? 'login_link' : 'invitation',
        path: link === 'login' ? 'login' : 'invitation',
        expiresAt: tokenExpiry(link, event, now),
      })),
    );
    const links = new Map<string, WayIn>(
      wanted.map(({ attendee, link }, i) => [attendee.id, { kind: link, url: issued[i]?.url as string }]),
    );
    const contents: EmailContent[] = [];
    for (const reader of readers) {
      heartbeat();
      const rendered = await renderer(reader.language, links.get(reader.id) ?? null);
      contents.push({
        ...rendered,
        tag: kind,
        metadata: { attendeeId: reader.id, eventId: event.id, kind, ...args.metadata },
        ...(args.attachment ? { attachments: [args.attachment] } : {}),
      });
    }
    return contents;
  };

  // On the broadcast stream when one is set, with List-Unsubscribe; suppressed addresses are skipped.
  const byKey = await sendOnce(deps, em, entries, render, { via: 'batch', bulk: true });
  return new Map(entries.map((e) => [e.attendeeId, byKey.get(e.ledgerKey) ?? { status: 'pending' }]));
}

/**
 * An organizer's message to some of an event's attendees (the bulk actions' `send_message` and
 * `send_reminder` with a message). Loads the attendees (of this event only), skips those who may
 * not receive it, sends the rest exactly once per `<ledgerScope>/<attendeeId>` (a retried or
 * repeated call with the same scope sends nothing twice), and answers each attendee's outcome,
 * once per distinct id, in the order given. Throws, to be retried, while Postmark refuses for now.
 */
export async function sendCustomMessages(
  deps: ActivityDeps,
  input: {
    eventId: string;
    kind: 'message' | 'reminder';
    message: CustomMessage;
    attendeeIds: string[];
    ledgerScope: string;
  },
): Promise<Array<{ attendeeId: string; outcome: 'sent' | 'skipped' | 'failed'; reason?: string }>> {
  const issues = messageIssues(input.message);
  if (issues.length > 0) {
    throw ApplicationFailure.create({
      type: 'invalid_message',
      message: `The message is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join(' ')}`,
      nonRetryable: true,
    });
  }
  if (input.ledgerScope === '' || input.ledgerScope.length > MAX_SCOPE_LENGTH) {
    throw ApplicationFailure.create({
      type: 'invalid_message',
      message: `ledgerScope must be 1 to ${MAX_SCOPE_LENGTH} characters.`,
      nonRetryable: true,
    });
  }
  const ids = [...new Set(input.attendeeIds)];
  if (ids.length === 0) return [];
  const em = deps.orm.em.fork();
  const now = deps.now ?? (() => new Date());
  const event = await em.findOne(Event, input.eventId);
  if (!event) return ids.map((attendeeId) => ({ attendeeId, outcome: 'skipped', reason: 'not_found' }));

  // Ids that are not uuids match nothing (and would fail the query): not found.
  const uuids = ids.filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  const rows = uuids.length > 0 ? await em.find(Attendee, { id: { $in: uuids }, event: event.id }) : [];
  const found = new Map(rows.map((a) => [a.id, a]));

  const results = new Map<string, CustomMessageOutcome>();
  const recipients: AttendeeRow[] = [];
  for (const id of ids) {
    const attendee = found.get(id);
    const reason = attendee
      ? messageSkipReason({
          status: attendee.status,
          removed: attendee.removedAt !== null,
          emailUndeliverable: attendee.emailUndeliverable,
        })
      : 'not_found';
    if (reason) results.set(id, { attendeeId: id, outcome: 'skipped', reason });
    else recipients.push(attendee as AttendeeRow);
  }

  if (recipients.length > 0) {
    const attachment =
      input.kind === 'reminder'
        ? await eventCalendarAttachment(em, deps.eventSiteUrl, event.id, now())
        : null;
    const outcomes = await deliverCustomMessages(deps, em, {
      event,
      kind: input.kind,
      message: input.message,
      recipients,
      ledgerKey: (attendeeId) => `${input.ledgerScope}/${attendeeId}`,
      attachment,
      now,
    });
    let retryable = 0;
    for (const [attendeeId, outcome] of outcomes) {
      if (outcome.status === 'sent') results.set(attendeeId, { attendeeId, outcome: 'sent' });
      else if (outcome.status === 'suppressed') {
        // On the organization's suppression list: recorded on the ledger, not sent, not retried.
        results.set(attendeeId, { attendeeId, outcome: 'skipped', reason: 'suppressed' });
      } else if (outcome.status === 'failed') {
        const reason = outcome.code ? `email_rejected_${outcome.code}` : 'email_rejected';
        results.set(attendeeId, { attendeeId, outcome: 'failed', reason });
      } else retryable++;
    }
    // Refused for now (rate limit, ...): the retry sends only those; the ledger keeps the rest.
    if (retryable > 0) throw new Error(`${retryable} message(s) refused for now by Postmark; retrying`);
  }
  return ids.map((id) => results.get(id) as CustomMessageOutcome);
}
