/**
 * The last step of one bulk-invite page: the page's invitations through Postmark's batch endpoint,
 * each with its invitation link (db/writes/link-tokens.ts) and on the email ledger, sent once
 * (send-once.ts) on the broadcast stream when one is set, with each row's email status (`suppressed`:
 * the address is on the organization's suppression list).
 */
import type { EntityManager } from '@mikro-orm/core';
import { sql, sqlArray } from '../db/sql';
import { issueLinkTokens } from '../db/writes/link-tokens';
import type { LanguageCode } from '../domain/languages';
import { TOKEN_TTL_MINUTES } from '../domain/secrets';
import { sharedInvitationRenderer } from '../emails/invitation-skeleton';
import { eventCalendarAttachment } from './calendar-attachment';
import type { ImportActivityDeps } from './import.activities';
import type { EventRow, InvitePageInput } from './import-page';
import { type EmailContent, sendOnce } from './send-once';

interface Recipient {
  row_number: number;
  attendee_id: string;
  email: string;
  first_name: string;
  language: LanguageCode;
}

export async function sendInvitations(
  deps: ImportActivityDeps,
  em: EntityManager,
  input: InvitePageInput,
  event: EventRow,
) {
  const now = deps.now ?? (() => new Date());
  const recipients = await pageRecipients(em, input);
  if (recipients.length === 0) return;
  const entries = recipients.map((r) => ({
    // The same ledger key as the attendee workflow's first invitation: whoever comes second finds it.
    ledgerKey: `${r.attendee_id}/invitation/1`,
    attendeeId: r.attendee_id,
    eventId: event.id,
    kind: 'invitation' as const,
    to: r.email,
    recipient: r,
  }));
  const render = sharedInvitationRenderer({
    name: event.name,
    startsAt: new Date(event.starts_at).toISOString(),
    timezone: event.timezone,
  });
  // The event's .ics: one file for the whole page (the same for every invitee), made on first use.
  let calendar: ReturnType<typeof eventCalendarAttachment> | undefined;
  const renderBatch = async (batch: readonly (typeof entries)[number][]): Promise<EmailContent[]> => {
    calendar ??= eventCalendarAttachment(em, deps.eventSiteUrl, event.id, now());
    const attachment = await calendar;
    const expiresAt = new Date(now().getTime() + TOKEN_TTL_MINUTES.invitation * 60_000);
    const links = await issueLinkTokens(
      em,
      deps.eventSiteUrl,
      batch.map((e) => ({
        attendeeId: e.attendeeId,
        eventId: event.id,
        kind: 'invitation',
        path: 'invitation',
        expiresAt,
      })),
    );
    return Promise.all(
      batch.map(async ({ recipient: r }, i) => {
        const rendered = await render(r.language, r.first_name, links[i]?.url as string);
        const metadata = { attendeeId: r.attendee_id, eventId: event.id, kind: 'invitation' };
        return {
          ...rendered,
          tag: 'invitation',
          metadata,
          ...(attachment ? { attachments: [attachment] } : {}),
        };
      }),
    );
  };
  const outcomes = await sendOnce(deps, em, entries, renderBatch, { via: 'batch', bulk: true });
  const rows: { row: number; status: 'sent' | 'failed' | 'suppressed' }[] = [];
  let retryable = 0;
  for (const { ledgerKey, recipient } of entries) {
    const outcome = outcomes.get(ledgerKey);
    if (!outcome || outcome.status === 'pending') retryable++;
    else rows.push({ row: recipient.row_number, status: outcome.status });
  }
  await markRows(em, input.importId, rows);
  if (retryable > 0) throw new Error(`${retryable} invitation(s) refused for now by Postmark; retrying`);
}

/**
 * The page's rows invited and not emailed yet, in file order, with their attendees (not removed
 * since). Two reads by key, not one join: with a fresh table's statistics the join was planned as
 * a scan of every live attendee of the event per row (80–220 ms a page at 10,000).
 */
async function pageRecipients(em: EntityManager, input: InvitePageInput): Promise<Recipient[]> {
  const rows = await sql(em)<{ row_number: number; attendee_id: string }[]>(
    `select row_number, attendee_id from import_rows
      where import_id = ? and seq between ? and ? and outcome = 'invited' and email_status is null
      order by seq`,
    [input.importId, input.firstSeq, input.lastSeq],
  );
  if (rows.length === 0) return [];
  const people = await sql(em)<Omit<Recipient, 'row_number'>[]>(
    `select id as attendee_id, email, first_name, language from attendees
      where id = any(?::uuid[]) and removed_at is null`,
    [sqlArray(rows.map((r) => r.attendee_id))],
  );
  const byId = new Map(people.map((p) => [p.attendee_id, p]));
  return rows.flatMap((r) => {
    const person = byId.get(r.attendee_id);
    return person ? [{ ...person, row_number: r.row_number }] : [];
  });
}

/** The email outcome of each row, as the import's progress counts it. */
async function markRows(
  em: EntityManager,
  importId: string,
  rows: { row: number; status: 'sent' | 'failed' | 'suppressed' }[],
) {
  if (rows.length === 0) return;
  await sql(em)(
    `update import_rows r set email_status = v.status
       from jsonb_to_recordset(?::jsonb) as v(row int, status text)
      where r.import_id = ? and r.row_number = v.row`,
    [JSON.stringify(rows), importId],
  );
}
