/** @jsxImportSource hono/jsx */
/**
 * "All users": the event's attendee table (filters, keyset paging through the API's cursor, a
 * per-row menu drawn from each attendee's `actions`) and the single-attendee actions it posts.
 * The table sits in the bulk-action form; the row menus' buttons submit small forms outside it.
 */
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import { LANGUAGE_CODES } from '../../domain/languages';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH, UUID } from './context';
import { type Problem, problemText, text, when } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import { flash } from './session';
import {
  consoleEvent,
  DETAILED_STATUSES,
  type EventDto,
  LanguageOptions,
  label,
  loadEvent,
  notFoundPage,
  STATUSES,
} from './shared';

export const peoplePages = new Hono<ConsoleEnv>();

export type Attendee = Schemas['Attendee'];
export type PeopleFilter = NonNullable<Schemas['BulkActionFilter']>;
type Sort = 'createdAt' | '-createdAt' | 'name' | 'email' | 'status';

export const PAGE_SIZE = 50;
const SORTS: { value: Sort; label: string }[] = [
  { value: 'createdAt', label: 'Newest first' },
  { value: '-createdAt', label: 'Oldest first' },
  { value: 'name', label: 'Name' },
  { value: 'email', label: 'Email' },
  { value: 'status', label: 'Status' },
];
const ROLES = ['attendee', 'speaker', 'moderator'] as const;
const UUID_RE = new RegExp(`^${UUID}$`);

/** The value if it is one of the allowed ones, else nothing (so a bad link never reaches the API). */
export function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The list's filter from query parameters or form fields (`prefix` + name). */
export function filterOf(get: (name: string) => string | undefined, prefix = ''): PeopleFilter {
  const q = get(`${prefix}q`)?.trim().slice(0, 200);
  const filter: PeopleFilter = {
    q: q || undefined,
    status: oneOf(STATUSES, get(`${prefix}status`)),
    detailedStatus: oneOf(DETAILED_STATUSES, get(`${prefix}detailedStatus`)),
    role: oneOf(ROLES, get(`${prefix}role`)),
    language: oneOf(LANGUAGE_CODES, get(`${prefix}language`)),
  };
  for (const key of Object.keys(filter) as (keyof PeopleFilter)[])
    if (filter[key] === undefined) delete filter[key];
  return filter;
}

/** A query string of the non-empty values, with its `?` (or '' when there are none). */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export const peopleUrl = (eventId: string) => `/console/events/${eventId}/people`;
export const attendeeUrl = (eventId: string, attendeeId: string) => `${peopleUrl(eventId)}/${attendeeId}`;

/** Where a form may send the browser back to: this event's people pages only. */
export function safeBack(eventId: string, back: string): string {
  const base = peopleUrl(eventId);
  if (back === base || back.startsWith(`${base}?`) || back.startsWith(`${base}/`)) {
    if (/^\/console\/events\/[0-9a-f-]{36}\/people(\/[0-9a-f-]{36})?(\?[A-Za-z0-9_.~%&=+-]*)?$/.test(back))
      return back;
  }
  return base;
}

export const fullName = (a: Pick<Attendee, 'firstName' | 'lastName' | 'email'>) =>
  `${a.firstName} ${a.lastName}`.trim() || a.email;

/** The status as a pill; the detailed status on hover and, for screen readers, in the text. */
export const StatusPill = (props: { status: string; detailedStatus?: string }) => (
  <span
    class={`status ${props.status}`}
    title={props.detailedStatus ? label(props.detailedStatus) : undefined}
  >
    {label(props.status)}
    {props.detailedStatus ? <span class="visually-hidden"> ({label(props.detailedStatus)})</span> : null}
  </span>
);

export const rolesText = (roles: readonly string[]) => {
  const extra = roles.filter((r) => r !== 'attendee');
  return extra.length ? extra.map(label).join(', ') : 'Attendee';
};

/** The actions a row's menu posts (edit and view_analytics are links). */
export const POST_ACTIONS = [
  'resend_email',
  'block',
  'unblock',
  'block_from_chat',
  'unblock_from_chat',
  'generate_login_link',
  'remove',
] as const;
type PostAction = (typeof POST_ACTIONS)[number];

const ACTION_LABELS: Record<Attendee['actions'][number], string> = {
  edit: 'Edit',
  view_analytics: 'View analytics',
  resend_email: 'Resend email',
  block: 'Block',
  unblock: 'Unblock',
  block_from_chat: 'Block from chat',
  unblock_from_chat: 'Unblock from chat',
  generate_login_link: 'Generate login link',
  remove: 'Remove from event',
};

