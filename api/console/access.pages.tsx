/** @jsxImportSource hono/jsx */
/**
 * Event access (closed SSO events): which of the organization's IdP groups may enter, and whether
 * people outside every granted group may be invited too. All through /v1/events/{id}/access/….
 */
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import { ACCESS_GROUP_FILTERS, type AccessGroupFilter } from '../../domain/access';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH, UUID } from './context';
import { checked, type Problem, problemText, text } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import { flash } from './session';
import { consoleEvent, type EventDto, loadEvent, notFoundPage } from './shared';

export const accessPages = new Hono<ConsoleEnv>();

const PAGE_SIZE = 50;
const FILTER_LABELS: Record<AccessGroupFilter, string> = {
  all: 'All',
  granted: 'Granted',
  not_granted: 'Without access',
};

/** The list's state, as the page's query and the forms' hidden fields carry it. */
interface View {
  filter: AccessGroupFilter;
  q: string;
  cursor: string;
}

const viewOf = (get: (name: string) => string): View => {
  const filter = get('filter') as AccessGroupFilter;
  return {
    filter: ACCESS_GROUP_FILTERS.includes(filter) ? filter : 'all',
    q: get('q').slice(0, 200),
    cursor: get('cursor').slice(0, 1000),
  };
};

function listUrl(eventId: string, view: Partial<View>): string {
  const query = new URLSearchParams();
  if (view.filter && view.filter !== 'all') query.set('filter', view.filter);
  if (view.q) query.set('q', view.q);
  if (view.cursor) query.set('cursor', view.cursor);
  const qs = query.toString();
  return `/console/events/${eventId}/access${qs ? `?${qs}` : ''}`;
}

/** Hidden fields that bring a change back to the list as it was. */
const KeepView = (props: { view: View }) => (
  <>
    <input type="hidden" name="filter" value={props.view.filter} />
    <input type="hidden" name="q" value={props.view.q} />
    <input type="hidden" name="cursor" value={props.view.cursor} />
  </>
);

function NotClosed(props: { c: CC; event: EventDto }) {
  const { event } = props;
  return (
    <Layout
      title="Event access"
      section="events"
      event={consoleEvent(event)}
      tab="access"
      {...frame(props.c)}
    >
      <h1>Event access</h1>
      <div class="panel narrow">
        <p>
          Event access applies to closed SSO events only: their attendees come from the identity provider’s
          groups you grant here. “{event.name}” is{' '}
          {event.loginMode === 'sso' ? 'an SSO event' : 'a magic-link event'} that is not closed, so anyone
          you invite may enter.
        </p>
        <p>
          <a href={`/console/events/${event.id}`}>Go to the overview</a> to change how people log in.
        </p>
      </div>
    </Layout>
  );
}

function GroupRow(props: { c: CC; eventId: string; group: Schemas['AccessGroup']; view: View }) {
  const { group, eventId } = props;
  const action = `/console/events/${eventId}/access/groups/${group.id}/${group.granted ? 'remove' : 'grant'}`;
  const question = group.granted
    ? `Remove access for “${group.displayName}”? Its members who are in no other granted group can no longer log in.`
    : `Grant access to “${group.displayName}”? Its ${group.memberCount.toLocaleString('en')} members may enter the event.`;
  return (
    <tr>
      <td>{group.displayName}</td>
      <td>{group.memberCount.toLocaleString('en')}</td>
      <td>
        <span class={`status ${group.granted ? 'attended' : 'unregistered'}`}>
          {group.granted ? 'Granted' : 'No access'}
        </span>
      </td>
      <td>
        <form method="post" action={action} class="inline" data-confirm={question}>
          <Csrf c={props.c} />
          <KeepView view={props.view} />
          <button
            type="submit"
            class={group.granted ? 'secondary' : ''}
            aria-label={`${group.granted ? 'Remove access' : 'Grant access'}: ${group.displayName}`}
          >
            {group.granted ? 'Remove access' : 'Grant access'}
          </button>
        </form>
      </td>
    </tr>
  );
}

