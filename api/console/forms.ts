import { DateTime } from 'luxon';

/** A problem document as the API answers it (RFC 9457 plus `code` and field `errors`). */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { path: string | (string | number)[]; code: string; message: string }[];
}

/** The problem's field errors by dotted path (`sessions.0.name`), the first message of each. */
export function fieldErrors(problem: Problem | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem?.errors ?? []) {
    const path = Array.isArray(e.path) ? e.path.join('.') : String(e.path ?? '');
    out[path] ??= e.message;
  }
  return out;
}

/** One line for the top of a form: the problem's detail, or its title. */
export const problemText = (problem: Problem | undefined | null) =>
  problem?.detail ?? problem?.title ?? 'The request could not be completed.';

/** A form field as trimmed text ('' when absent or a file). */
export function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A checkbox: present means on. */
export const checked = (body: Record<string, unknown>, name: string) => body[name] !== undefined;

/** Every value of a repeated field (checkboxes of one name). */
export function all(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A browser's `datetime-local` value, read in the event's time zone, as an ISO UTC instant. */
export function localToUtc(local: string, timezone: string): string | null {
  if (!local) return null;
  const at = DateTime.fromISO(local, { zone: timezone });
  return at.isValid ? (at.toUTC().toISO({ suppressMilliseconds: true }) ?? null) : null;
}

/** An ISO instant as a `datetime-local` value in the event's time zone. */
export function utcToLocal(iso: string, timezone: string): string {
  const at = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone);
  return at.isValid ? at.toFormat("yyyy-MM-dd'T'HH:mm") : '';
}

/** A time for people: in the event's zone when given, else UTC. */
export function when(iso: string | null | undefined, timezone = 'UTC'): string {
  if (!iso) return '—';
  const at = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone);
  return at.isValid ? at.toFormat('d LLL yyyy, HH:mm ZZZZ') : iso;
}

/** The IANA zones the runtime knows, for time-zone pickers. */
export const TIMEZONES: readonly string[] = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
