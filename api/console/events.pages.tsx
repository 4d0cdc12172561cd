/** @jsxImportSource hono/jsx */
/** Events: the list, a new event, and each event's overview (its settings and sessions). */
import { Hono } from 'hono';
import { Fragment } from 'hono/jsx';
import type { Schemas } from '../../client';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH } from './context';
import {
  checked,
  fieldErrors,
  localToUtc,
  type Problem,
  problemText,
  TIMEZONES,
  text,
  utcToLocal,
  when,
} from './forms';
import { Csrf, frame, Layout, page } from './layout';
import { flash } from './session';
import {
  consoleEvent,
  type EventDto,
  FieldError,
  invalid,
  LanguageOptions,
  loadEvent,
  notFoundPage,
} from './shared';

export const eventsPages = new Hono<ConsoleEnv>();

/** How many blank session rows a form offers for adding. */
const NEW_SESSION_ROWS = 2;

eventsPages.get('/events', async (c) => {
  const cursor = c.req.query('cursor');
  const { data } = await c.var.console.api.GET('/v1/events', {
    params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
  });
  const events = data?.items ?? [];
  return page(
    c,
    <Layout title="Events" section="events" {...frame(c)}>
      <div class="page-head">
        <h1>Events</h1>
        <a class="button" href="/console/events/new">
          New event
        </a>
      </div>
      <p class="muted">{data ? `${data.total.toLocaleString('en')} events` : ''}</p>
      {events.length === 0 ? (
        <p class="panel">No events yet. Create one to start inviting people.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Starts</th>
                <th>Ends</th>
                <th>Login</th>
                <th class="optional">Created</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/console/events/${e.id}/people`}>{e.name}</a>
                  </td>
                  <td>{when(e.startsAt, e.timezone)}</td>
                  <td>{when(e.endsAt, e.timezone)}</td>
                  <td>{e.loginMode === 'sso' ? (e.closed ? 'SSO, closed' : 'SSO') : 'Magic link'}</td>
                  <td class="optional">{when(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.nextCursor ? (
        <p class="pager">
          <a href={`/console/events?cursor=${encodeURIComponent(data.nextCursor)}`}>Next page</a>
        </p>
      ) : null}
    </Layout>,
  );
});

type Fields = Record<string, string>;

/** The form's values: an event's current settings, or what was just submitted. */
function fieldsOf(event: EventDto | null): Fields {
  if (!event) return { timezone: 'UTC', defaultLanguage: 'en', loginMode: 'magic_link', accentColor: '' };
  const f: Fields = {
    name: event.name,
    timezone: event.timezone,
    startsAt: utcToLocal(event.startsAt, event.timezone),
    endsAt: utcToLocal(event.endsAt, event.timezone),
    defaultLanguage: event.defaultLanguage,
    loginMode: event.loginMode,
    accentColor: event.accentColor ?? '',
  };
  for (const flag of [
    'closed',
    'requiresRegistration',
    'requiresEmailConfirmation',
    'publishedRegistration',
  ] as const)
    if (event[flag]) f[flag] = 'on';
  event.sessions.forEach((s, i) => {
    f[`sessions.${i}.name`] = s.name;
    f[`sessions.${i}.startsAt`] = utcToLocal(s.startsAt, event.timezone);
    f[`sessions.${i}.endsAt`] = utcToLocal(s.endsAt, event.timezone);
  });
  return f;
}

function submitted(body: Record<string, unknown>): Fields {
  const f: Fields = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') f[key] = value.trim();
  return f;
}

/** The API's input from the form; local times are read in the chosen time zone. */
function inputOf(body: Record<string, unknown>): Schemas['CreateEvent'] {
  const timezone = text(body, 'timezone') || 'UTC';
  const sessions: Schemas['CreateEvent']['sessions'] = [];
  for (let i = 0; i < 200; i++) {
    const name = text(body, `sessions.${i}.name`);
    if (body[`sessions.${i}.name`] === undefined) break;
    if (!name) continue;
    sessions.push({
      name,
      startsAt: localToUtc(text(body, `sessions.${i}.startsAt`), timezone) ?? '',
      endsAt: localToUtc(text(body, `sessions.${i}.endsAt`), timezone) ?? '',
    });
  }
  const accent = text(body, 'accentColor');
  return {
    name: text(body, 'name'),
    timezone,
    startsAt: localToUtc(text(body, 'startsAt'), timezone) ?? '',
    endsAt: localToUtc(text(body, 'endsAt'), timezone) ?? '',
    defaultLanguage: (text(body, 'defaultLanguage') || 'en') as Schemas['CreateEvent']['defaultLanguage'],
    loginMode: text(body, 'loginMode') === 'sso' ? 'sso' : 'magic_link',
    closed: checked(body, 'closed'),
    requiresRegistration: checked(body, 'requiresRegistration'),
    requiresEmailConfirmation: checked(body, 'requiresEmailConfirmation'),
    publishedRegistration: checked(body, 'publishedRegistration'),
    accentColor: accent ? accent : null,
    sessions,
  };
}

function EventForm(props: {
  c: CC;
  action: string;
  submit: string;
  f: Fields;
  errors: Fields;
  problem?: string;
}) {
  const { f, errors } = props;
  const sessionRows = Object.keys(f).filter((k) => /^sessions\.\d+\.name$/.test(k)).length + NEW_SESSION_ROWS;
  const input = (id: string, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
    <div>
      <label for={id}>{label}</label>
      <input id={id} name={id} type={type} value={f[id] ?? ''} {...invalid(errors, id)} {...extra} />
      <FieldError id={id} errors={errors} />
    </div>
  );
  return (
    <form method="post" action={props.action} class="panel" novalidate>
      <Csrf c={props.c} />
      {props.problem ? (
        <p class="notice error" role="alert">
          {props.problem}
        </p>
      ) : null}
      {input('name', 'Name', 'text', { required: true, maxlength: 200 })}
      <div class="grid2">
        <div>
          <label for="timezone">Time zone</label>
          <select id="timezone" name="timezone" {...invalid(errors, 'timezone')}>
            {TIMEZONES.map((z) => (
              <option key={z} value={z} selected={z === f.timezone}>
                {z}
              </option>
            ))}
          </select>
          <FieldError id="timezone" errors={errors} />
        </div>
        <div>
          <label for="defaultLanguage">Default language</label>
          <select id="defaultLanguage" name="defaultLanguage">
            <LanguageOptions selected={f.defaultLanguage} />
          </select>
        </div>
        {input('startsAt', 'Starts (in the event’s time zone)', 'datetime-local', { required: true })}
        {input('endsAt', 'Ends', 'datetime-local', { required: true })}
        <div>
          <label for="loginMode">Login</label>
          <select id="loginMode" name="loginMode" {...invalid(errors, 'loginMode')}>
            <option value="magic_link" selected={f.loginMode !== 'sso'}>
              Magic link by email
            </option>
            <option value="sso" selected={f.loginMode === 'sso'}>
              Single sign-on (SSO)
            </option>
          </select>
          <FieldError id="loginMode" errors={errors} />
        </div>
        {input('accentColor', 'Accent colour of the attendee pages (#rrggbb, optional)', 'text', {
          placeholder: '#0b6e4f',
          maxlength: 7,
        })}
      </div>
      <fieldset class="panel">
        <legend>Registration and access</legend>
        {(
          [
            ['requiresRegistration', 'Invitees register before they enter'],
            ['requiresEmailConfirmation', 'Registration completes after the email address is confirmed'],
            ['publishedRegistration', 'Anyone may register on the public registration page'],
            ['closed', 'Closed event: only the identity provider’s granted groups (needs SSO)'],
          ] as const
        ).map(([id, label]) => (
          <Fragment key={id}>
            <label class="check">
              <input
                type="checkbox"
                id={id}
                name={id}
                checked={f[id] !== undefined}
                {...invalid(errors, id)}
              />
              {label}
            </label>
            <FieldError id={id} errors={errors} />
          </Fragment>
        ))}
      </fieldset>
      <fieldset class="panel">
        <legend>Sessions</legend>
        <p class="hint">A multi-session event lists each session. Clear a name to remove its session.</p>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Starts</th>
              <th>Ends</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: sessionRows }, (_, i) => `sessions.${i}`).map((row, i) => (
              <tr key={row}>
                {(['name', 'startsAt', 'endsAt'] as const).map((part) => {
                  const id = `sessions.${i}.${part}`;
                  return (
                    <td key={id}>
                      <input
                        aria-label={`Session ${i + 1} ${part === 'name' ? 'name' : part === 'startsAt' ? 'start' : 'end'}`}
                        name={id}
                        id={id}
                        type={part === 'name' ? 'text' : 'datetime-local'}
                        value={f[id] ?? ''}
                        {...invalid(errors, id)}
                      />
                      <FieldError id={id} errors={errors} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <div class="actions">
        <button type="submit">{props.submit}</button>
        <a class="button secondary" href="/console/events">
          Cancel
        </a>
      </div>
    </form>
  );
}

eventsPages.get('/events/new', (c) =>
  page(
    c,
    <Layout title="New event" section="events" {...frame(c)}>
      <h1>New event</h1>
      <EventForm c={c} action="/console/events/new" submit="Create event" f={fieldsOf(null)} errors={{}} />
    </Layout>,
  ),
);

eventsPages.post('/events/new', async (c) => {
  const body = await c.req.parseBody();
  const { data, error } = await c.var.console.api.POST('/v1/events', { body: inputOf(body) });
  if (data) {
    flash(c, 'ok', `Event “${data.name}” created.`);
    return c.redirect(`/console/events/${data.id}`, 303);
  }
  const problem = error as Problem;
  return page(
    c,
    <Layout title="New event" section="events" {...frame(c)}>
      <h1>New event</h1>
      <EventForm
        c={c}
        action="/console/events/new"
        submit="Create event"
        f={submitted(body)}
        errors={fieldErrors(problem)}
        problem={problemText(problem)}
      />
    </Layout>,
    422,
  );
});

function Overview(props: { c: CC; event: EventDto; f: Fields; errors: Fields; problem?: string }) {
  const { event } = props;
  const base = `/console/events/${event.id}`;
  return (
    <Layout title="Overview" section="events" event={consoleEvent(event)} tab="overview" {...frame(props.c)}>
      <h1>{event.name}</h1>
      <dl class="facts panel">
        <dt>When</dt>
        <dd>
          {when(event.startsAt, event.timezone)} – {when(event.endsAt, event.timezone)}
        </dd>
        <dt>Login</dt>
        <dd>
          {event.loginMode === 'sso'
            ? event.closed
              ? 'Single sign-on, closed event'
              : 'Single sign-on'
            : 'Magic link'}
        </dd>
        <dt>Attendee pages</dt>
        <dd>
          <a href={`/events/${event.id}/me`}>/events/{event.id}/me</a>
          {event.publishedRegistration ? (
            <>
              {' · '}
              <a href={`/events/${event.id}/register`}>registration page</a>
            </>
          ) : null}
        </dd>
        <dt>Event id</dt>
        <dd class="mono">{event.id}</dd>
      </dl>
      <p class="actions">
        <a class="button secondary" href={`${base}/people`}>
          All users
        </a>
        <a class="button secondary" href={`${base}/invite`}>
          Invite
        </a>
        <a class="button secondary" href={`${base}/imports`}>
          Bulk invite
        </a>
      </p>
      <h2>Settings</h2>
      <EventForm
        c={props.c}
        action={base}
        submit="Save changes"
        f={props.f}
        errors={props.errors}
        problem={props.problem}
      />
    </Layout>
  );
}

eventsPages.get(EVENT_PATH, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  return page(c, <Overview c={c} event={event} f={fieldsOf(event)} errors={{}} />);
});

eventsPages.post(EVENT_PATH, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const body = await c.req.parseBody();
  const { data, error } = await c.var.console.api.PATCH('/v1/events/{eventId}', {
    params: { path: { eventId: event.id } },
    body: inputOf(body),
  });
  if (data) {
    flash(c, 'ok', 'Changes saved.');
    return c.redirect(`/console/events/${event.id}`, 303);
  }
  const problem = error as Problem;
  return page(
    c,
    <Overview
      c={c}
      event={event}
      f={submitted(body)}
      errors={fieldErrors(problem)}
      problem={problemText(problem)}
    />,
    422,
  );
});