accessPages.get(`${EVENT_PATH}/access`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  if (!event.closed) return page(c, <NotClosed c={c} event={event} />);
  const view = viewOf((name) => c.req.query(name) ?? '');
  const { api } = c.var.console;
  const path = { eventId: event.id };
  const [groups, settings] = await Promise.all([
    api.GET('/v1/events/{eventId}/access/groups', {
      params: {
        path,
        query: {
          filter: view.filter,
          limit: PAGE_SIZE,
          ...(view.q ? { q: view.q } : {}),
          ...(view.cursor ? { cursor: view.cursor } : {}),
        },
      },
    }),
    api.GET('/v1/events/{eventId}/access/settings', { params: { path } }),
  ]);
  const items = groups.data?.items ?? [];
  const base = `/console/events/${event.id}/access`;
  return page(
    c,
    <Layout title="Event access" section="events" event={consoleEvent(event)} tab="access" {...frame(c)}>
      <h1>Event access</h1>
      <p class="muted">
        Members of the identity provider groups you grant may be invited, register and log in. Groups and
        their members are kept up to date by your identity provider (SCIM).
      </p>
      {settings.data ? (
        <form method="post" action={`${base}/settings`} class="panel narrow">
          <Csrf c={c} />
          <h2>Who else may enter</h2>
          <label class="check">
            <input
              type="checkbox"
              id="allowOutsideIdpGroups"
              name="allowOutsideIdpGroups"
              checked={settings.data.allowOutsideIdpGroups}
              aria-describedby="allowOutsideIdpGroups-hint"
            />
            Also allow people outside the granted groups
          </label>
          <p class="hint" id="allowOutsideIdpGroups-hint">
            When on, you may also invite people who are in no granted group (guests, speakers from outside).
            When off, only active members of granted groups may be invited, register or log in; anyone else is
            refused.
          </p>
          <div class="actions">
            <button type="submit" class="secondary">
              Save setting
            </button>
          </div>
        </form>
      ) : null}
      <h2>Identity provider groups</h2>
      <nav class="filters" aria-label="Show groups">
        {ACCESS_GROUP_FILTERS.map((f) => (
          <a
            key={f}
            class={`button ${view.filter === f ? '' : 'secondary'}`}
            href={listUrl(event.id, { filter: f, q: view.q })}
            aria-current={view.filter === f ? 'page' : undefined}
          >
            {FILTER_LABELS[f]}
          </a>
        ))}
      </nav>
      <form method="get" action={base} class="filters">
        {view.filter !== 'all' ? <input type="hidden" name="filter" value={view.filter} /> : null}
        <div>
          <label for="q">Group name</label>
          <input id="q" name="q" type="search" value={view.q} maxlength={200} />
        </div>
        <button type="submit" class="secondary">
          Search
        </button>
        {view.q ? <a href={listUrl(event.id, { filter: view.filter })}>Clear search</a> : null}
      </form>
      {groups.error ? (
        <p class="notice error" role="alert">
          {problemText(groups.error as Problem)}
        </p>
      ) : null}
      <p class="muted">
        {groups.data
          ? `${groups.data.total.toLocaleString('en')} ${groups.data.total === 1 ? 'group' : 'groups'}`
          : ''}
      </p>
      {items.length === 0 ? (
        <p class="panel">
          {view.q || view.filter !== 'all'
            ? 'No group matches.'
            : 'No groups yet. They appear here once your identity provider pushes them through SCIM.'}
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Group</th>
                <th>Members</th>
                <th>Access</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <GroupRow key={g.id} c={c} eventId={event.id} group={g} view={view} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.cursor || groups.data?.nextCursor ? (
        <p class="pager">
          {view.cursor ? (
            <a href={listUrl(event.id, { filter: view.filter, q: view.q })}>First page</a>
          ) : null}
          {groups.data?.nextCursor ? (
            <a href={listUrl(event.id, { filter: view.filter, q: view.q, cursor: groups.data.nextCursor })}>
              Next page
            </a>
          ) : null}
        </p>
      ) : null}
    </Layout>,
  );
});

accessPages.post(`${EVENT_PATH}/access/groups/:groupId{${UUID}}/:change{grant|remove}`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const groupId = c.req.param('groupId') as string;
  const grant = c.req.param('change') === 'grant';
  const body = await c.req.parseBody();
  const view = viewOf((name) => text(body, name));
  const params = { params: { path: { eventId, groupId } } };
  const { api } = c.var.console;
  const { data, error } = grant
    ? await api.PUT('/v1/events/{eventId}/access/groups/{groupId}', params)
    : await api.DELETE('/v1/events/{eventId}/access/groups/{groupId}', params);
  if (data)
    flash(
      c,
      'ok',
      grant ? `Access granted to “${data.displayName}”.` : `Access removed for “${data.displayName}”.`,
    );
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(listUrl(eventId, view), 303);
});

accessPages.post(`${EVENT_PATH}/access/settings`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const body = await c.req.parseBody();
  const allowOutsideIdpGroups = checked(body, 'allowOutsideIdpGroups');
  const { data, error } = await c.var.console.api.PUT('/v1/events/{eventId}/access/settings', {
    params: { path: { eventId } },
    body: { allowOutsideIdpGroups },
  });
  if (data)
    flash(
      c,
      'ok',
      data.allowOutsideIdpGroups
        ? 'People outside the granted groups may now be invited too.'
        : 'Only members of granted groups may now enter.',
    );
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/events/${eventId}/access`, 303);
});
