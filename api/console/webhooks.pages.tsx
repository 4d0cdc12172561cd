/** @jsxImportSource hono/jsx */
/**
 * Webhooks (organization-wide): the endpoints, a new one (its signing secret shown once, in the
 * answer to the form), each endpoint's settings, test event, secret rotation and delivery log.
 * All through /v1/webhook-endpoints.
 */
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks';
import type { CC, ConsoleEnv } from './context';
import { UUID } from './context';
import { all, fieldErrors, type Problem, problemText, text, when } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import { flash } from './session';
import { FieldError, invalid } from './shared';

export const webhooksPages = new Hono<ConsoleEnv>();

type Endpoint = Schemas['WebhookEndpoint'];
type Delivery = Schemas['WebhookDelivery'];
type DeliveryPage = Schemas['WebhookDeliveryPage'];
type Fields = Record<string, string>;

const ENDPOINT_PATH = `/webhooks/:endpointId{${UUID}}`;
const DELIVERIES_PAGE = 20;
const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

const EVENT_TYPE_HINTS: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  'attendee.invited': 'Someone was invited to an event',
  'attendee.registered': 'Someone registered',
  'attendee.status_changed': 'An attendee’s status changed',
  'attendee.removed': 'An attendee was removed',
  'attendee.erased': 'An attendee’s personal data was erased',
  'import.completed': 'A bulk invite finished',
  'import.failed': 'A bulk invite failed',
  'import.cancelled': 'A bulk invite was cancelled',
  'email.delivered': 'An email was delivered',
  'email.bounced': 'An email bounced',
  'email.failed': 'An email could not be sent',
};

/** The form's field errors: the URL refusal (409) beside the URL, event-type errors beside the list. */
function formErrors(problem: Problem | undefined): Fields {
  const errors = fieldErrors(problem);
  if (problem?.code === 'webhook_url_not_allowed') errors.url = problemText(problem);
  for (const [path, message] of Object.entries(errors))
    if (path.startsWith('events.')) errors.events ??= message;
  return errors;
}

interface FormValues {
  url: string;
  description: string;
  events: string[];
}

const valuesOf = (e: Endpoint): FormValues => ({
  url: e.url,
  description: e.description ?? '',
  events: e.events,
});

const submitted = (body: Record<string, unknown>): FormValues => ({
  url: text(body, 'url'),
  description: text(body, 'description'),
  events: all(body, 'events'),
});

