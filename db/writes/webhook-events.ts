/**
 * The one writer of the webhook outbox (`webhook_events`) and of new deliveries: every event is
 * written in the same transaction as the change that caused it, under a source key derived from
 * that cause (a history row id, a ledger row and its outcome, ...), so a retried activity or a
 * replayed provider webhook never writes it twice. Each subscribed, enabled endpoint of the
 * organization gets a pending delivery in the same statement. When no enabled endpoint of the
 * organization subscribed to the types at stake, one indexed lookup is all it costs: the event's
 * data is not even built.
 *
 * The emitters answer the endpoints that got new deliveries; the caller wakes their dispatchers
 * once its transaction has committed (workflows/webhooks/definitions.ts `wakeDispatchers`).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WebhookEventType } from '../../domain/webhooks';
import { toAttendeeDto } from '../queries/attendee-dto';
import type { AttendeeRow } from '../queries/attendees';
import { toImportDto } from '../queries/import-dto';
import type { ImportRecord } from '../queries/imports';
import { sql, sqlArray } from '../sql';

/** Endpoints with new deliveries, collected across a transaction, to wake once it committed. */
export type WebhookWakes = Set<string>;

export interface WebhookEventInput {
  type: WebhookEventType | 'webhook.test';
  /** Unique per cause: the same cause never makes a second event. */
  sourceKey: string;
  /** The attendee the event is about, so an erasure can redact its payload. */
  subjectId?: string | null;
  data: unknown;
}

type Scope = { organizationId: string } | { eventId: string } | { attendeeId: string };

/** Runs `fn` in the EntityManager's transaction, or in a new one when it has none. */
export function inTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return em.getTransactionContext() ? fn(em) : em.transactional(fn);
}

/**
 * The types among `types` that an enabled endpoint of the scope's organization subscribed to,
 * and that organization: one indexed lookup; null when nothing is subscribed.
 */
export async function subscribedTypes(
  em: EntityManager,
  scope: Scope,
  types: readonly WebhookEventType[],
): Promise<{ organizationId: string; types: Set<WebhookEventType> } | null> {
  // The organization's endpoints, reached from the scope.
  const [from, id] =
    'organizationId' in scope
      ? ['webhook_endpoints w where w.organization_id = ?', scope.organizationId]
      : 'eventId' in scope
        ? [
            'events e join webhook_endpoints w on w.organization_id = e.organization_id where e.id = ?',
            scope.eventId,
          ]
        : [
            `attendees a join events e on e.id = a.event_id
               join webhook_endpoints w on w.organization_id = e.organization_id where a.id = ?`,
            scope.attendeeId,
          ];
  const rows = await sql(em)<{ organization_id: string; event_types: string[] }[]>(
    `select w.organization_id, w.event_types from ${from}
        and w.enabled and w.event_types && array(select jsonb_array_elements_text(?::jsonb))`,
    [id, JSON.stringify(types)],
  );
  const first = rows[0];
  if (!first) return null;
  const wanted = new Set<string>(types);
  const subscribed = new Set<WebhookEventType>();
  for (const row of rows)
    for (const t of row.event_types) if (wanted.has(t)) subscribed.add(t as WebhookEventType);
  return { organizationId: first.organization_id, types: subscribed };
}

/**
 * Writes events of one organization and a pending delivery for every enabled endpoint subscribed
 * to each type (or only `onlyEndpointId`, for a test event); events whose source key is stored
 * already are skipped, with their deliveries. Must run inside the causing transaction. Adds the
 * endpoints that got deliveries to `wakes`.
 */
export async function writeWebhookEvents(
  em: EntityManager,
  organizationId: string,
  events: readonly WebhookEventInput[],
  wakes?: WebhookWakes,
  onlyEndpointId?: string,
): Promise<{ eventId: string; deliveryId: string; endpointId: string }[]> {
  if (events.length === 0) return [];
  const rows = await sql(em)<{ event_id: string; delivery_id: string; endpoint_id: string }[]>(
    `with ev as (
       insert into webhook_events (id, organization_id, type, source_key, subject_id, data, created_at)
       select gen_random_uuid(), ?, r.type, r.source_key, r.subject_id, r.data, now()
         from json_to_recordset(?::json) as r(type text, source_key text, subject_id uuid, data json)
       on conflict (source_key) do nothing
       returning id, type),
     d as (
       insert into webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, retry_from,
                                       created_at, updated_at)
       select gen_random_uuid(), w.id, ev.id, 'pending', 0, now(), now(), now(), now()
         from ev join webhook_endpoints w on w.organization_id = ?
          and (case when ?::uuid is null then w.enabled and ev.type = any(w.event_types) else w.id = ?::uuid end)
       returning id, endpoint_id, event_id)
     select event_id, id as delivery_id, endpoint_id from d`,
    [
      organizationId,
      JSON.stringify(
        events.map((e) => ({
          type: e.type,
          source_key: e.sourceKey,
          subject_id: e.subjectId ?? null,
          data: e.data,
        })),
      ),
      organizationId,
      onlyEndpointId ?? null,
      onlyEndpointId ?? null,
    ],
  );
  for (const row of rows) wakes?.add(row.endpoint_id);
  return rows.map((r) => ({ eventId: r.event_id, deliveryId: r.delivery_id, endpointId: r.endpoint_id }));
}

