/** @jsxImportSource hono/jsx */
/**
 * Bulk actions: the dry-run confirmation (what the action would touch and skip, per reason), the
 * start, each bulk action's page with live progress (the API's event stream, proxied), cancel and
 * results.csv, and the event's past bulk actions.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import { BULK_ACTIONS } from '../../domain/bulk-actions';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH, UUID } from './context';
import { all, checked, fieldErrors, type Problem, problemText, text, when } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import {
  bulkActionLabel,
  filterOf,
  oneOf,
  type PeopleFilter,
  peopleUrl,
  queryString,
  safeBack,
} from './people.pages';
import { flash } from './session';
import { consoleEvent, type EventDto, label, loadEvent, notFoundPage } from './shared';

export const bulkActionsPages = new Hono<ConsoleEnv>();

type BulkAction = Schemas['BulkAction'];
type Start = Schemas['StartBulkAction'];

const UUID_RE = new RegExp(`^${UUID}$`);
const MESSAGE_ACTIONS: readonly Start['action'][] = ['send_message', 'send_reminder'];
const base = (eventId: string) => `/console/events/${eventId}/bulk-actions`;

/** The API's request from the people page's form (or the confirmation page that repeats it). */
function startOf(body: Record<string, unknown>): Start | null {
  const action = oneOf(BULK_ACTIONS, text(body, 'action'));
  if (!action) return null;
  const start: Start = { action };
  if (text(body, 'scope') === 'filter') {
    start.filter = filterOf((name) => text(body, name) || undefined, 'filter.');
  } else {
    start.attendeeIds = [...new Set(all(body, 'attendeeIds').filter((id) => UUID_RE.test(id)))];
  }
  if (MESSAGE_ACTIONS.includes(action)) {
    start.message = {
      subject: text(body, 'message.subject'),
      body: text(body, 'message.body'),
      ...(checked(body, 'message.includeLoginLink') ? { includeLoginLink: true } : {}),
    };
  }
  return start;
}

/** Who a bulk action is for, in words. */
function scopeText(filter: PeopleFilter | null | undefined, ids?: number): string {
  if (!filter)
    return ids === undefined ? 'The selected people' : `The ${ids.toLocaleString('en')} selected people`;
  const parts: string[] = [];
  if (filter.status) parts.push(`status ${label(filter.status)}`);
  if (filter.detailedStatus) parts.push(`detailed status ${label(filter.detailedStatus)}`);
  if (filter.role) parts.push(`role ${label(filter.role)}`);
  if (filter.language) parts.push(`language ${filter.language}`);
  if (filter.q) parts.push(`matching “${filter.q}”`);
  return parts.length ? `Everyone with ${parts.join(', ')}` : 'Everyone in the event';
}

const Reasons = (props: { reasons: Schemas['BulkActionReasonCount'][] }) =>
  props.reasons.length ? (
    <ul class="reasons">
      {props.reasons.map((r) => (
        <li key={r.reason}>
          <strong>{r.count.toLocaleString('en')}</strong> — {r.reason}
        </li>
      ))}
    </ul>
  ) : null;

