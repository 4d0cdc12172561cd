/** @jsxImportSource hono/jsx */
/** One attendee: facts, the actions menu, the edit form (the API's PATCH), analytics and history. */
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH, UUID } from './context';
import { all, fieldErrors, type Problem, problemText, text, when } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import {
  ActionForms,
  ActionMenu,
  attendeeUrl,
  fullName,
  peopleUrl,
  rolesText,
  StatusPill,
} from './people.pages';
import { flash } from './session';
import {
  consoleEvent,
  type EventDto,
  FieldError,
  invalid,
  LanguageOptions,
  label,
  loadEvent,
  notFoundPage,
} from './shared';

export const attendeePages = new Hono<ConsoleEnv>();

type Detail = Schemas['AttendeeDetail'];
type Fields = Record<string, string>;

/** The API's limit on a speaker's or moderator's bio. */
const BIO_LIMIT = 2500;
const PROFILE_ROLES = ['speaker', 'moderator'] as const;
const PATH = `${EVENT_PATH}/people/:attendeeId{${UUID}}`;

function fieldsOf(a: Detail): Fields {
  const f: Fields = {
    firstName: a.firstName,
    lastName: a.lastName,
    language: a.language,
    title: a.title ?? '',
    company: a.company ?? '',
    bio: a.bio ?? '',
  };
  for (const role of PROFILE_ROLES) if (a.roles.includes(role)) f[`role.${role}`] = 'on';
  return f;
}

function submitted(body: Record<string, unknown>): Fields {
  const f: Fields = {};
  for (const name of ['firstName', 'lastName', 'language', 'title', 'company']) f[name] = text(body, name);
  // The bio keeps its inner line breaks and spaces; only the ends are trimmed.
  f.bio = text(body, 'bio');
  for (const role of all(body, 'roles'))
    if ((PROFILE_ROLES as readonly string[]).includes(role)) f[`role.${role}`] = 'on';
  return f;
}

/** The PATCH body: the bio only travels when there is one, or a profile role to keep it on. */
function patchOf(f: Fields): Schemas['PatchAttendee'] {
  const roles: Schemas['PatchAttendee']['roles'] = ['attendee'];
  for (const role of PROFILE_ROLES) if (f[`role.${role}`]) roles.push(role);
  const profile = roles.length > 1;
  return {
    firstName: f.firstName,
    lastName: f.lastName,
    ...(f.language ? { language: f.language as Schemas['PatchAttendee']['language'] } : {}),
    roles,
    title: f.title || null,
    company: f.company || null,
    ...(f.bio || profile ? { bio: f.bio || null } : {}),
  };
}

