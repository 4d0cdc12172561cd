/** @jsxImportSource hono/jsx */
/**
 * Reminders: the event's reminder rules (who gets what, and when before the start), their runs,
 * a form for a new rule, sending one now, and deleting one. All through /v1/events/{id}/reminders.
 */
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import { MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX } from '../../domain/custom-message';
import { MAX_OFFSET_MINUTES, REMINDER_AUDIENCES, type ReminderAudience } from '../../domain/reminders';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH, UUID } from './context';
import { fieldErrors, type Problem, problemText, text, when } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import { flash } from './session';
import { consoleEvent, type EventDto, FieldError, invalid, loadEvent, notFoundPage } from './shared';

export const remindersPages = new Hono<ConsoleEnv>();

type Rule = Schemas['ReminderRule'];
type Fields = Record<string, string>;

const AUDIENCE_LABELS: Record<ReminderAudience, string> = {
  invited_not_registered: 'Invited people who have not registered',
  registered: 'Registered attendees',
};

const UNITS = [
  { value: 'minutes', label: 'minutes', minutes: 1 },
  { value: 'hours', label: 'hours', minutes: 60 },
  { value: 'days', label: 'days', minutes: 1440 },
] as const;

/** "2 days", "90 minutes": the largest unit that divides the offset. */
function offsetText(minutes: number): string {
  const unit = [...UNITS].reverse().find((u) => minutes % u.minutes === 0) ?? UNITS[0];
  const n = minutes / unit.minutes;
  return `${n.toLocaleString('en')} ${n === 1 ? unit.label.slice(0, -1) : unit.label}`;
}

/** What a rule sends: the standard reminder or the organizer's subject, and the link it carries. */
function sends(rule: Rule): string {
  const what = rule.message ? `Your text: “${rule.message.subject}”` : 'The standard reminder';
  // Invitees get their invitation link with the standard text, and with their own when it asks for a link.
  if (rule.audience === 'invited_not_registered')
    return !rule.message || rule.includeLoginLink
      ? `${what}, with their invitation link`
      : `${what}, no link`;
  return rule.includeLoginLink ? `${what}, with a login link` : `${what}, no link`;
}