function ConfirmPage(props: {
  c: CC;
  event: EventDto;
  start: Start;
  dry: Schemas['BulkActionDryRun'];
  back: string;
}) {
  const { c, event, start, dry } = props;
  const t = dry.totals;
  return (
    <Layout
      title="Confirm bulk action"
      section="events"
      event={consoleEvent(event)}
      tab="people"
      {...frame(c)}
    >
      <h1>Confirm: {bulkActionLabel(start.action)}</h1>
      <div class="panel narrow">
        <p>{scopeText(start.filter, start.attendeeIds?.length)}.</p>
        <dl class="facts dry-run">
          <dt>Selected</dt>
          <dd id="dry-matched">{t.matched.toLocaleString('en')}</dd>
          <dt>Would be touched</dt>
          <dd id="dry-eligible">{t.eligible.toLocaleString('en')}</dd>
          <dt>Would be skipped</dt>
          <dd id="dry-skipped">{t.skipped.toLocaleString('en')}</dd>
        </dl>
        {t.skipped ? (
          <>
            <p class="hint">Skipped, by reason (nothing is ever forced):</p>
            <Reasons reasons={t.skippedByReason} />
          </>
        ) : null}
        {start.message ? (
          <>
            <h2>Message</h2>
            <p>
              <strong>{start.message.subject}</strong>
            </p>
            <p class="message-preview">{start.message.body}</p>
          </>
        ) : null}
        <form method="post" action={base(event.id)}>
          <Csrf c={c} />
          <input type="hidden" name="idempotencyKey" value={randomUUID()} />
          <input type="hidden" name="back" value={props.back} />
          <input type="hidden" name="action" value={start.action} />
          {start.filter ? (
            <>
              <input type="hidden" name="scope" value="filter" />
              {Object.entries(start.filter).map(([key, value]) => (
                <input key={key} type="hidden" name={`filter.${key}`} value={String(value)} />
              ))}
            </>
          ) : (
            (start.attendeeIds ?? []).map((id) => (
              <input key={id} type="hidden" name="attendeeIds" value={id} />
            ))
          )}
          {start.message ? (
            <>
              <input type="hidden" name="message.subject" value={start.message.subject} />
              <textarea name="message.body" hidden readonly>
                {start.message.body}
              </textarea>
              {start.message.includeLoginLink ? (
                <input type="hidden" name="message.includeLoginLink" value="on" />
              ) : null}
            </>
          ) : null}
          <div class="actions">
            {t.eligible > 0 ? (
              <button
                type="submit"
                class={start.action === 'remove' || start.action === 'block' ? 'danger' : ''}
              >
                Start: {t.eligible.toLocaleString('en')} {t.eligible === 1 ? 'person' : 'people'}
              </button>
            ) : (
              <p class="notice info">There is no one this action could touch.</p>
            )}
            <a class="button secondary" href={props.back}>
              Back
            </a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

/** The problem of a refused request in one line: its detail and its field errors. */
function refusal(problem: Problem | undefined): string {
  const fields = Object.entries(fieldErrors(problem)).map(([path, message]) => `${path}: ${message}`);
  return [problemText(problem), ...fields].join(' ');
}

bulkActionsPages.post(`${EVENT_PATH}/bulk-actions/preview`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const body = await c.req.parseBody({ all: true });
  const back = safeBack(eventId, text(body, 'back'));
  const start = startOf(body);
  if (!start) {
    flash(c, 'error', 'Choose an action.');
    return c.redirect(back, 303);
  }
  if (start.attendeeIds?.length === 0) {
    flash(c, 'error', 'Select people first, or choose everyone matching the filter.');
    return c.redirect(back, 303);
  }
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const { data, error } = await c.var.console.api.POST('/v1/events/{eventId}/bulk-actions', {
    params: { path: { eventId } },
    body: { ...start, dryRun: true },
  });
  if (!data || !('dryRun' in data)) {
    flash(c, 'error', refusal(error as Problem));
    return c.redirect(back, 303);
  }
  return page(c, <ConfirmPage c={c} event={event} start={start} dry={data} back={back} />);
});

bulkActionsPages.post(`${EVENT_PATH}/bulk-actions`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const body = await c.req.parseBody({ all: true });
  const back = safeBack(eventId, text(body, 'back'));
  const start = startOf(body);
  if (!start || start.attendeeIds?.length === 0) {
    flash(c, 'error', 'Choose an action and the people first.');
    return c.redirect(back, 303);
  }
  const key = text(body, 'idempotencyKey');
  const { data, error } = await c.var.console.api.POST('/v1/events/{eventId}/bulk-actions', {
    params: { path: { eventId } },
    body: start,
    ...(UUID_RE.test(key) ? { headers: { 'Idempotency-Key': key } } : {}),
  });
  if (!data || !('id' in data)) {
    flash(c, 'error', refusal(error as Problem));
    return c.redirect(back, 303);
  }
  flash(
    c,
    'ok',
    `${bulkActionLabel(data.action)}: started for ${data.totals.eligible.toLocaleString('en')} people.`,
  );
  return c.redirect(`${base(eventId)}/${data.id}`, 303);
});

