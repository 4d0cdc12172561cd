/**
 * The bulk invite's side effects, a page of rows at a time: the attendees and their first history
 * rows in one statement, their lifecycle workflows started with deterministic ids, the invitations
 * through Postmark's batch endpoint with each message on the email ledger, and the progress.
 * Every step is idempotent, so a retried or restarted page invites and emails nobody twice.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { ApplicationFailure, heartbeat, log } from '@temporalio/activity';
import { type Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure as Failure } from '@temporalio/common';
import type { ImportStatus } from '../db/entities/import.entity';
import { outsiders } from '../db/queries/directory';
import { eventRules, findEventById } from '../db/queries/events';
import { checkpointProgress, finishImport, getImport, sql } from '../db/queries/imports';
import { invitedStatus, type Role } from '../domain/attendee-lifecycle';
import { searchText } from '../domain/email-address';
import { FailureType } from '../domain/errors';
import type { LanguageCode } from '../domain/languages';
import { type RenderedEmail, renderEmail } from '../emails/render';
import { type AttendeeState, inviteUpdate } from '../workflows/attendee/definitions';
import { attendeeWorkflowId } from '../workflows/attendee/workflow-id';
import type { ActivityDeps } from './attendee.activities';
import { acceptedEarlier, markAccepted, stampAttempt, whileHeartbeating } from './email-ledger';
import { type BatchResult, EmailRejectedError, type OutgoingEmail } from './email-transport';
import { hashToken, newToken, TOKEN_TTL_MINUTES } from './tokens';

export interface ImportActivityDeps extends ActivityDeps {
  /** Starts the attendees' lifecycle workflows. */
  temporal: Client;
  taskQueue: string;
}

export interface InvitePageInput {
  importId: string;
  eventId: string;
  /** The valid rows `seq` firstSeq..lastSeq. */
  firstSeq: number;
  lastSeq: number;
  sendEmail: boolean;
  by: string;
}

/** Postmark takes at most 500 messages per batch call. */
const MAX_BATCH = 500;
/** Workflow starts in flight at once from one page. */
const START_CONCURRENCY = 32;

interface EventRow {
  id: string;
  name: string;
  starts_at: Date;
  timezone: string;
  default_language: LanguageCode;
  login_mode: 'magic_link' | 'sso';
  /** Absent before the lifecycle's migration: then nobody needs to register first. */
  requires_registration?: boolean | null;
  closed: boolean;
  allow_outside_idp_groups: boolean;
}

interface PageRow {
  row_number: number;
  attendee_id: string;
  email: string;
  email_key: string;
  first_name: string;
  last_name: string;
  company: string | null;
  title: string | null;
  language_code: LanguageCode | null;
  roles: string[];
  outcome: 'invited' | 'already_invited' | null;
  workflow_started: boolean;
  email_status: 'sent' | 'failed' | 'delegated' | null;
}

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

/**
 * Renders the invitation once per language with stand-ins for the name and the link, then fills
 * them in per person (React escapes text the same way): thousands of invitations cost one render
 * per language instead of one each. Falls back to a full render if a stand-in did not survive.
 */
function invitationRenderer(event: EventRow, eventSiteUrl: string) {
  const NAME = 'Zq7NameStandIn';
  const URL_STAND_IN = 'https://stand-in.invalid/Zq7LinkStandIn';
  const byLocale = new Map<LanguageCode, Promise<RenderedEmail | null>>();
  const props = (locale: LanguageCode, firstName: string, url: string) => ({
    locale,
    firstName,
    eventName: event.name,
    startsAt: new Date(event.starts_at).toISOString(),
    timezone: event.timezone,
    url,
  });
  const skeleton = (locale: LanguageCode) => {
    let pending = byLocale.get(locale);
    if (!pending) {
      pending = renderEmail('invitation', props(locale, NAME, URL_STAND_IN)).then((r) =>
        r.html.includes(NAME) && r.html.includes(URL_STAND_IN) && r.text.includes(URL_STAND_IN) ? r : null,
      );
      byLocale.set(locale, pending);
    }
    return pending;
  };
  return async (locale: LanguageCode, firstName: string, attendeeToken: string): Promise<RenderedEmail> => {
    const link = new URL(`/events/${event.id}/invitation`, eventSiteUrl);
    link.searchParams.set('token', attendeeToken);
    const url = link.toString();
    const base = await skeleton(locale);
    if (!base) return renderEmail('invitation', props(locale, firstName, url));
    const fill = (text: string, name: string, href: string) =>
      text.replaceAll(NAME, () => name).replaceAll(URL_STAND_IN, () => href);
    return {
      subject: fill(base.subject, firstName, url),
      html: fill(base.html, escapeHtml(firstName), escapeHtml(url)),
      text: fill(base.text, firstName, url),
    };
  };
}