/**
 * Events of `types` for the scope, built only when one is subscribed: `build` receives the
 * subscribed types and answers the events (of those types) to write.
 */
export async function emitWebhookEvents(
  em: EntityManager,
  scope: Scope,
  types: readonly WebhookEventType[],
  build: (subscribed: Set<WebhookEventType>) => Promise<WebhookEventInput[]> | WebhookEventInput[],
  wakes?: WebhookWakes,
): Promise<void> {
  const found = await subscribedTypes(em, scope, types);
  if (!found || found.types.size === 0) return;
  const events = (await build(found.types)).filter((e) => found.types.has(e.type as WebhookEventType));
  await writeWebhookEvents(em, found.organizationId, events, wakes);
}

/** Attendee rows (with their event's columns) as the API shows them, read in the transaction. */
async function attendeeRows(
  em: EntityManager,
  ids: readonly string[],
): Promise<(AttendeeRow & { removed_at: Date | null })[]> {
  if (ids.length === 0) return [];
  return sql(em)<(AttendeeRow & { removed_at: Date | null })[]>(
    `select a.*, e.login_mode, e.requires_registration,
            to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
       from attendees a join events e on e.id = a.event_id
      where a.id = any(?::uuid[])`,
    [sqlArray(ids)],
  );
}

export const ATTENDEE_CREATED_TYPES = ['attendee.invited', 'attendee.registered'] as const;

/**
 * New attendees of one event (db/writes/attendees.ts insertAttendees): `attendee.invited`, or
 * `attendee.registered` for a registration on the event's published page.
 */
export async function emitAttendeesCreated(
  em: EntityManager,
  eventId: string,
  inserted: readonly { id: string; status: string }[],
  wakes?: WebhookWakes,
): Promise<void> {
  if (inserted.length === 0) return;
  await emitWebhookEvents(
    em,
    { eventId },
    ATTENDEE_CREATED_TYPES,
    async (subscribed) => {
      const ids = inserted
        .filter((a) => subscribed.has(a.status === 'registered' ? 'attendee.registered' : 'attendee.invited'))
        .map((a) => a.id);
      return (await attendeeRows(em, ids)).map((row) => ({
        type: row.status === 'registered' ? 'attendee.registered' : 'attendee.invited',
        sourceKey: `attendee/${row.id}/created`,
        subjectId: row.id,
        data: toAttendeeDto(row),
      }));
    },
    wakes,
  );
}

export const TRANSITION_TYPES = [
  'attendee.status_changed',
  'attendee.registered',
  'attendee.removed',
] as const;

/**
 * A change of an attendee's position written by its workflow (activities/attendee.activities.ts
 * recordTransition), in its transaction: `attendee.status_changed` (and `attendee.registered` when
 * an invitee became `registered`) keyed by the history row the workflow generated, or
 * `attendee.removed` once per attendee.
 */
export async function emitAttendeeTransition(
  em: EntityManager,
  change: {
    attendeeId: string;
    eventId: string;
    historyId: string;
    from: { status: string; detailedStatus: string };
    removed: boolean;
    actor: string;
  },
  wakes?: WebhookWakes,
): Promise<void> {
  await emitWebhookEvents(
    em,
    { eventId: change.eventId },
    change.removed ? ['attendee.removed'] : TRANSITION_TYPES.filter((t) => t !== 'attendee.removed'),
    async () => {
      const [row] = await attendeeRows(em, [change.attendeeId]);
      if (!row) return [];
      const dto = toAttendeeDto(row);
      if (change.removed) {
        return [
          {
            type: 'attendee.removed',
            sourceKey: `attendee/${row.id}/removed`,
            subjectId: row.id,
            // As the remove action answers: the attendee as it was, with no actions left.
            data: {
              ...dto,
              actions: [],
              removedAt: row.removed_at ? new Date(row.removed_at).toISOString() : null,
            },
          },
        ];
      }
      const events: WebhookEventInput[] = [
        {
          type: 'attendee.status_changed',
          sourceKey: `history/${change.historyId}`,
          subjectId: row.id,
          data: {
            ...dto,
            from: change.from.status,
            to: row.status,
            previousDetailedStatus: change.from.detailedStatus,
            actor: change.actor,
          },
        },
      ];
      // Registering is leaving `invited` for `registered` (accept, confirm), not an unblock back to it.
      if (row.status === 'registered' && change.from.status === 'invited') {
        events.push({
          type: 'attendee.registered',
          sourceKey: `history/${change.historyId}/registered`,
          subjectId: row.id,
          data: dto,
        });
      }
      return events;
    },
    wakes,
  );
}