const Count = (props: { field: string; value: number }) => (
  <span data-field={props.field}>{props.value.toLocaleString('en')}</span>
);

function BulkActionPage(props: { c: CC; event: EventDto; bulk: BulkAction }) {
  const { c, event, bulk: b } = props;
  const url = `${base(event.id)}/${b.id}`;
  const running = b.status === 'running';
  return (
    <Layout title="Bulk action" section="events" event={consoleEvent(event)} tab="people" {...frame(c)}>
      <p class="crumbs">
        <a href={peopleUrl(event.id)}>All users</a> › <a href={base(event.id)}>Bulk actions</a> ›
      </p>
      <div class="page-head">
        <h1>{bulkActionLabel(b.action)}</h1>
        <span class={`status bulk-${b.status}`} id="bulk-status">
          {label(b.status)}
        </span>
      </div>
      <div
        class="panel"
        {...(running ? { 'data-progress': `${url}/events`, 'data-events': 'bulk_action' } : {})}
      >
        <dl class="facts">
          <dt>Who</dt>
          <dd>{scopeText(b.filter, b.filter ? undefined : b.totals.matched)}</dd>
          <dt>Started</dt>
          <dd>
            {when(b.createdAt, event.timezone)} by {b.createdBy}
          </dd>
          <dt>Finished</dt>
          <dd>{when(b.finishedAt, event.timezone)}</dd>
          <dt>Selected</dt>
          <dd>{b.totals.matched.toLocaleString('en')}</dd>
          <dt>Processed</dt>
          <dd>
            <Count field="progress.processed" value={b.progress.processed} /> of{' '}
            {b.totals.matched.toLocaleString('en')}
          </dd>
          <dt>Done</dt>
          <dd id="bulk-done">
            <Count field="progress.done" value={b.progress.done} />
          </dd>
          <dt>Skipped</dt>
          <dd>
            <Count field="progress.skipped" value={b.progress.skipped} />
          </dd>
          <dt>Failed</dt>
          <dd>
            <Count field="progress.failed" value={b.progress.failed} />
          </dd>
          {b.progress.cancelled ? (
            <>
              <dt>Not reached (cancelled)</dt>
              <dd>{b.progress.cancelled.toLocaleString('en')}</dd>
            </>
          ) : null}
          {b.progress.notProcessed ? (
            <>
              <dt>Not processed</dt>
              <dd>{b.progress.notProcessed.toLocaleString('en')}</dd>
            </>
          ) : null}
        </dl>
        <label for="bulk-progress">Progress</label>
        <progress
          id="bulk-progress"
          data-value="progress.processed"
          data-max="totals.matched"
          value={b.progress.processed}
          max={Math.max(1, b.totals.matched)}
        />
      </div>
      {b.progress.skippedByReason.length ? (
        <>
          <h2>Skipped, by reason</h2>
          <div class="panel">
            <Reasons reasons={b.progress.skippedByReason} />
          </div>
        </>
      ) : null}
      {b.message ? (
        <>
          <h2>Message</h2>
          <div class="panel">
            <p>
              <strong>{b.message.subject}</strong>
            </p>
            <p class="message-preview">{b.message.body}</p>
          </div>
        </>
      ) : null}
      <div class="actions">
        <a class="button secondary" href={`${url}/results.csv`} download>
          Download results.csv
        </a>
        {running ? (
          <form
            method="post"
            action={`${url}/cancel`}
            class="inline"
            data-confirm="Stop this bulk action? What it already did stays done."
          >
            <Csrf c={c} />
            <button type="submit" class="danger">
              Cancel bulk action
            </button>
          </form>
        ) : null}
      </div>
    </Layout>
  );
}