export const createImportActivities = (deps: ImportActivityDeps) => {
  const now = deps.now ?? (() => new Date());

  async function loadEvent(em: EntityManager, eventId: string) {
    const [event] = await sql(em)<EventRow[]>('select * from events where id = ?', [eventId]);
    if (!event) {
      throw ApplicationFailure.create({
        type: 'event_gone',
        message: `event ${eventId} is gone`,
        nonRetryable: true,
      });
    }
    return event;
  }

  const pageRows = (em: EntityManager, input: InvitePageInput) =>
    sql(em)<PageRow[]>(
      `select row_number, attendee_id, email, email_key, first_name, last_name, company, title, language_code, roles,
              outcome, workflow_started, email_status
         from import_rows where import_id = ? and seq between ? and ? order by seq`,
      [input.importId, input.firstSeq, input.lastSeq],
    );

  /**
   * Step 0: an address whose earlier attendee was removed from the event still has its lifecycle
   * workflow, which must learn of the new invitation: such rows are invited through its invite
   * update, as the single invite does, and the workflow sends their invitation.
   */
  async function reinviteRemoved(em: EntityManager, input: InvitePageInput, rows: PageRow[]) {
    const fresh = rows.filter((r) => r.outcome === null);
    if (fresh.length === 0) return;
    const removed = await sql(em)<{ email_key: string }[]>(
      `select distinct email_key from attendees a
        where a.event_id = ? and a.removed_at is not null
          and a.email_key in (select jsonb_array_elements_text(?::jsonb))
          and not exists (select 1 from attendees l where l.event_id = a.event_id and l.email_key = a.email_key
                           and l.removed_at is null)`,
      [input.eventId, JSON.stringify(fresh.map((r) => r.email_key))],
    );
    if (removed.length === 0) return;
    const keys = new Set(removed.map((r) => r.email_key));
    const event = await findEventById(em, input.eventId);
    if (!event) return;
    for (const r of fresh.filter((row) => keys.has(row.email_key))) {
      let attendeeId: string | null = null;
      try {
        const result = await deps.temporal.workflow.executeUpdateWithStart(inviteUpdate, {
          args: [
            {
              email: r.email,
              firstName: r.first_name,
              lastName: r.last_name,
              language: r.language_code ?? event.defaultLanguage,
              roles: r.roles as Role[],
              title: r.title,
              company: r.company,
              bio: null,
              sendEmail: input.sendEmail,
              event: eventRules(event),
              by: input.by,
            },
          ],
          startWorkflowOperation: new WithStartWorkflowOperation('attendeeWorkflow', {
            workflowId: attendeeWorkflowId(event.id, r.email_key),
            taskQueue: deps.taskQueue,
            args: [{ eventId: event.id, emailKey: r.email_key }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        });
        attendeeId = result.attendeeId;
      } catch (error) {
        const duplicate =
          error instanceof WorkflowUpdateFailedError &&
          error.cause instanceof Failure &&
          error.cause.type === FailureType.duplicateEmail;
        if (!duplicate) throw error;
      }
      await sql(em)(
        `update import_rows set attendee_id = coalesce(?, attendee_id), outcome = ?, workflow_started = ?,
           email_status = ? where import_id = ? and row_number = ?`,
        [
          attendeeId,
          attendeeId ? 'invited' : 'already_invited',
          attendeeId !== null,
          attendeeId && input.sendEmail ? 'delegated' : null,
          input.importId,
          r.row_number,
        ],
      );
      heartbeat({ step: 'reinvite', row: r.row_number });
    }
  }

  /**
   * Step 0: the closed-event rule as it stands now, not as it stood when the file was checked: a
   * closed event that admits only its IdP groups turns away rows of people outside them.
   */
  async function refuseOutsiders(
    em: EntityManager,
    input: InvitePageInput,
    event: EventRow,
    rows: PageRow[],
  ) {
    if (!event.closed || event.allow_outside_idp_groups) return;
    const fresh = rows.filter((r) => r.outcome === null);
    const outside = await outsiders(
      em,
      event.id,
      fresh.map((r) => r.email_key),
    );
    if (outside.size === 0) return;
    await sql(em)(
      `update import_rows set outcome = 'outside_idp_groups'
        where import_id = ? and seq between ? and ? and outcome is null
          and email_key in (select jsonb_array_elements_text(?::jsonb))`,
      [input.importId, input.firstSeq, input.lastSeq, JSON.stringify([...outside])],
    );
  }

  /** Step 1: attendees and their first history rows, in one statement; a retry inserts nothing more. */
  async function insertAttendees(
    em: EntityManager,
    input: InvitePageInput,
    event: EventRow,
    rows: PageRow[],
  ) {
    const fresh = rows.filter((r) => r.outcome === null);
    if (fresh.length === 0) return;
    const { status, detailedStatus } = invitedStatus(event.requires_registration ?? false);
    const attendees = fresh.map((r) => ({
      id: r.attendee_id,
      email: r.email,
      email_key: r.email_key,
      first_name: r.first_name,
      last_name: r.last_name,
      language: r.language_code ?? event.default_language,
      roles: r.roles,
      title: r.title,
      company: r.company,
      search_text: searchText(r.first_name, r.last_name, r.email),
      name_key: `${r.first_name} ${r.last_name}`.toLowerCase(),
      workflow_id: attendeeWorkflowId(event.id, r.email_key),
    }));
    await em.transactional(async (tx) => {
      const run = sql(tx);
      // ON CONFLICT DO NOTHING covers a retry (same id) and the one live attendee per address
      // (attendees_event_email_live_unique): someone invited in the meantime is left as they are.
      await run(
        `with inserted as (
           insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
             detailed_status, title, company, bio, image_url, search_text, name_key, workflow_id, created_at,
             updated_at, removed_at)
           select r.id, ?, r.email, r.email_key, r.first_name, r.last_name, r.language, r.roles, ?, ?, r.title,
             r.company, null, null, r.search_text, r.name_key, r.workflow_id, clock_timestamp(), clock_timestamp(), null
             from jsonb_to_recordset(?::jsonb) as r(id uuid, email text, email_key text, first_name text,
               last_name text, language text, roles text[], title text, company text, search_text text,
               name_key text, workflow_id text)
           on conflict do nothing
           returning id, created_at)
         insert into attendee_history (id, attendee_id, at, status, detailed_status, actor)
         select gen_random_uuid(), id, created_at, ?, ?, ? from inserted`,
        [event.id, status, detailedStatus, JSON.stringify(attendees), status, detailedStatus, input.by],
      );
      await run(
        `update import_rows r
            set outcome = case when exists (select 1 from attendees a where a.id = r.attendee_id)
                               then 'invited' else 'already_invited' end
          where r.import_id = ? and r.seq between ? and ? and r.outcome is null`,
        [input.importId, input.firstSeq, input.lastSeq],
      );
    });
  }

  /** Step 2: the lifecycle workflows, with deterministic ids; an existing one is used as it is. */
  async function startWorkflows(em: EntityManager, input: InvitePageInput, event: EventRow, rows: PageRow[]) {
    const pending = rows.filter((r) => r.outcome === 'invited' && !r.workflow_started);
    const { status, detailedStatus } = invitedStatus(event.requires_registration ?? false);
    let started = 0;
    for (const batch of chunks(pending, START_CONCURRENCY)) {
      await Promise.all(
        batch.map((r) => {
          const state: AttendeeState = {
            attendeeId: r.attendee_id,
            status,
            detailedStatus,
            loginMode: event.login_mode,
            // The import sends invitation/1 itself; the workflow's next email is /2.
            emailsRequested: input.sendEmail ? 1 : 0,
            beforeBlock: null,
            awaitingConfirmation: false,
            chatTermsAgreed: false,
            chatBlocked: false,
          };
          return deps.temporal.workflow.start('attendeeWorkflow', {
            workflowId: attendeeWorkflowId(event.id, r.email_key),
            taskQueue: deps.taskQueue,
            args: [{ eventId: event.id, emailKey: r.email_key, state }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          });
        }),
      );
      await sql(em)(
        `update import_rows set workflow_started = true
          where import_id = ? and row_number in (select jsonb_array_elements_text(?::jsonb)::int)`,
        [input.importId, JSON.stringify(batch.map((r) => r.row_number))],
      );
      started += batch.length;
      heartbeat({ step: 'workflows', started });
    }
  }

  /** Step 3: the invitations, through the batch endpoint, each recorded on the email ledger. */
  async function sendInvitations(em: EntityManager, input: InvitePageInput, event: EventRow) {
    const run = sql(em);
    const recipients = await run<
      { row_number: number; attendee_id: string; email: string; first_name: string; language: LanguageCode }[]
    >(
      `select r.row_number, a.id as attendee_id, a.email, a.first_name, a.language
         from import_rows r join attendees a on a.id = r.attendee_id and a.removed_at is null
        where r.import_id = ? and r.seq between ? and ? and r.outcome = 'invited' and r.email_status is null
        order by r.seq`,
      [input.importId, input.firstSeq, input.lastSeq],
    );
    if (recipients.length === 0) return;
    const ledgerKey = (attendeeId: string) => `${attendeeId}/invitation/1`;
    // The same ledger key as the attendee workflow's first invitation: whoever comes second finds it.
    await run(
      `insert into email_messages (id, ledger_key, attendee_id, event_id, kind, to_address, status, created_at)
       select gen_random_uuid(), r.ledger_key, r.attendee_id, ?, 'invitation', r.email, 'pending', now()
         from jsonb_to_recordset(?::jsonb) as r(ledger_key text, attendee_id uuid, email text)
       on conflict (ledger_key) do nothing`,
      [
        event.id,
        JSON.stringify(
          recipients.map((r) => ({
            ledger_key: ledgerKey(r.attendee_id),
            attendee_id: r.attendee_id,
            email: r.email,
          })),
        ),
      ],
    );
    const ledger = await run<
      { id: string; ledger_key: string; status: string; send_attempt: string | null }[]
    >(
      `select id, ledger_key, status, send_attempt from email_messages
        where ledger_key in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(recipients.map((r) => ledgerKey(r.attendee_id)))],
    );
    // Calls of earlier attempts whose answer never came: what Postmark took counts as sent.
    const accepted = await acceptedEarlier(
      deps.email,
      ledger.filter((l) => l.status === 'pending'),
    );
    await markAccepted(em, accepted);
    const byKey = new Map(ledger.map((l) => [l.ledger_key, l]));
    const statusOf = (r: { attendee_id: string }) => {
      const row = byKey.get(ledgerKey(r.attendee_id));
      return row && accepted.has(row.id) ? 'sent' : row?.status;
    };
    const settled = (status: string | undefined) => status !== undefined && status !== 'pending';
    // Already settled by an earlier attempt (or a resend): only mirror it on the row.
    await markRows(
      em,
      input.importId,
      recipients
        .filter((r) => settled(statusOf(r)))
        .map((r) => ({
          row: r.row_number,
          status: statusOf(r) === 'failed' ? ('failed' as const) : ('sent' as const),
        })),
    );
    const toSend = recipients.filter((r) => !settled(statusOf(r)));
    if (toSend.length === 0) return;

    const render = invitationRenderer(event, deps.eventSiteUrl);
    let retryable = 0;
    for (const batch of chunks(toSend, MAX_BATCH)) {
      const expiresAt = new Date(now().getTime() + TOKEN_TTL_MINUTES.invitation * 60_000);
      const tokens = batch.map(() => newToken());
      await run(
        `insert into access_tokens (id, attendee_id, kind, token_hash, expires_at, used_at, created_at)
         select r.id, r.attendee_id, 'invitation', r.token_hash, ?, null, now()
           from jsonb_to_recordset(?::jsonb) as r(id uuid, attendee_id uuid, token_hash text)`,
        [
          expiresAt,
          JSON.stringify(
            batch.map((r, i) => ({
              id: randomUUID(),
              attendee_id: r.attendee_id,
              token_hash: hashToken(tokens[i] as string),
            })),
          ),
        ],
      );
      const attemptOf = await stampAttempt(
        em,
        batch.map((r) => byKey.get(ledgerKey(r.attendee_id))?.id as string),
      );
      const messages: OutgoingEmail[] = await Promise.all(
        batch.map(async (r, i) => {
          const rendered = await render(r.language, r.first_name, tokens[i] as string);
          return {
            from: deps.emailFrom,
            to: r.email,
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            tag: 'invitation',
            metadata: {
              attendeeId: r.attendee_id,
              eventId: event.id,
              kind: 'invitation',
              ...attemptOf(byKey.get(ledgerKey(r.attendee_id))?.id as string),
            },
          };
        }),
      );
      // A failed call (429, 5xx, network, timeout) throws: the activity is retried with backoff,
      // looks up what this call got through, and sends the ledger rows still pending.
      const results: BatchResult[] = await whileHeartbeating(
        { step: 'email', recipients: batch.length },
        () => deps.email.sendBatch(messages),
      );
      const sent: { key: string; messageId: string }[] = [];
      const failed: { key: string; code: number; message: string }[] = [];
      const rowStatus: { row: number; status: 'sent' | 'failed' }[] = [];
      results.forEach((result, i) => {
        const r = batch[i];
        if (!r) return;
        if (result.ok) {
          sent.push({ key: ledgerKey(r.attendee_id), messageId: result.messageId });
          rowStatus.push({ row: r.row_number, status: 'sent' });
        } else if (result.final) {
          log.warn('invitation refused', { attendeeId: r.attendee_id, code: result.code });
          failed.push({ key: ledgerKey(r.attendee_id), code: result.code, message: result.message });
          rowStatus.push({ row: r.row_number, status: 'failed' });
        } else retryable++;
      });
      await em.transactional(async (tx) => {
        const t = sql(tx);
        if (sent.length > 0) {
          await t(
            `update email_messages m set status = 'sent', provider_message_id = v.message_id, sent_at = now()
               from jsonb_to_recordset(?::jsonb) as v(key text, message_id text)
              where m.ledger_key = v.key and m.status = 'pending'`,
            [JSON.stringify(sent.map((s) => ({ key: s.key, message_id: s.messageId })))],
          );
        }
        if (failed.length > 0) {
          await t(
            `update email_messages m set status = 'failed', error_code = v.code, error_message = v.message
               from jsonb_to_recordset(?::jsonb) as v(key text, code int, message text)
              where m.ledger_key = v.key and m.status = 'pending'`,
            [JSON.stringify(failed)],
          );
        }
        await markRows(tx, input.importId, rowStatus);
      });
    }
    if (retryable > 0) throw new Error(`${retryable} invitation(s) refused for now by Postmark; retrying`);
  }

  async function markRows(
    em: EntityManager,
    importId: string,
    rows: { row: number; status: 'sent' | 'failed' }[],
  ) {
    if (rows.length === 0) return;
    await sql(em)(
      `update import_rows r set email_status = v.status
         from jsonb_to_recordset(?::jsonb) as v(row int, status text)
        where r.import_id = ? and r.row_number = v.row`,
      [JSON.stringify(rows), importId],
    );
  }

  return {
    /** One page of valid rows, start to end; safe to run again after any crash. */
    async invitePage(input: InvitePageInput): Promise<void> {
      const em = deps.orm.em.fork();
      const event = await loadEvent(em, input.eventId);
      await refuseOutsiders(em, input, event, await pageRows(em, input));
      await reinviteRemoved(em, input, await pageRows(em, input));
      await insertAttendees(em, input, event, await pageRows(em, input));
      heartbeat({ step: 'attendees' });
      const rows = await pageRows(em, input);
      await startWorkflows(em, input, event, rows);
      if (input.sendEmail) await sendInvitations(em, input, event);
      await sql(em)(
        `update import_rows set processed_at = now()
          where import_id = ? and seq between ? and ? and processed_at is null`,
        [input.importId, input.firstSeq, input.lastSeq],
      );
      await checkpointProgress(em, input.importId);
    },

    /** The import's final status and time (once), with its progress counted one last time. */
    async finishImport(input: { importId: string; status: Exclude<ImportStatus, 'validated' | 'running'> }) {
      const em = deps.orm.em.fork();
      await checkpointProgress(em, input.importId);
      const finished = await finishImport(em, input.importId, input.status);
      const row = await getImport(em, input.importId);
      return { finished, status: row?.status ?? input.status };
    },

    /**
     * The import_finished email to the address given at the start, if any: once, on the ledger
     * under `import/<id>/import_finished`. A final refusal is recorded, not retried.
     */
    async notifyImportFinished(input: {
      importId: string;
    }): Promise<{ outcome: 'sent' | 'skipped' | 'failed' }> {
      const em = deps.orm.em.fork();
      const run = sql(em);
      const row = await getImport(em, input.importId);
      if (
        !row?.notify_email ||
        (row.status !== 'completed' && row.status !== 'cancelled' && row.status !== 'failed')
      ) {
        return { outcome: 'skipped' };
      }
      const event = await loadEvent(em, row.event_id);
      const ledgerKey = `import/${row.id}/import_finished`;
      await run(
        `insert into email_messages (id, ledger_key, attendee_id, event_id, kind, to_address, status, created_at)
         values (?, ?, null, ?, 'import_finished', ?, 'pending', now()) on conflict (ledger_key) do nothing`,
        [randomUUID(), ledgerKey, event.id, row.notify_email],
      );
      const [ledger] = await run<{ id: string; status: string; send_attempt: string | null }[]>(
        'select id, status, send_attempt from email_messages where ledger_key = ?',
        [ledgerKey],
      );
      if (!ledger) throw new Error(`ledger row ${ledgerKey} vanished`);
      if (ledger.status !== 'pending') return { outcome: ledger.status === 'failed' ? 'failed' : 'sent' };
      const accepted = await acceptedEarlier(deps.email, [ledger]);
      if (accepted.size > 0) {
        await markAccepted(em, accepted);
        return { outcome: 'sent' };
      }
      const attemptOf = await stampAttempt(em, [ledger.id]);
      const rendered = await renderEmail('import_finished', {
        locale: event.default_language,
        eventName: event.name,
        status: row.status,
        totals: { rows: row.total_rows, invited: row.invited, emailed: row.emailed, failed: row.failed },
        url: new URL(`/events/${event.id}/imports/${row.id}`, deps.eventSiteUrl).toString(),
      });
      try {
        const { messageId } = await deps.email.send({
          from: deps.emailFrom,
          to: row.notify_email,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          tag: 'import_finished',
          metadata: { eventId: event.id, importId: row.id, kind: 'import_finished', ...attemptOf(ledger.id) },
        });
        await run(
          `update email_messages set status = 'sent', provider_message_id = ?, sent_at = now() where ledger_key = ?`,
          [messageId, ledgerKey],
        );
        return { outcome: 'sent' };
      } catch (error) {
        if (!(error instanceof EmailRejectedError)) throw error;
        await run(
          `update email_messages set status = 'failed', error_code = ?, error_message = ? where ledger_key = ?`,
          [error.code, error.message, ledgerKey],
        );
        return { outcome: 'failed' };
      }
    },
  };
};

export type ImportActivities = ReturnType<typeof createImportActivities>;