const DONE: Record<Exclude<PostAction, 'generate_login_link'>, string> = {
  resend_email: 'email sent again',
  block: 'blocked',
  unblock: 'unblocked',
  block_from_chat: 'blocked from chat',
  unblock_from_chat: 'may chat again',
  remove: 'removed from the event',
};

const formId = (a: Attendee) => `act-${a.id}`;

/**
 * The menu of one attendee, drawn only from `actions`. Its buttons belong (by the `form`
 * attribute) to the forms of `ActionForms`, which live outside any other form.
 */
export function ActionMenu(props: { eventId: string; attendee: Attendee }) {
  const { attendee: a, eventId } = props;
  const allowed = new Set(a.actions);
  const name = fullName(a);
  return (
    <details class="menu">
      <summary>
        Actions<span class="visually-hidden"> for {name}</span>
      </summary>
      <div class="menu-items">
        {allowed.has('edit') ? <a href={`${attendeeUrl(eventId, a.id)}#edit`}>{ACTION_LABELS.edit}</a> : null}
        {allowed.has('view_analytics') ? (
          <a href={`${attendeeUrl(eventId, a.id)}#analytics`}>{ACTION_LABELS.view_analytics}</a>
        ) : null}
        {POST_ACTIONS.filter((action) => allowed.has(action)).map((action) => (
          <button
            key={action}
            type="submit"
            form={action === 'remove' ? `${formId(a)}-remove` : formId(a)}
            name="action"
            value={action}
          >
            {ACTION_LABELS[action]}
          </button>
        ))}
        {a.actions.length === 0 ? <span class="muted menu-empty">No actions in this status</span> : null}
      </div>
    </details>
  );
}

/** The forms the menu's buttons submit: one for the actions, one that asks before removing. */
export function ActionForms(props: { c: CC; eventId: string; attendee: Attendee; back: string }) {
  const { attendee: a } = props;
  const action = `${attendeeUrl(props.eventId, a.id)}/actions`;
  const posts = POST_ACTIONS.filter((x) => x !== 'remove' && a.actions.includes(x));
  return (
    <>
      {posts.length ? (
        <form id={formId(a)} method="post" action={action} class="inline">
          <Csrf c={props.c} />
          <input type="hidden" name="back" value={props.back} />
        </form>
      ) : null}
      {a.actions.includes('remove') ? (
        <form
          id={`${formId(a)}-remove`}
          method="post"
          action={action}
          class="inline"
          data-confirm={`Remove ${fullName(a)} from this event? They can be invited again later.`}
        >
          <Csrf c={props.c} />
          <input type="hidden" name="back" value={props.back} />
        </form>
      ) : null}
    </>
  );
}

const BULK_ACTION_LABELS: Record<Schemas['StartBulkAction']['action'], string> = {
  resend_email: 'Resend the email (invitation or confirmation)',
  send_reminder: 'Send a reminder',
  send_message: 'Send a message',
  block: 'Block',
  unblock: 'Unblock',
  remove: 'Remove from the event',
};
export const bulkActionLabel = (action: Schemas['StartBulkAction']['action']) => BULK_ACTION_LABELS[action];