const ONE = `${EVENT_PATH}/bulk-actions/:bulkActionId{${UUID}}`;
const ids = (c: CC) => ({
  eventId: c.req.param('eventId') as string,
  bulkActionId: c.req.param('bulkActionId') as string,
});

bulkActionsPages.get(ONE, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const { data } = await c.var.console.api.GET('/v1/events/{eventId}/bulk-actions/{bulkActionId}', {
    params: { path: ids(c) },
  });
  if (!data) return notFoundPage(c, 'This bulk action');
  return page(c, <BulkActionPage c={c} event={event} bulk={data} />);
});

/** The API's answer as this console's, headers and body as they are (streams stay streams). */
async function proxy(c: CC, path: string) {
  const res = await c.var.console.raw(path, { signal: c.req.raw.signal });
  return new Response(res.body, { status: res.status, headers: new Headers(res.headers) });
}

bulkActionsPages.get(`${ONE}/events`, (c) => {
  const { eventId, bulkActionId } = ids(c);
  return proxy(c, `/v1/events/${eventId}/bulk-actions/${bulkActionId}/events`);
});

bulkActionsPages.get(`${ONE}/results.csv`, (c) => {
  const { eventId, bulkActionId } = ids(c);
  return proxy(c, `/v1/events/${eventId}/bulk-actions/${bulkActionId}/results.csv`);
});

bulkActionsPages.post(`${ONE}/cancel`, async (c) => {
  const { eventId, bulkActionId } = ids(c);
  const { data, error } = await c.var.console.api.POST(
    '/v1/events/{eventId}/bulk-actions/{bulkActionId}/cancel',
    { params: { path: { eventId, bulkActionId } } },
  );
  if (data) flash(c, 'ok', 'Bulk action cancelled. What it already did stays done.');
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`${base(eventId)}/${bulkActionId}`, 303);
});

bulkActionsPages.get(`${EVENT_PATH}/bulk-actions`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const rawCursor = c.req.query('cursor');
  const cursor = rawCursor && rawCursor.length <= 1000 ? rawCursor : undefined;
  const { data } = await c.var.console.api.GET('/v1/events/{eventId}/bulk-actions', {
    params: { path: { eventId: event.id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } },
  });
  const items = data?.items ?? [];
  return page(
    c,
    <Layout title="Bulk actions" section="events" event={consoleEvent(event)} tab="people" {...frame(c)}>
      <p class="crumbs">
        <a href={peopleUrl(event.id)}>All users</a> ›
      </p>
      <h1>Bulk actions</h1>
      <p class="muted">
        Start one from <a href={peopleUrl(event.id)}>All users</a>: select people (or everyone matching a
        filter) and choose an action.
      </p>
      {items.length === 0 ? (
        <p class="panel">No bulk actions yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Action</th>
                <th>Who</th>
                <th>Status</th>
                <th>Done</th>
                <th>Skipped</th>
                <th>Failed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id}>
                  <td>
                    <a href={`${base(event.id)}/${b.id}`}>{when(b.createdAt, event.timezone)}</a>
                  </td>
                  <td>{bulkActionLabel(b.action)}</td>
                  <td>{scopeText(b.filter, b.filter ? undefined : b.totals.matched)}</td>
                  <td>
                    <span class={`status bulk-${b.status}`}>{label(b.status)}</span>
                  </td>
                  <td>{b.progress.done.toLocaleString('en')}</td>
                  <td>{b.progress.skipped.toLocaleString('en')}</td>
                  <td>{b.progress.failed.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Pages">
        {cursor ? <a href={base(event.id)}>First page</a> : null}
        {data?.nextCursor ? (
          <a href={`${base(event.id)}${queryString({ cursor: data.nextCursor })}`} rel="next">
            Next page
          </a>
        ) : null}
      </nav>
    </Layout>,
  );
});