function EditForm(props: { c: CC; action: string; f: Fields; errors: Fields; problem?: string }) {
  const { f, errors } = props;
  const input = (id: string, labelText: string, extra: Record<string, unknown> = {}) => (
    <div>
      <label for={id}>{labelText}</label>
      <input id={id} name={id} type="text" value={f[id] ?? ''} {...invalid(errors, id)} {...extra} />
      <FieldError id={id} errors={errors} />
    </div>
  );
  return (
    <form method="post" action={props.action} class="panel" novalidate id="edit">
      <Csrf c={props.c} />
      {props.problem ? (
        <p class="notice error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div class="grid2">
        {input('firstName', 'First name', { maxlength: 100, autocomplete: 'off' })}
        {input('lastName', 'Last name', { maxlength: 100, autocomplete: 'off' })}
        <div>
          <label for="language">Language of their emails and pages</label>
          <select id="language" name="language" {...invalid(errors, 'language')}>
            <LanguageOptions selected={f.language} />
          </select>
          <FieldError id="language" errors={errors} />
        </div>
        <fieldset class="roles">
          <legend>Roles</legend>
          <label class="check">
            <input type="checkbox" checked disabled />
            Attendee (always)
          </label>
          {PROFILE_ROLES.map((role) => (
            <label class="check" key={role}>
              <input
                type="checkbox"
                name="roles"
                value={role}
                id={`role-${role}`}
                checked={f[`role.${role}`] !== undefined}
              />
              {label(role)}
            </label>
          ))}
          <FieldError id="roles" errors={errors} />
        </fieldset>
        {input('title', 'Job title', { maxlength: 200 })}
        {input('company', 'Company', { maxlength: 200 })}
      </div>
      <label for="bio">
        Bio <span class="hint">(speakers and moderators only)</span>
      </label>
      <textarea
        id="bio"
        name="bio"
        data-counter="bio-count"
        data-limit={String(BIO_LIMIT)}
        aria-describedby={errors.bio ? 'bio-error bio-count' : 'bio-count'}
        aria-invalid={errors.bio ? 'true' : undefined}
      >
        {f.bio ?? ''}
      </textarea>
      <p class="counter" id="bio-count" aria-live="polite">
        {(f.bio ?? '').length.toLocaleString('en')} / {BIO_LIMIT.toLocaleString('en')}
      </p>
      <FieldError id="bio" errors={errors} />
      <div class="actions">
        <button type="submit">Save changes</button>
      </div>
    </form>
  );
}

function Analytics(props: { analytics: Schemas['AttendeeAnalytics']; timezone: string }) {
  const { analytics: a, timezone } = props;
  return (
    <>
      <dl class="facts panel">
        <dt>First visit</dt>
        <dd>{when(a.firstVisitAt, timezone)}</dd>
        <dt>Last visit</dt>
        <dd>{when(a.lastVisitAt, timezone)}</dd>
        <dt>Sessions attended</dt>
        <dd>{a.sessionsAttended}</dd>
        <dt>Visits</dt>
        <dd>{a.visits.length}</dd>
      </dl>
      <div class="grid2">
        <div>
          <h3>Emails</h3>
          {a.emails.length === 0 ? (
            <p class="muted">No emails yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Email</th>
                    <th>Sent</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {a.emails.map((e, i) => (
                    <tr key={String(i)}>
                      <td>{label(e.kind)}</td>
                      <td>{when(e.sentAt, timezone)}</td>
                      <td>{label(e.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div>
          <h3>Latest visits</h3>
          {a.visits.length === 0 ? (
            <p class="muted">No visits yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Kind</th>
                  </tr>
                </thead>
                <tbody>
                  {a.visits
                    .slice(-20)
                    .reverse()
                    .map((v, i) => (
                      <tr key={String(i)}>
                        <td>{when(v.at, timezone)}</td>
                        <td>{label(v.kind)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </>
  );
}

function AttendeePage(props: {
  c: CC;
  event: EventDto;
  attendee: Detail;
  analytics?: Schemas['AttendeeAnalytics'];
  f: Fields;
  errors: Fields;
  problem?: string;
}) {
  const { c, event, attendee: a } = props;
  const url = attendeeUrl(event.id, a.id);
  const tz = event.timezone;
  return (
    <Layout title={fullName(a)} section="events" event={consoleEvent(event)} tab="people" {...frame(c)}>
      <p class="crumbs">
        <a href={peopleUrl(event.id)}>All users</a> ›
      </p>
      <div class="page-head">
        <h1>
          {a.imageUrl ? <img class="avatar" src={a.imageUrl} alt="" /> : null} {fullName(a)}
        </h1>
        <div class="actions">
          <StatusPill status={a.status} detailedStatus={a.detailedStatus} />
          <ActionMenu eventId={event.id} attendee={a} />
        </div>
      </div>
      <ActionForms c={c} eventId={event.id} attendee={a} back={url} />
      <dl class="facts panel">
        <dt>Email</dt>
        <dd>{a.email}</dd>
        <dt>Roles</dt>
        <dd>{rolesText(a.roles)}</dd>
        <dt>Status</dt>
        <dd>
          {label(a.status)} — {label(a.detailedStatus)}
        </dd>
        <dt>Language</dt>
        <dd>{a.language}</dd>
        {a.title ? (
          <>
            <dt>Title</dt>
            <dd>{a.title}</dd>
          </>
        ) : null}
        {a.company ? (
          <>
            <dt>Company</dt>
            <dd>{a.company}</dd>
          </>
        ) : null}
        <dt>Chat</dt>
        <dd>{a.chatBlocked ? 'Blocked from chat' : 'Allowed'}</dd>
        <dt>Invited</dt>
        <dd>{when(a.createdAt, tz)}</dd>
        <dt>Last change</dt>
        <dd>{when(a.updatedAt, tz)}</dd>
        <dt>Attendee id</dt>
        <dd class="mono">{a.id}</dd>
      </dl>
      <h2>Edit</h2>
      {a.actions.includes('edit') ? (
        <EditForm c={c} action={url} f={props.f} errors={props.errors} problem={props.problem} />
      ) : (
        <p class="panel muted">People in this status cannot be edited.</p>
      )}
      <h2 id="analytics">Analytics</h2>
      {props.analytics ? (
        <Analytics analytics={props.analytics} timezone={tz} />
      ) : (
        <p class="panel muted">Analytics appear once the person has registered or visited.</p>
      )}
      <h2>History</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Status</th>
              <th>Detailed status</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {a.history.map((h, i) => (
              <tr key={String(i)}>
                <td>{when(h.at, tz)}</td>
                <td>
                  <span class={`status ${h.status}`}>{label(h.status)}</span>
                </td>
                <td>{label(h.detailedStatus)}</td>
                <td>{h.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** The attendee with history and (when the rules allow viewing them) analytics. */
async function load(c: CC, eventId: string, attendeeId: string) {
  const api = c.var.console.api;
  const { data } = await api.GET('/v1/events/{eventId}/attendees/{attendeeId}', {
    params: { path: { eventId, attendeeId } },
  });
  if (!data) return null;
  const analytics = data.actions.includes('view_analytics')
    ? (
        await api.GET('/v1/events/{eventId}/attendees/{attendeeId}/analytics', {
          params: { path: { eventId, attendeeId } },
        })
      ).data
    : undefined;
  return { attendee: data, analytics };
}

attendeePages.get(PATH, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const found = await load(c, event.id, c.req.param('attendeeId') as string);
  if (!found) return notFoundPage(c, 'This attendee');
  return page(c, <AttendeePage c={c} event={event} {...found} f={fieldsOf(found.attendee)} errors={{}} />);
});

attendeePages.post(PATH, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const attendeeId = c.req.param('attendeeId') as string;
  const body = await c.req.parseBody({ all: true });
  const f = submitted(body);
  const { data, error, response } = await c.var.console.api.PATCH(
    '/v1/events/{eventId}/attendees/{attendeeId}',
    { params: { path: { eventId: event.id, attendeeId } }, body: patchOf(f) },
  );
  if (data) {
    flash(c, 'ok', `Changes to ${fullName(data)} saved.`);
    return c.redirect(attendeeUrl(event.id, attendeeId), 303);
  }
  if (response.status === 404) return notFoundPage(c, 'This attendee');
  const found = await load(c, event.id, attendeeId);
  if (!found) return notFoundPage(c, 'This attendee');
  const problem = error as Problem;
  return page(
    c,
    <AttendeePage
      c={c}
      event={event}
      {...found}
      f={f}
      errors={fieldErrors(problem)}
      problem={problemText(problem)}
    />,
    response.status === 409 ? 409 : 422,
  );
});