function RuleForm(props: { c: CC; event: EventDto; f: Fields; errors: Fields; problem?: string }) {
  const { f, errors, event } = props;
  const linkErrorPath = errors.includeLoginLink ? 'includeLoginLink' : 'message.includeLoginLink';
  return (
    <form method="post" action={`/console/events/${event.id}/reminders`} class="panel" novalidate>
      <Csrf c={props.c} />
      <h2>New reminder</h2>
      {props.problem ? (
        <p class="notice error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div class="grid2">
        <div>
          <label for="audience">Send to</label>
          <select id="audience" name="audience" {...invalid(errors, 'audience')}>
            {REMINDER_AUDIENCES.map((a) => (
              <option key={a} value={a} selected={f.audience === a}>
                {AUDIENCE_LABELS[a]}
              </option>
            ))}
          </select>
          <FieldError id="audience" errors={errors} />
        </div>
        <div>
          <label for="offsetAmount">How long before the event starts</label>
          <div class="offset-row">
            <input
              id="offsetAmount"
              name="offsetAmount"
              type="number"
              min={1}
              step={1}
              required
              value={f.offsetAmount ?? ''}
              {...invalid(errors, 'offsetAmount', 'offsetMinutes')}
            />
            <select id="offsetUnit" name="offsetUnit" aria-label="Unit">
              {UNITS.map((u) => (
                <option key={u.value} value={u.value} selected={(f.offsetUnit ?? 'hours') === u.value}>
                  {u.label}
                </option>
              ))}
            </select>
          </div>
          <FieldError id="offsetAmount" path="offsetMinutes" errors={errors} />
          <p class="hint">
            At most 60 days. A time already past sends at once while the event has not started.
          </p>
        </div>
        {event.loginMode === 'magic_link' ? (
          <div>
            <label for="includeLoginLink">Link in the email</label>
            <select
              id="includeLoginLink"
              name="includeLoginLink"
              {...invalid(errors, 'includeLoginLink', linkErrorPath)}
            >
              <option value="" selected={!f.includeLoginLink}>
                Default
              </option>
              <option value="yes" selected={f.includeLoginLink === 'yes'}>
                The reader’s own link
              </option>
              <option value="no" selected={f.includeLoginLink === 'no'}>
                No login link
              </option>
            </select>
            <FieldError id="includeLoginLink" path={linkErrorPath} errors={errors} />
            <p class="hint">
              By default the standard reminder gives registered attendees a single-use login link and invited
              people their invitation link; your own text carries no link unless you choose the reader’s own.
            </p>
          </div>
        ) : null}
      </div>
      <fieldset class="panel">
        <legend>Your own text (optional)</legend>
        <p class="hint">
          Leave both empty to send the standard reminder in each reader’s language. Your text goes into the
          standard email layout; a blank line starts a new paragraph and web addresses become links.
        </p>
        <label for="subject">Subject</label>
        <input
          id="subject"
          name="subject"
          type="text"
          maxlength={MESSAGE_SUBJECT_MAX}
          value={f.subject ?? ''}
          {...invalid(errors, 'subject', 'message.subject')}
        />
        <FieldError id="subject" path="message.subject" errors={errors} />
        <label for="body">Message</label>
        <textarea
          id="body"
          name="body"
          maxlength={MESSAGE_BODY_MAX}
          data-counter="body-counter"
          {...invalid(errors, 'body', 'message.body')}
        >
          {f.body ?? ''}
        </textarea>
        <p class="counter" id="body-counter" aria-live="polite" />
        <FieldError id="body" path="message.body" errors={errors} />
      </fieldset>
      <div class="actions">
        <button type="submit">Create reminder</button>
      </div>
    </form>
  );
}

function RemindersPage(props: {
  c: CC;
  event: EventDto;
  rules: Rule[];
  f: Fields;
  errors: Fields;
  problem?: string;
}) {
  const { event, rules, c } = props;
  const tz = event.timezone;
  const base = `/console/events/${event.id}/reminders`;
  const runs = rules
    .flatMap((rule) => rule.runs.map((run) => ({ rule, run })))
    .sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt));
  return (
    <Layout title="Reminders" section="events" event={consoleEvent(event)} tab="reminders" {...frame(c)}>
      <h1>Reminders</h1>
      <p class="muted">
        Emails sent before the event starts ({when(event.startsAt, tz)}). Moving the event moves its
        reminders.
      </p>
      {rules.length === 0 ? (
        <p class="panel">No reminders yet. Create one below.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>To</th>
                <th>Sends</th>
                <th>When</th>
                <th>Status</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <tr key={rule.id} id={`rule-${rule.id}`}>
                  <td>{AUDIENCE_LABELS[rule.audience]}</td>
                  <td>{sends(rule)}</td>
                  <td>
                    {offsetText(rule.offsetMinutes)} before the start
                    <br />
                    <span class="hint">{when(rule.dueAt, tz)}</span>
                  </td>
                  <td>
                    {rule.sentAt ? (
                      <span class="status attended">Sent {when(rule.sentAt, tz)}</span>
                    ) : (
                      <span class="status invited">Scheduled</span>
                    )}
                  </td>
                  <td>
                    <div class="actions tight">
                      <form
                        method="post"
                        action={`${base}/${rule.id}/run`}
                        class="inline"
                        data-confirm={`Send this reminder to ${AUDIENCE_LABELS[rule.audience].toLowerCase()} now? Everyone in that audience gets it, even if the scheduled send already went out.`}
                      >
                        <Csrf c={c} />
                        <button type="submit" class="secondary">
                          Send now
                        </button>
                      </form>
                      <form
                        method="post"
                        action={`${base}/${rule.id}/delete`}
                        class="inline"
                        data-confirm={`Delete the reminder ${offsetText(rule.offsetMinutes)} before the start to ${AUDIENCE_LABELS[rule.audience].toLowerCase()}?`}
                      >
                        <Csrf c={c} />
                        <button type="submit" class="danger">
                          Delete
                        </button>
                      </form>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.length > 0 ? (
        <>
          <h2>Runs</h2>
          <p class="muted">The latest runs of each reminder, newest first.</p>
          <div class="table-wrap">
            <table class="runs">
              <thead>
                <tr>
                  <th>Reminder</th>
                  <th>Trigger</th>
                  <th>Started</th>
                  <th>Finished</th>
                  <th>Recipients</th>
                  <th>Sent</th>
                  <th>Failed</th>
                </tr>
              </thead>
              <tbody>
                {runs.map(({ rule, run }) => (
                  <tr key={run.id}>
                    <td>
                      {offsetText(rule.offsetMinutes)} before, to{' '}
                      {AUDIENCE_LABELS[rule.audience].toLowerCase()}
                    </td>
                    <td>{run.trigger === 'manual' ? 'Sent now' : 'Scheduled'}</td>
                    <td>{when(run.startedAt, tz)}</td>
                    <td>{run.finishedAt ? when(run.finishedAt, tz) : 'Sending…'}</td>
                    <td>{run.recipients.toLocaleString('en')}</td>
                    <td>{run.sent.toLocaleString('en')}</td>
                    <td>{run.failed.toLocaleString('en')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <RuleForm c={c} event={event} f={props.f} errors={props.errors} problem={props.problem} />
    </Layout>
  );
}

async function loadRules(c: CC, eventId: string): Promise<Rule[]> {
  const { data } = await c.var.console.api.GET('/v1/events/{eventId}/reminders', {
    params: { path: { eventId } },
  });
  return data?.items ?? [];
}

remindersPages.get(`${EVENT_PATH}/reminders`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const rules = await loadRules(c, event.id);
  return page(c, <RemindersPage c={c} event={event} rules={rules} f={{}} errors={{}} />);
});

/** The API's input from the form: the offset in minutes, the message when either part is given. */
function inputOf(body: Record<string, unknown>): Schemas['CreateReminderRule'] {
  const amount = text(body, 'offsetAmount');
  const unit = UNITS.find((u) => u.value === text(body, 'offsetUnit')) ?? UNITS[1];
  const n = Number(amount);
  const subject = text(body, 'subject');
  const messageBody = text(body, 'body');
  const link = text(body, 'includeLoginLink');
  return {
    audience: text(body, 'audience') as ReminderAudience,
    // Not a whole number: the API's own 422 says what is wrong, beside the field.
    offsetMinutes: (amount && Number.isFinite(n) ? n * unit.minutes : amount) as number,
    ...(link === 'yes' ? { includeLoginLink: true } : link === 'no' ? { includeLoginLink: false } : {}),
    ...(subject || messageBody ? { message: { subject, body: messageBody } } : {}),
  };
}

remindersPages.post(`${EVENT_PATH}/reminders`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const body = await c.req.parseBody();
  const input = inputOf(body);
  const { data, error } = await c.var.console.api.POST('/v1/events/{eventId}/reminders', {
    params: { path: { eventId: event.id } },
    body: input,
  });
  if (data) {
    flash(c, 'ok', `Reminder created: ${offsetText(data.offsetMinutes)} before the start.`);
    return c.redirect(`/console/events/${event.id}/reminders`, 303);
  }
  const problem = error as Problem;
  const errors = fieldErrors(problem);
  if (
    errors.offsetMinutes &&
    typeof input.offsetMinutes === 'number' &&
    input.offsetMinutes > MAX_OFFSET_MINUTES
  )
    errors.offsetMinutes = 'At most 60 days before the start.';
  const f: Fields = {};
  for (const name of ['audience', 'offsetAmount', 'offsetUnit', 'includeLoginLink', 'subject', 'body'])
    f[name] = text(body, name);
  const rules = await loadRules(c, event.id);
  return page(
    c,
    <RemindersPage
      c={c}
      event={event}
      rules={rules}
      f={f}
      errors={errors}
      problem={
        Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : problemText(problem)
      }
    />,
    problem?.status === 409 ? 409 : 422,
  );
});

remindersPages.post(`${EVENT_PATH}/reminders/:ruleId{${UUID}}/run`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const ruleId = c.req.param('ruleId') as string;
  const { data, error } = await c.var.console.api.POST('/v1/events/{eventId}/reminders/run', {
    params: { path: { eventId } },
    body: { ruleId },
  });
  if (data)
    flash(
      c,
      'ok',
      `Sending now to ${data.recipients.toLocaleString('en')} ${data.recipients === 1 ? 'person' : 'people'}.`,
    );
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/events/${eventId}/reminders`, 303);
});

remindersPages.post(`${EVENT_PATH}/reminders/:ruleId{${UUID}}/delete`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const ruleId = c.req.param('ruleId') as string;
  const { error, response } = await c.var.console.api.DELETE('/v1/events/{eventId}/reminders/{ruleId}', {
    params: { path: { eventId, ruleId } },
  });
  if (response.ok) flash(c, 'ok', 'Reminder deleted.');
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/events/${eventId}/reminders`, 303);
});