function EndpointForm(props: {
  c: CC;
  action: string;
  submit: string;
  f: FormValues;
  errors: Fields;
  problem?: string;
  cancel: string;
}) {
  const { f, errors } = props;
  return (
    <form method="post" action={props.action} class="panel" novalidate>
      <Csrf c={props.c} />
      {props.problem ? (
        <p class="notice error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <label for="url">URL</label>
      <input
        id="url"
        name="url"
        type="url"
        required
        maxlength={2048}
        placeholder="https://hooks.example.com/roster"
        value={f.url}
        {...invalid(errors, 'url')}
      />
      <FieldError id="url" errors={errors} />
      <p class="hint">
        Roster POSTs each event here, signed with the endpoint’s secret (Standard Webhooks). Addresses of
        private networks are refused unless this server allows them.
      </p>
      <fieldset class="panel" {...(errors.events ? { 'aria-describedby': 'events-error' } : {})}>
        <legend>Events to send</legend>
        <div class="cards">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label class="check" key={type}>
              <input type="checkbox" name="events" value={type} checked={f.events.includes(type)} />
              <span>
                <code>{type}</code>
                <br />
                <span class="hint">{EVENT_TYPE_HINTS[type]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError id="events" errors={errors} />
      </fieldset>
      <label for="description">Description (optional)</label>
      <input
        id="description"
        name="description"
        type="text"
        maxlength={500}
        value={f.description}
        {...invalid(errors, 'description')}
      />
      <FieldError id="description" errors={errors} />
      <div class="actions">
        <button type="submit">{props.submit}</button>
        <a class="button secondary" href={props.cancel}>
          Cancel
        </a>
      </div>
    </form>
  );
}

const endpointState = (e: Endpoint) =>
  !e.enabled ? (
    <span class="status blocked">Disabled</span>
  ) : e.failingSince ? (
    <span class="status invited">Failing since {when(e.failingSince)}</span>
  ) : (
    <span class="status attended">Enabled</span>
  );

webhooksPages.get('/webhooks', async (c) => {
  const cursor = c.req.query('cursor');
  const { data } = await c.var.console.api.GET('/v1/webhook-endpoints', {
    params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
  });
  const endpoints = data?.items ?? [];
  return page(
    c,
    <Layout title="Webhooks" section="webhooks" {...frame(c)}>
      <div class="page-head">
        <h1>Webhooks</h1>
        <a class="button" href="/console/webhooks/new">
          New endpoint
        </a>
      </div>
      <p class="muted">
        Your systems hear about invitations, registrations, imports and emails as they happen, for every event
        of the organization.
      </p>
      {endpoints.length === 0 ? (
        <p class="panel">No endpoints yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>URL</th>
                <th>Events</th>
                <th>State</th>
                <th class="optional">Created</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/console/webhooks/${e.id}`} class="mono">
                      {e.url}
                    </a>
                    {e.description ? (
                      <>
                        <br />
                        <span class="hint">{e.description}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {e.events.length === WEBHOOK_EVENT_TYPES.length ? 'All events' : e.events.join(', ')}
                  </td>
                  <td>{endpointState(e)}</td>
                  <td class="optional">{when(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor || data?.nextCursor ? (
        <p class="pager">
          {cursor ? <a href="/console/webhooks">First page</a> : null}
          {data?.nextCursor ? (
            <a href={`/console/webhooks?cursor=${encodeURIComponent(data.nextCursor)}`}>Next page</a>
          ) : null}
        </p>
      ) : null}
    </Layout>,
  );
});

const NewEndpoint = (props: { c: CC; f: FormValues; errors: Fields; problem?: string }) => (
  <Layout title="New webhook endpoint" section="webhooks" {...frame(props.c)}>
    <h1>New webhook endpoint</h1>
    <EndpointForm
      c={props.c}
      action="/console/webhooks/new"
      submit="Create endpoint"
      cancel="/console/webhooks"
      f={props.f}
      errors={props.errors}
      problem={props.problem}
    />
  </Layout>
);

webhooksPages.get('/webhooks/new', (c) =>
  page(c, <NewEndpoint c={c} f={{ url: '', description: '', events: [] }} errors={{}} />),
);

/** The signing secret, shown in the answer to the form that made it, and never again. */
function SecretPage(props: { c: CC; endpoint: Schemas['WebhookEndpointWithSecret']; rotated: boolean }) {
  const { endpoint } = props;
  return (
    <Layout
      title={props.rotated ? 'New signing secret' : 'Endpoint created'}
      section="webhooks"
      {...frame(props.c)}
    >
      <h1>{props.rotated ? 'New signing secret' : 'Endpoint created'}</h1>
      <div class="panel narrow">
        <p>
          {props.rotated
            ? 'The endpoint signs with this new secret from now on. For 24 hours the previous secret signs too, so your receiver can switch without missing a delivery.'
            : 'Deliveries to '}
          {props.rotated ? null : <code>{endpoint.url}</code>}
          {props.rotated
            ? null
            : ' are signed with this secret. Verify each one with it (Standard Webhooks).'}
        </p>
        <p class="notice info" role="status">
          Copy the signing secret now: it will not be shown again.
        </p>
        <label for="secret">Signing secret</label>
        <div class="copy-row">
          <input id="secret" type="text" readonly value={endpoint.secret} class="mono" />
          <button type="button" data-copy="#secret">
            Copy
          </button>
        </div>
        <div class="actions">
          <a class="button secondary" href={`/console/webhooks/${endpoint.id}`}>
            I have copied it: go to the endpoint
          </a>
        </div>
      </div>
    </Layout>
  );
}

webhooksPages.post('/webhooks/new', async (c) => {
  const body = await c.req.parseBody({ all: true });
  const f = submitted(body);
  const { data, error } = await c.var.console.api.POST('/v1/webhook-endpoints', {
    body: {
      url: f.url,
      events: f.events as Schemas['WebhookEventType'][],
      ...(f.description ? { description: f.description } : {}),
    },
  });
  if (data) return page(c, <SecretPage c={c} endpoint={data} rotated={false} />);
  const problem = error as Problem;
  return page(
    c,
    <NewEndpoint c={c} f={f} errors={formErrors(problem)} problem={problemText(problem)} />,
    problem?.status === 409 ? 409 : 422,
  );
});

function AttemptList(props: { delivery: Delivery }) {
  const { attempts } = props.delivery;
  if (attempts.length === 0) return <span class="hint">No attempt yet</span>;
  return (
    <details>
      <summary>
        {attempts.length} {attempts.length === 1 ? 'attempt' : 'attempts'}
      </summary>
      <ol class="attempts">
        {attempts.map((a) => (
          <li key={a.at}>
            {when(a.at)}: {a.succeeded ? 'succeeded' : 'failed'}
            {a.statusCode !== null ? `, HTTP ${a.statusCode}` : ''}, {a.durationMs.toLocaleString('en')} ms
            {a.error ? <span class="field-error">{a.error}</span> : null}
            {a.responseBody ? <pre class="mono">{a.responseBody.slice(0, 500)}</pre> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

function DeliveryLog(props: {
  c: CC;
  endpoint: Endpoint;
  deliveries: DeliveryPage | undefined;
  status: string;
  cursor: string;
}) {
  const { endpoint, deliveries, status, cursor } = props;
  const base = `/console/webhooks/${endpoint.id}`;
  const listUrl = (next: { status?: string; cursor?: string }) => {
    const q = new URLSearchParams();
    if (next.status) q.set('status', next.status);
    if (next.cursor) q.set('cursor', next.cursor);
    const qs = q.toString();
    return `${base}${qs ? `?${qs}` : ''}#deliveries`;
  };
  const items = deliveries?.items ?? [];
  return (
    <section aria-labelledby="deliveries">
      <h2 id="deliveries">Deliveries</h2>
      <nav class="filters" aria-label="Show deliveries">
        {['', ...DELIVERY_STATUSES].map((s) => (
          <a
            key={s || 'all'}
            class={`button ${status === s ? '' : 'secondary'}`}
            href={listUrl({ status: s })}
            aria-current={status === s ? 'page' : undefined}
          >
            {s ? s.replace(/^./, (ch) => ch.toUpperCase()) : 'All'}
          </a>
        ))}
        <a class="button secondary" href={listUrl({ status, cursor })}>
          Refresh
        </a>
      </nav>
      <p class="muted">
        {deliveries
          ? `${deliveries.total.toLocaleString('en')} ${deliveries.total === 1 ? 'delivery' : 'deliveries'}, newest first`
          : ''}
      </p>
      {items.length === 0 ? (
        <p class="panel">No deliveries{status ? ` ${status}` : ''} yet. Send a test event to see one here.</p>
      ) : (
        <div class="table-wrap">
          <table class="deliveries">
            <thead>
              <tr>
                <th>Event</th>
                <th>Status</th>
                <th>Attempts</th>
                <th class="optional">Created</th>
                <th>Next attempt</th>
                <th>Redeliver</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-delivery={d.id}>
                  <td>
                    <code>{d.eventType}</code>
                    <br />
                    <span class="hint mono">{d.eventId}</span>
                  </td>
                  <td>
                    <span class={`status delivery-${d.status}`}>{d.status}</span>
                  </td>
                  <td>
                    <AttemptList delivery={d} />
                  </td>
                  <td class="optional">{when(d.createdAt)}</td>
                  <td>{d.nextAttemptAt ? when(d.nextAttemptAt) : '—'}</td>
                  <td>
                    <form
                      method="post"
                      action={`${base}/deliveries/${d.id}/redeliver`}
                      class="inline"
                      data-confirm={`Send the ${d.eventType} event to this endpoint again?`}
                    >
                      <Csrf c={props.c} />
                      <button
                        type="submit"
                        class="secondary"
                        aria-label={`Redeliver ${d.eventType} ${d.eventId}`}
                      >
                        Redeliver
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor || deliveries?.nextCursor ? (
        <p class="pager">
          {cursor ? <a href={listUrl({ status })}>Newest</a> : null}
          {deliveries?.nextCursor ? (
            <a href={listUrl({ status, cursor: deliveries.nextCursor })}>Older</a>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

function EndpointPage(props: {
  c: CC;
  endpoint: Endpoint;
  deliveries: DeliveryPage | undefined;
  status: string;
  cursor: string;
  f: FormValues;
  errors: Fields;
  problem?: string;
}) {
  const { c, endpoint } = props;
  const base = `/console/webhooks/${endpoint.id}`;
  const action = (path: string, label: string, cls: string, confirm?: string) => (
    <form
      method="post"
      action={`${base}/${path}`}
      class="inline"
      {...(confirm ? { 'data-confirm': confirm } : {})}
    >
      <Csrf c={c} />
      <button type="submit" class={cls}>
        {label}
      </button>
    </form>
  );
  return (
    <Layout title="Webhook endpoint" section="webhooks" {...frame(c)}>
      <p>
        <a href="/console/webhooks">← All endpoints</a>
      </p>
      <h1>Webhook endpoint</h1>
      <dl class="facts panel">
        <dt>URL</dt>
        <dd class="mono break">{endpoint.url}</dd>
        <dt>State</dt>
        <dd>
          {endpointState(endpoint)}
          {!endpoint.enabled && endpoint.disabledReason ? ` ${endpoint.disabledReason}` : null}
          {endpoint.disabledAt ? ` (since ${when(endpoint.disabledAt)})` : null}
        </dd>
        <dt>Events</dt>
        <dd>{endpoint.events.join(', ')}</dd>
        {endpoint.description ? (
          <>
            <dt>Description</dt>
            <dd>{endpoint.description}</dd>
          </>
        ) : null}
        {endpoint.previousSecretExpiresAt ? (
          <>
            <dt>Previous secret</dt>
            <dd>Also signs until {when(endpoint.previousSecretExpiresAt)}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{when(endpoint.createdAt)}</dd>
        <dt>Endpoint id</dt>
        <dd class="mono">{endpoint.id}</dd>
      </dl>
      <div class="actions">
        {action('test', 'Send test event', '')}
        {endpoint.enabled
          ? action(
              'disable',
              'Disable',
              'secondary',
              'Disable this endpoint? Events keep waiting for it and go out when you enable it again.',
            )
          : action('enable', 'Enable', 'secondary')}
        {action(
          'rotate-secret',
          'Rotate secret',
          'secondary',
          'Make a new signing secret? The current one keeps signing beside it for 24 hours.',
        )}
        {action(
          'delete',
          'Delete endpoint',
          'danger',
          `Delete the endpoint ${endpoint.url} and its delivery log? This cannot be undone.`,
        )}
      </div>
      <DeliveryLog
        c={c}
        endpoint={endpoint}
        deliveries={props.deliveries}
        status={props.status}
        cursor={props.cursor}
      />
      <h2 id="settings">Settings</h2>
      <EndpointForm
        c={c}
        action={base}
        submit="Save changes"
        cancel={base}
        f={props.f}
        errors={props.errors}
        problem={props.problem}
      />
    </Layout>
  );
}

function notFound(c: CC) {
  return page(
    c,
    <Layout title="Not found" section="webhooks" {...frame(c)}>
      <h1>Not found</h1>
      <p>This webhook endpoint does not exist, or belongs to another organization.</p>
      <p>
        <a href="/console/webhooks">All endpoints</a>
      </p>
    </Layout>,
    404,
  );
}

/** The endpoint of the path with a page of its deliveries (as the query asks), or null. */
async function load(c: CC) {
  const endpointId = c.req.param('endpointId') as string;
  const statusQuery = c.req.query('status') ?? '';
  const status = (DELIVERY_STATUSES as readonly string[]).includes(statusQuery) ? statusQuery : '';
  const cursor = (c.req.query('cursor') ?? '').slice(0, 1000);
  const { api } = c.var.console;
  const [endpoint, deliveries] = await Promise.all([
    api.GET('/v1/webhook-endpoints/{endpointId}', { params: { path: { endpointId } } }),
    api.GET('/v1/webhook-endpoints/{endpointId}/deliveries', {
      params: {
        path: { endpointId },
        query: {
          limit: DELIVERIES_PAGE,
          ...(status ? { status: status as Delivery['status'] } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  ]);
  if (!endpoint.data) return null;
  return { endpoint: endpoint.data, deliveries: deliveries.data, status, cursor };
}

webhooksPages.get(ENDPOINT_PATH, async (c) => {
  const loaded = await load(c);
  if (!loaded) return notFound(c);
  return page(c, <EndpointPage c={c} {...loaded} f={valuesOf(loaded.endpoint)} errors={{}} />);
});

webhooksPages.post(ENDPOINT_PATH, async (c) => {
  const endpointId = c.req.param('endpointId') as string;
  const body = await c.req.parseBody({ all: true });
  const f = submitted(body);
  const { data, error } = await c.var.console.api.PATCH('/v1/webhook-endpoints/{endpointId}', {
    params: { path: { endpointId } },
    body: {
      url: f.url,
      events: f.events as Schemas['WebhookEventType'][],
      description: f.description || null,
    },
  });
  if (data) {
    flash(c, 'ok', 'Changes saved.');
    return c.redirect(`/console/webhooks/${endpointId}`, 303);
  }
  const loaded = await load(c);
  if (!loaded) return notFound(c);
  const problem = error as Problem;
  return page(
    c,
    <EndpointPage c={c} {...loaded} f={f} errors={formErrors(problem)} problem={problemText(problem)} />,
    problem?.status === 409 ? 409 : 422,
  );
});

webhooksPages.post(`${ENDPOINT_PATH}/:toggle{enable|disable}`, async (c) => {
  const endpointId = c.req.param('endpointId') as string;
  const enabled = c.req.param('toggle') === 'enable';
  const { data, error } = await c.var.console.api.PATCH('/v1/webhook-endpoints/{endpointId}', {
    params: { path: { endpointId } },
    body: { enabled },
  });
  if (data)
    flash(c, 'ok', enabled ? 'Endpoint enabled: waiting deliveries go out now.' : 'Endpoint disabled.');
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/webhooks/${endpointId}`, 303);
});

webhooksPages.post(`${ENDPOINT_PATH}/test`, async (c) => {
  const endpointId = c.req.param('endpointId') as string;
  const { data, error } = await c.var.console.api.POST('/v1/webhook-endpoints/{endpointId}/test', {
    params: { path: { endpointId } },
  });
  if (data) flash(c, 'ok', 'Test event sent: its delivery is in the log below.');
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/webhooks/${endpointId}#deliveries`, 303);
});

webhooksPages.post(`${ENDPOINT_PATH}/rotate-secret`, async (c) => {
  const endpointId = c.req.param('endpointId') as string;
  const { data, error } = await c.var.console.api.POST('/v1/webhook-endpoints/{endpointId}/rotate-secret', {
    params: { path: { endpointId } },
  });
  if (data) return page(c, <SecretPage c={c} endpoint={data} rotated={true} />);
  flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/webhooks/${endpointId}`, 303);
});

webhooksPages.post(`${ENDPOINT_PATH}/delete`, async (c) => {
  const endpointId = c.req.param('endpointId') as string;
  const { error, response } = await c.var.console.api.DELETE('/v1/webhook-endpoints/{endpointId}', {
    params: { path: { endpointId } },
  });
  if (response.ok) {
    flash(c, 'ok', 'Endpoint deleted.');
    return c.redirect('/console/webhooks', 303);
  }
  flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/webhooks/${endpointId}`, 303);
});

webhooksPages.post(`${ENDPOINT_PATH}/deliveries/:deliveryId{${UUID}}/redeliver`, async (c) => {
  const endpointId = c.req.param('endpointId') as string;
  const deliveryId = c.req.param('deliveryId') as string;
  const { data, error } = await c.var.console.api.POST(
    '/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver',
    { params: { path: { endpointId, deliveryId } } },
  );
  if (data) flash(c, 'ok', `The ${data.eventType} event is on its way again.`);
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/webhooks/${endpointId}#deliveries`, 303);
});
