/** @jsxImportSource hono/jsx */
/** What many console pages share: the event of the path, field errors, pickers. */
import type { Schemas } from '../../client';
import { LANGUAGES } from '../../domain/languages';
import type { CC } from './context';
import { type ConsoleEvent, frame, Layout, page } from './layout';

export type EventDto = Schemas['Event'];

/** The event named by the path, through the API (so another organization's event is not found). */
export async function loadEvent(c: CC): Promise<EventDto | null> {
  const eventId = c.req.param('eventId') as string;
  const { data } = await c.var.console.api.GET('/v1/events/{eventId}', { params: { path: { eventId } } });
  return data ?? null;
}

export const consoleEvent = (event: EventDto): ConsoleEvent => ({
  id: event.id,
  name: event.name,
  closed: event.closed,
});

export function notFoundPage(c: CC, what = 'This event') {
  return page(
    c,
    <Layout title="Not found" section="events" {...frame(c)}>
      <h1>Not found</h1>
      <p>{what} does not exist, or belongs to another organization.</p>
      <p>
        <a href="/console/events">All events</a>
      </p>
    </Layout>,
    404,
  );
}

/** The message under a field, tied to it for screen readers (`aria-describedby`). */
export const FieldError = (props: { id: string; errors: Record<string, string>; path?: string }) => {
  const message = props.errors[props.path ?? props.id];
  return message ? (
    <p class="field-error" id={`${props.id}-error`}>
      {message}
    </p>
  ) : null;
};

/** Attributes of an input that has an error. */
export const invalid = (errors: Record<string, string>, id: string, path = id) =>
  errors[path] ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};

export const LanguageOptions = (props: { selected?: string; blank?: string }) => (
  <>
    {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
    {LANGUAGES.map((l) => (
      <option key={l.code} value={l.code} selected={l.code === props.selected}>
        {l.englishName} ({l.code})
      </option>
    ))}
  </>
);

/** The list's filter values, from the one place that defines them. */
export { DETAILED_STATUSES, STATUSES } from '../../domain/attendee-lifecycle';

/** Labels people read for the API's snake_case values. */
export const label = (value: string) => value.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());
