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
  login_mode: 'magic_link' | 'sso';
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
  createdAt: { column: 'a.created_at', dir: 'desc' },
  '-createdAt': { column: 'a.created_at', dir: 'asc' },
  name: { column: 'a.name_key', dir: 'asc' },
  email: { column: 'a.email_key', dir: 'asc' },
  status: { column: 'a.status', dir: 'asc' },
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

const SELECT = `select a.*, e.login_mode,
    to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
  from attendees a join events e on e.id = a.event_id and e.organization_id = ?`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

function whereClause(organizationId: string, eventId: string, filter: AttendeeFilter) {
  const clauses = ['a.event_id = ?', 'a.removed_at is null'];
  const params: unknown[] = [organizationId, eventId];
  if (filter.q) {
    clauses.push('a.search_text like ?');
    params.push(`%${escapeLike(searchText(filter.q))}%`);
  }
  if (filter.status) {
    clauses.push('a.status = ?');
    params.push(filter.status);
  }
  if (filter.detailedStatus) {
    clauses.push('a.detailed_status = ?');
    params.push(filter.detailedStatus);
  }
  if (filter.role) {
    clauses.push('a.roles @> array[?]::text[]');
    params.push(filter.role);
  }
  if (filter.language) {
    clauses.push('a.language = ?');
    params.push(filter.language);
  }
  return { clauses, params };
}

/** Keyset page plus the total of the filtered list; scoped by organization in the query itself. */
export async function listAttendees(
  em: EntityManager,
  organizationId: string,
  eventId: string,
  filter: AttendeeFilter,
  sort: AttendeeSort,
  limit: number,
  after: { value: string; id: string } | null,
) {
  const conn = em.getConnection();
  const { clauses, params } = whereClause(organizationId, eventId, filter);
  const { column, dir } = SORT_SQL[sort];
  const pageClauses = [...clauses];
  const pageParams = [...params];
  if (after) {
    pageClauses.push(`(${column}, a.id) ${dir === 'desc' ? '<' : '>'} (?, ?)`);
    pageParams.push(after.value, after.id);
  }
  const [rows, counted] = await Promise.all([
    conn.execute<AttendeeRow[]>(
      `${SELECT} where ${pageClauses.join(' and ')} order by ${column} ${dir}, a.id ${dir} limit ?`,
      [...pageParams, limit + 1],
    ),
    conn.execute<{ total: string }[]>(
      `select count(*) as total from attendees a join events e on e.id = a.event_id and e.organization_id = ?
       where ${clauses.join(' and ')}`,
      params,
    ),
  ]);
  return { items: rows.slice(0, limit), hasMore: rows.length > limit, total: Number(counted[0]?.total ?? 0) };
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

/** A live attendee of the event by address; for the login-link request only. */
export async function findAttendeeByEmail(em: EntityManager, eventId: string, key: string) {
  const rows = await em.getConnection().execute<AttendeeRow[]>(
    `select a.*, e.login_mode from attendees a join events e on e.id = a.event_id
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
    status: 'pending' | 'sent' | 'failed' | 'delivered' | 'bounced';
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