function Filters(props: { eventId: string; filter: PeopleFilter; sort: Sort }) {
  const { filter } = props;
  return (
    <form method="get" action={peopleUrl(props.eventId)} class="filters panel" aria-label="Filter people">
      <div>
        <label for="q">Search name or email</label>
        <input id="q" name="q" type="search" value={filter.q ?? ''} maxlength={200} />
      </div>
      <div>
        <label for="status">Status</label>
        <select id="status" name="status">
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s} selected={filter.status === s}>
              {label(s)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="detailedStatus">Detailed status</label>
        <select id="detailedStatus" name="detailedStatus">
          <option value="">Any</option>
          {DETAILED_STATUSES.map((s) => (
            <option key={s} value={s} selected={filter.detailedStatus === s}>
              {label(s)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="role">Role</label>
        <select id="role" name="role">
          <option value="">Any</option>
          {ROLES.map((r) => (
            <option key={r} value={r} selected={filter.role === r}>
              {label(r)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="language">Language</label>
        <select id="language" name="language">
          <LanguageOptions selected={filter.language} blank="Any" />
        </select>
      </div>
      <div>
        <label for="sort">Sort</label>
        <select id="sort" name="sort">
          {SORTS.map((s) => (
            <option key={s.value} value={s.value} selected={props.sort === s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div class="actions filter-buttons">
        <button type="submit">Apply</button>
        <a class="button secondary" href={peopleUrl(props.eventId)}>
          Clear
        </a>
      </div>
    </form>
  );
}

function BulkBar(props: { total: number }) {
  return (
    <fieldset class="panel bulk-bar">
      <legend>Act on several people</legend>
      <div class="grid2">
        <div>
          <p class="label-like">Who</p>
          <label class="check">
            <input type="radio" name="scope" value="selected" checked />
            <span>
              The selected people (<span id="selected-count">0</span>)
            </span>
          </label>
          <label class="check">
            <input type="radio" name="scope" value="filter" />
            All {props.total.toLocaleString('en')} matching the filter
          </label>
        </div>
        <div>
          <label for="bulk-action">Action</label>
          <select id="bulk-action" name="action">
            {(Object.keys(BULK_ACTION_LABELS) as Schemas['StartBulkAction']['action'][]).map((a) => (
              <option key={a} value={a}>
                {BULK_ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <details class="message-fields">
        <summary>Message (for “Send a message” and “Send a reminder”)</summary>
        <label for="message-subject">Subject</label>
        <input id="message-subject" name="message.subject" type="text" maxlength={200} />
        <label for="message-body">Text</label>
        <textarea
          id="message-body"
          name="message.body"
          data-counter="message-body-count"
          data-limit="10000"
        />
        <p class="counter" id="message-body-count" aria-live="polite" />
        <label class="check">
          <input type="checkbox" name="message.includeLoginLink" />
          Add each reader’s own login or invitation link
        </label>
      </details>
      <div class="actions">
        <button type="submit">Review…</button>
        <span class="hint">Nothing happens before you confirm on the next page.</span>
      </div>
    </fieldset>
  );
}

function PeoplePage(props: {
  c: CC;
  event: EventDto;
  data: Schemas['AttendeePage'] | undefined;
  problem?: string;
  filter: PeopleFilter;
  sort: Sort;
  cursor?: string;
}) {
  const { c, event, data, filter, sort } = props;
  const eventId = event.id;
  const listQuery = queryString({ ...filter, sort: sort === 'createdAt' ? undefined : sort });
  const back = `${peopleUrl(eventId)}${queryString({
    ...filter,
    sort: sort === 'createdAt' ? undefined : sort,
    cursor: props.cursor,
  })}`;
  const items = data?.items ?? [];
  const total = data?.total ?? 0;
  return (
    <Layout title="All users" section="events" event={consoleEvent(event)} tab="people" {...frame(c)}>
      <div class="page-head">
        <h1>All users</h1>
        <div class="actions">
          <a class="button secondary" href={`/console/events/${eventId}/bulk-actions`}>
            Bulk actions
          </a>
          <a class="button" href={`/console/events/${eventId}/invite`}>
            Invite
          </a>
        </div>
      </div>
      <Filters eventId={eventId} filter={filter} sort={sort} />
      {props.problem ? (
        <p class="notice error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <p class="muted" id="people-total" aria-live="polite">
        {total === 1 ? '1 person matches' : `${total.toLocaleString('en')} people match`}
        {props.cursor ? ' (a later page)' : ''}
      </p>
      <form method="post" action={`/console/events/${eventId}/bulk-actions/preview`} id="bulk">
        <Csrf c={c} />
        <input type="hidden" name="back" value={back} />
        {Object.entries(filter).map(([key, value]) => (
          <input key={key} type="hidden" name={`filter.${key}`} value={String(value)} />
        ))}
        {items.length === 0 ? (
          <p class="panel">No one matches. Change the filter, or invite people.</p>
        ) : (
          <div class="table-wrap with-menus">
            <table class="people">
              <thead>
                <tr>
                  <th class="select">
                    <input
                      type="checkbox"
                      data-select-all="attendeeIds"
                      data-count="selected-count"
                      aria-label="Select everyone on this page"
                    />
                  </th>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Status</th>
                  <th class="optional">Created</th>
                  <th>
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} data-attendee={a.id}>
                    <td class="select">
                      <input
                        type="checkbox"
                        name="attendeeIds"
                        value={a.id}
                        aria-label={`Select ${fullName(a)}`}
                      />
                    </td>
                    <td class="name">
                      {a.imageUrl ? <img class="avatar" src={a.imageUrl} alt="" /> : null}{' '}
                      <a href={attendeeUrl(eventId, a.id)}>{fullName(a)}</a>
                    </td>
                    <td class="email">{a.email}</td>
                    <td>{rolesText(a.roles)}</td>
                    <td>
                      <StatusPill status={a.status} detailedStatus={a.detailedStatus} />
                    </td>
                    <td class="optional">{when(a.createdAt, event.timezone)}</td>
                    <td class="row-menu">
                      <ActionMenu eventId={eventId} attendee={a} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav class="pager" aria-label="Pages">
          {props.cursor ? <a href={`${peopleUrl(eventId)}${listQuery}`}>First page</a> : null}
          {data?.nextCursor ? (
            <a
              href={`${peopleUrl(eventId)}${queryString({
                ...filter,
                sort: sort === 'createdAt' ? undefined : sort,
                cursor: data.nextCursor,
              })}`}
              rel="next"
            >
              Next page
            </a>
          ) : null}
          <span class="muted">{PAGE_SIZE} per page</span>
        </nav>
        {items.length ? <BulkBar total={total} /> : null}
      </form>
      {items.map((a) => (
        <ActionForms key={a.id} c={c} eventId={eventId} attendee={a} back={back} />
      ))}
    </Layout>
  );
}

peoplePages.get(`${EVENT_PATH}/people`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const filter = filterOf((name) => c.req.query(name));
  const sort =
    oneOf(
      SORTS.map((s) => s.value),
      c.req.query('sort'),
    ) ?? 'createdAt';
  const rawCursor = c.req.query('cursor');
  const cursor = rawCursor && rawCursor.length <= 1000 ? rawCursor : undefined;
  // The event and the page of people are asked for together (another organization's event: 404 on both).
  const [event, { data, error }] = await Promise.all([
    loadEvent(c),
    c.var.console.api.GET('/v1/events/{eventId}/attendees', {
      params: {
        path: { eventId },
        query: { ...filter, sort, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
      },
    }),
  ]);
  if (!event) return notFoundPage(c);
  return page(
    c,
    <PeoplePage
      c={c}
      event={event}
      data={data}
      problem={data ? undefined : problemText(error as Problem)}
      filter={filter}
      sort={sort}
      cursor={cursor}
    />,
  );
});

/** The page that shows a fresh login link once: it is never put in a URL or a cookie. */
function LoginLinkPage(props: {
  c: CC;
  event: EventDto;
  attendee: Attendee | undefined;
  link: Schemas['LoginLink'];
  back: string;
}) {
  const { c, event, link } = props;
  const name = props.attendee ? fullName(props.attendee) : 'the attendee';
  return (
    <Layout title="Login link" section="events" event={consoleEvent(event)} tab="people" {...frame(c)}>
      <h1>Login link for {name}</h1>
      <div class="panel narrow">
        <p>
          Send this link to {name} yourself. It works once and is shown only now: copy it before you leave
          this page.
        </p>
        <label for="login-link">Login link</label>
        <div class="copy-row">
          <input id="login-link" type="text" readonly value={link.url} />
          <button type="button" class="secondary" data-copy="#login-link">
            Copy
          </button>
        </div>
        <p class="hint">Expires {when(link.expiresAt, event.timezone)}.</p>
        <p class="actions">
          <a class="button secondary" href={props.back}>
            Back
          </a>
        </p>
      </div>
    </Layout>
  );
}

peoplePages.post(`${EVENT_PATH}/people/:attendeeId{${UUID}}/actions`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const attendeeId = c.req.param('attendeeId') as string;
  const body = await c.req.parseBody();
  const action = oneOf(POST_ACTIONS, text(body, 'action'));
  let back = safeBack(eventId, text(body, 'back'));
  if (!action || !UUID_RE.test(attendeeId)) {
    flash(c, 'error', 'That action is not known.');
    return c.redirect(back, 303);
  }
  const api = c.var.console.api;
  const { data, error, response } = await api.POST(
    '/v1/events/{eventId}/attendees/{attendeeId}/actions/{action}',
    { params: { path: { eventId, attendeeId, action } } },
  );
  if (!data) {
    if (response.status === 404) return notFoundPage(c, 'This attendee');
    flash(c, 'error', problemText(error as Problem));
    return c.redirect(back, 303);
  }
  if ('url' in data) {
    const [event, attendee] = await Promise.all([
      loadEvent(c),
      api.GET('/v1/events/{eventId}/attendees/{attendeeId}', {
        params: { path: { eventId, attendeeId } },
      }),
    ]);
    if (!event) return notFoundPage(c);
    return page(c, <LoginLinkPage c={c} event={event} attendee={attendee.data} link={data} back={back} />);
  }
  if (action === 'remove' && back.startsWith(attendeeUrl(eventId, attendeeId))) back = peopleUrl(eventId);
  flash(c, 'ok', `${fullName(data)}: ${DONE[action as Exclude<PostAction, 'generate_login_link'>]}.`);
  return c.redirect(back, 303);
});