/**
 * Attendees erased (db/writes/attendees.ts eraseAttendees), in its transaction: `attendee.erased`
 * with their ids only, and every stored event about them redacted to ids, so that no payload
 * kept for the delivery log or a later retry still holds the person's data.
 */
export async function emitAttendeesErased(
  em: EntityManager,
  erased: readonly { id: string; event_id: string }[],
  wakes?: WebhookWakes,
): Promise<void> {
  if (erased.length === 0) return;
  await sql(em)(
    `update webhook_events set data = json_build_object('id', subject_id, 'redacted', true)
      where subject_id = any(?::uuid[])`,
    [sqlArray(erased.map((a) => a.id))],
  );
  for (const eventId of new Set(erased.map((a) => a.event_id))) {
    await emitWebhookEvents(
      em,
      { eventId },
      ['attendee.erased'],
      () =>
        erased
          .filter((a) => a.event_id === eventId)
          .map((a) => ({
            type: 'attendee.erased' as const,
            sourceKey: `attendee/${a.id}/erased`,
            // Not a subject: it holds nothing to redact.
            data: { id: a.id, eventId: a.event_id },
          })),
      wakes,
    );
  }
}

const IMPORT_TYPE = {
  completed: 'import.completed',
  failed: 'import.failed',
  cancelled: 'import.cancelled',
} as const;

/** An import reached its final status (db/queries/imports.ts), in the transaction that set it. */
export async function emitImportFinished(em: EntityManager, row: ImportRecord, wakes?: WebhookWakes) {
  if (row.status !== 'completed' && row.status !== 'failed' && row.status !== 'cancelled') return;
  const type = IMPORT_TYPE[row.status];
  await emitWebhookEvents(
    em,
    { eventId: row.event_id },
    [type],
    () => [{ type, sourceKey: `import/${row.id}/finished`, data: toImportDto(row) }],
    wakes,
  );
}

/** A row of the email ledger (`email_messages`). */
export interface LedgerEventRow {
  id: string;
  attendee_id: string | null;
  event_id: string | null;
  kind: string;
  to_address: string;
  status: string;
  provider_message_id: string | null;
  error_code: number | null;
  error_message: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** An email of the ledger as webhook events carry it. */
export const toEmailDto = (row: LedgerEventRow) => ({
  id: row.id,
  eventId: row.event_id,
  attendeeId: row.attendee_id,
  kind: row.kind,
  to: row.to_address,
  status: row.status,
  messageId: row.provider_message_id,
  ...(row.error_code !== null || row.error_message
    ? { error: { code: row.error_code, message: row.error_message } }
    : {}),
  createdAt: new Date(row.created_at).toISOString(),
  sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
});

const EMAIL_TYPE = {
  delivered: 'email.delivered',
  bounced: 'email.bounced',
  failed: 'email.failed',
} as const;

/**
 * Emails that reached an outcome (db/writes/email-ledger.ts: a final refusal when sending, or
 * Postmark's delivery and bounce webhooks), in the transaction that recorded it; keyed by the
 * ledger row and the outcome, so a replayed provider webhook emits nothing more.
 */
export async function emitEmailOutcomes(
  em: EntityManager,
  rows: readonly LedgerEventRow[],
  outcome: keyof typeof EMAIL_TYPE,
  wakes?: WebhookWakes,
) {
  const type = EMAIL_TYPE[outcome];
  for (const eventId of new Set(rows.map((r) => r.event_id))) {
    if (!eventId) continue;
    await emitWebhookEvents(
      em,
      { eventId },
      [type],
      () =>
        rows
          .filter((r) => r.event_id === eventId)
          .map((r) => ({
            type,
            sourceKey: `email/${r.id}/${outcome}`,
            subjectId: r.attendee_id,
            data: toEmailDto(r),
          })),
      wakes,
    );
  }
}
