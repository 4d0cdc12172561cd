import type { EntityManager } from '@mikro-orm/core';
import type { DetailedStatus, Role, Status } from '../../domain/attendee-lifecycle';
import { searchText } from '../../domain/email-address';
import type { LanguageCode } from '../../domain/languages';

/** An attendee row as the API shows it, with its event's login mode for the actions list. */
export interface AttendeeRow {
  id: string;
  event_id: string;
  email: string;
  email_key: string;
  first_name: string;
  last_name: string;
  language: LanguageCode;
  roles: Role[];
  status: Status;
  detailed_status: DetailedStatus;
  title: string | null;
  company: string | null;
  bio: string | null;
  image_url: string | null;
  chat_blocked: boolean;
  chat_terms_agreed: boolean;
  workflow_id: string;
  created_at: Date;
  /** created_at to the microsecond, as text: the keyset cursor must not lose precision. */
  created_key: string;
  updated_at: Date;
  awaiting_confirmation: boolean;
  login_mode: 'magic_link' | 'sso';
  /** The event's: with awaiting_confirmation, whether an invitee must register before entering. */
  requires_registration: boolean;
}

export interface HistoryRow {
  at: Date;
  status: Status;
  detailed_status: DetailedStatus;
  actor: string;
}

export interface AttendeeFilter {
  q?: string;
  status?: Status;
  detailedStatus?: DetailedStatus;
  role?: Role;
  language?: LanguageCode;
}

export type AttendeeSort = 'createdAt' | '-createdAt' | 'name' | 'email' | 'status';

// Each sort is a keyset over (column, id); `createdAt` is newest first as the contract says.
const SORT_SQL: Record<AttendeeSort, { column: string; dir: 'asc' | 'desc' }> = {
  createdAt: { column: 'created_at', dir: 'desc' },
  '-createdAt': { column: 'created_at', dir: 'asc' },
  name: { column: 'name_key', dir: 'asc' },
  email: { column: 'email_key', dir: 'asc' },
  status: { column: 'status', dir: 'asc' },
};

/** The value of a row's sort column, as a cursor stores it. */
export function sortValue(
  row: AttendeeRow & { name_key?: string; email_key?: string },
  sort: AttendeeSort,
): string {
  switch (sort) {
    case 'createdAt':
    case '-createdAt':
      return row.created_key;
    case 'name':
      return row.name_key ?? '';
    case 'email':
      return row.email_key ?? '';
    case 'status':
      return row.status;
  }
}

const CREATED_KEY = `to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

const SELECT = `select a.*, e.login_mode, e.requires_registration, ${CREATED_KEY}
  from attendees a join events e on e.id = a.event_id and e.organization_id = ?`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The event's live attendees matching the filter: on `attendees a`, or on `attendee_counts c`
 * without `q`. The one owner of the list's filter semantics: the list, its total and the bulk
 * actions' selection (db/writes/bulk-actions.ts) all use it.
 */
export function matchingAttendees(table: 'a' | 'c', eventId: string, filter: AttendeeFilter) {
  const clauses = [`${table}.event_id = ?`];
  const params: unknown[] = [eventId];
  const add = (clause: string, value: string | undefined) => {
    if (!value) return;
    clauses.push(clause);
    params.push(value);
  };
  if (table === 'a') {
    clauses.push('a.removed_at is null');
    add('a.search_text like ?', filter.q && `%${escapeLike(searchText(filter.q))}%`);
  }
  add(`${table}.status = ?`, filter.status);
  add(`${table}.detailed_status = ?`, filter.detailedStatus);
  add(`${table}.roles @> array[?]::text[]`, filter.role);
  add(`${table}.language = ?`, filter.language);
  return { where: clauses.join(' and '), params };
}

/**
 * One keyset page and the total of the filtered list, in one statement; null when the event is
 * not the organization's. Without `q` the total sums the matching `attendee_counts` groups (a
 * few rows whatever the event's size); `q` has to count the rows themselves.
 */
export async function listAttendees(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  filter: AttendeeFilter,
  sort: AttendeeSort,
  limit: number,
  after: { value: string; id: string } | null,
) {
  const { column, dir } = SORT_SQL[sort];
  const total = filter.q
    ? { sql: 'select count(*) as total from attendees a where', ...matchingAttendees('a', eventId, filter) }
    : {
        sql: 'select coalesce(sum(c.n), 0) as total from attendee_counts c where',
        ...matchingAttendees('c', eventId, filter),
      };
  const page = matchingAttendees('a', eventId, filter);
  if (after) {
    page.where += ` and (a.${column}, a.id) ${dir === 'desc' ? '<' : '>'} (?, ?)`;
    page.params.push(after.value, after.id);
  }
  // One row with a null page when the list is empty; none when the event is not found.
  const rows = await em
    .getConnection()
    .execute<(Omit<AttendeeRow, 'id'> & { id: string | null; total: string })[]>(
      `select p.*, e.login_mode, e.requires_registration, t.total
       from events e
       cross join lateral (${total.sql} ${total.where}) t
       left join lateral (select a.*, ${CREATED_KEY} from attendees a where ${page.where}
                          order by a.${column} ${dir}, a.id ${dir} limit ?) p on true
      where e.id = ? and e.organization_id = ?
      order by p.${column} ${dir}, p.id ${dir}`,
      [...total.params, ...page.params, limit + 1, eventId, organizationId],
    );
  const [first] = rows;
  if (!first) return null;
  const items = (first.id === null ? [] : rows) as AttendeeRow[];
  return { items: items.slice(0, limit), hasMore: items.length > limit, total: Number(first.total) };
}

export async function findAttendee(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  attendeeId: string,
) {
  const rows = await em
    .getConnection()
    .execute<AttendeeRow[]>(`${SELECT} where a.event_id = ? and a.id = ? and a.removed_at is null`, [
      organizationId,
      eventId,
      attendeeId,
    ]);
  return rows[0] ?? null;
}

/**
 * The ids of an address's attendees in an organization's events, live and removed, as SQL with
 * its parameters. Probed event by event through the two partial (event, address) indexes: the
 * address alone has no index (one more on every attendee insert), so a plain join on it read
 * the whole table.
 */
export const personAttendeeIds = (organizationId: string, emailKey: string) => ({
  sql: `select x.id from events e cross join lateral (
          select a.id from attendees a where a.event_id = e.id and a.email_key = ? and a.removed_at is null
          union all
          select a.id from attendees a where a.event_id = e.id and a.email_key = ? and a.removed_at is not null
        ) x where e.organization_id = ?`,
  params: [emailKey, emailKey, organizationId],
});

/** A live attendee of the event by address; for the login-link request only. */
export async function findAttendeeByEmail(em: EntityManager, eventId: string, key: string) {
  const rows = await em.getConnection().execute<AttendeeRow[]>(
    `select a.*, e.login_mode, e.requires_registration from attendees a join events e on e.id = a.event_id
        where a.event_id = ? and a.email_key = ? and a.removed_at is null`,
    [eventId, key],
  );
  return rows[0] ?? null;
}

export function attendeeHistory(em: EntityManager, attendeeId: string) {
  return em
    .getConnection()
    .execute<HistoryRow[]>(
      'select at, status, detailed_status, actor from attendee_history where attendee_id = ? order by at, id',
      [attendeeId],
    );
}

/** Visits, sessions attended and emails of one attendee, as the analytics view shows them. */
export async function attendeeAnalytics(em: EntityManager, attendeeId: string) {
  const conn = em.getConnection();
  type VisitRow = { at: Date; kind: 'login' | 'page' | 'session' };
  type EmailRow = {
    kind: string;
    sent_at: Date | null;
    status: 'pending' | 'sent' | 'failed' | 'delivered' | 'bounced' | 'suppressed';
  };
  const [visits, sessions, emails]: [VisitRow[], { n: string }[], EmailRow[]] = await Promise.all([
    conn.execute<VisitRow[]>('select at, kind from attendee_visits where attendee_id = ? order by at, id', [
      attendeeId,
    ]),
    conn.execute<{ n: string }[]>(
      `select count(distinct session_id) as n from attendee_visits
       where attendee_id = ? and kind = 'session' and session_id is not null`,
      [attendeeId],
    ),
    conn.execute<EmailRow[]>(
      'select kind, sent_at, status from email_messages where attendee_id = ? order by created_at, id',
      [attendeeId],
    ),
  ]);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    visits: visits.map((v) => ({ at: new Date(v.at).toISOString(), kind: v.kind })),
    firstVisitAt: iso(visits[0]?.at ?? null),
    lastVisitAt: iso(visits.at(-1)?.at ?? null),
    sessionsAttended: Number(sessions[0]?.n ?? 0),
    emails: emails.map((e) => ({ kind: e.kind, sentAt: iso(e.sent_at), status: e.status })),
  };
}
