/** @jsxImportSource hono/jsx */
/**
 * Bulk invite: the CSV template, the upload, the check-your-file report, the start with live
 * progress, the outcome, and the past imports. Files and streams are the API's, proxied as they are.
 */
import { Hono } from 'hono';
import type { Schemas } from '../../client';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH, UUID } from './context';
import { type Problem, problemText, text, when } from './forms';
import { Csrf, frame, Layout, page } from './layout';
import { flash } from './session';
import { consoleEvent, type EventDto, label, loadEvent, notFoundPage } from './shared';

export const importsPages = new Hono<ConsoleEnv>();

type ImportDto = Schemas['Import'];
type ImportReport = Schemas['ImportReport'];

const IMPORT_PATH = `${EVENT_PATH}/imports/:importId{${UUID}}`;
/** Row errors shown on the page; errors.csv has every one. */
const ERRORS_ON_PAGE = 100;
const FINAL = new Set(['completed', 'cancelled', 'failed']);

const n = (value: number) => value.toLocaleString('en');
const base = (event: { id: string }) => `/console/events/${event.id}/imports`;

/** The upload form: on the imports page, and on a report to replace its file. */
function UploadForm(props: { c: CC; event: EventDto; error?: string; replaces?: string; submit: string }) {
  return (
    <form method="post" action={base(props.event)} enctype="multipart/form-data" class="upload">
      <Csrf c={props.c} />
      {props.replaces ? <input type="hidden" name="replaces" value={props.replaces} /> : null}
      <label for="file">CSV file (UTF-8, at most 100,000 rows)</label>
      <input
        id="file"
        name="file"
        type="file"
        accept=".csv,text/csv"
        required
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? 'file-error' : undefined}
      />
      {props.error ? (
        <p class="field-error" id="file-error" role="alert">
          The file was not accepted: {props.error}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class={props.replaces ? 'secondary' : undefined}>
          {props.submit}
        </button>
      </div>
    </form>
  );
}

function ImportsList(props: { event: EventDto; items: ImportDto[]; total: number; next: string | null }) {
  const { event, items } = props;
  if (items.length === 0) return <p class="muted">No imports yet.</p>;
  return (
    <>
      <p class="muted">{n(props.total)} imports, newest first</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Uploaded</th>
              <th>Status</th>
              <th>Rows</th>
              <th>Valid</th>
              <th>Invalid</th>
              <th>Progress</th>
              <th class="optional">Invited</th>
              <th class="optional">Emailed</th>
              <th class="optional">Started</th>
              <th class="optional">Finished</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>
                  <a href={`${base(event)}/${i.id}`}>{when(i.createdAt, event.timezone)}</a>
                </td>
                <td>
                  <span class={`status ${i.status}`}>{label(i.status)}</span>
                </td>
                <td>{n(i.totals.rows)}</td>
                <td>{n(i.totals.valid)}</td>
                <td>{n(i.totals.invalid)}</td>
                <td>{i.startedAt ? `${n(i.progress.processed)} / ${n(i.totals.valid)}` : '—'}</td>
                <td class="optional">{n(i.progress.invited)}</td>
                <td class="optional">{i.sendEmail === false ? 'no email' : n(i.progress.emailed)}</td>
                <td class="optional">{when(i.startedAt, event.timezone)}</td>
                <td class="optional">{when(i.finishedAt, event.timezone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.next ? (
        <p class="pager">
          <a href={`${base(event)}?cursor=${encodeURIComponent(props.next)}`}>Older imports</a>
        </p>
      ) : null}
    </>
  );
}

async function importsPage(c: CC, event: EventDto, uploadError?: string) {
  const cursor = c.req.query('cursor');
  const { data } = await c.var.console.api.GET('/v1/events/{eventId}/imports', {
    params: { path: { eventId: event.id }, query: { limit: 25, ...(cursor ? { cursor } : {}) } },
  });
  return page(
    c,
    <Layout title="Bulk invite" section="events" event={consoleEvent(event)} tab="imports" {...frame(c)}>
      <h1>Bulk invite</h1>
      <section class="panel">
        <h2>Upload a list</h2>
        <p>
          Fill in the template (one person a row: email, first name, last name, and optionally company, title,
          language and role <code>speaker|moderator</code>), save it as “CSV UTF-8” and upload it. Nobody is
          invited until you have checked the report and clicked Invite.
        </p>
        <p>
          <a class="button secondary" href={`${base(event)}/template.csv`} download>
            Download the CSV template
          </a>
        </p>
        <UploadForm c={c} event={event} error={uploadError} submit="Upload and check" />
      </section>
      <h2>Past imports</h2>
      <ImportsList
        event={event}
        items={data?.items ?? []}
        total={data?.total ?? 0}
        next={data?.nextCursor ?? null}
      />
    </Layout>,
    uploadError ? 422 : 200,
  );
}

importsPages.get(`${EVENT_PATH}/imports`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  return importsPage(c, event);
});

// Files and the progress stream: the API's answers, as they are (404 for another organization's).
importsPages.get(`${EVENT_PATH}/imports/template.csv`, (c) =>
  c.var.console.raw(`/v1/events/${c.req.param('eventId')}/imports/template.csv`),
);
importsPages.get(`${IMPORT_PATH}/errors.csv`, (c) =>
  c.var.console.raw(`/v1/events/${c.req.param('eventId')}/imports/${c.req.param('importId')}/errors.csv`),
);
importsPages.get(`${IMPORT_PATH}/events`, (c) =>
  c.var.console.raw(`/v1/events/${c.req.param('eventId')}/imports/${c.req.param('importId')}/events`, {
    headers: { accept: 'text/event-stream' },
    signal: c.req.raw.signal,
  }),
);

importsPages.post(`${EVENT_PATH}/imports`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const body = await c.req.parseBody();
  const file = body.file;
  if (!(file instanceof File) || (file.size === 0 && file.name === ''))
    return importsPage(c, event, 'Choose a CSV file to upload.');
  // The file's bytes as they are: the API tells a file that is not UTF-8 by them.
  const res = await c.var.console.raw(`/v1/events/${event.id}/imports`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: await file.arrayBuffer(),
  });
  const answer = (await res.json().catch(() => null)) as (Problem & { id?: string }) | null;
  if (res.status !== 201 || !answer?.id) return importsPage(c, event, problemText(answer));
  // A corrected file replaces the report it corrects: that import, never started, is cancelled.
  const replaces = text(body, 'replaces');
  if (new RegExp(`^${UUID}$`).test(replaces)) {
    await c.var.console.api.POST('/v1/events/{eventId}/imports/{importId}/cancel', {
      params: { path: { eventId: event.id, importId: replaces } },
    });
  }
  return c.redirect(`${base(event)}/${answer.id}`, 303);
});

function Totals(props: { report: ImportReport }) {
  const t = props.report.totals;
  return (
    <dl class="facts panel totals">
      <dt>Rows in the file</dt>
      <dd>{n(t.rows)}</dd>
      <dt>Valid, to invite</dt>
      <dd>{n(t.valid)}</dd>
      <dt>With errors (not invited)</dt>
      <dd>{n(t.invalid)}</dd>
      <dt>Duplicates in the file</dt>
      <dd>{n(t.duplicateInFile)}</dd>
      <dt>Already invited</dt>
      <dd>{n(t.alreadyInvited)}</dd>
    </dl>
  );
}

function RowErrors(props: { event: EventDto; report: ImportReport }) {
  const { report } = props;
  if (report.errorCount === 0) return null;
  const shown = report.errors.slice(0, ERRORS_ON_PAGE);
  const csv = `${base(props.event)}/${report.id}/errors.csv`;
  return (
    <section>
      <h2>Errors ({n(report.errorCount)})</h2>
      <p>
        Rows with an error are left out. Correct them in your file and upload it again, or invite the valid
        rows now.{' '}
        {report.errorCount > shown.length
          ? `The first ${n(shown.length)} are shown here; the CSV has all ${n(report.errorCount)}.`
          : ''}
      </p>
      <p>
        <a class="button secondary" href={csv} download>
          Download all errors (CSV)
        </a>
      </p>
      <div class="table-wrap">
        <table class="row-errors">
          <thead>
            <tr>
              <th>Row</th>
              <th>Column</th>
              <th>Problem</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={`${e.row}-${e.column}-${e.code}`}>
                <td>{e.row}</td>
                <td>
                  <code>{e.column}</code>
                </td>
                <td>{label(e.code)}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Preview(props: { report: ImportReport }) {
  const { preview, totals } = props.report;
  if (preview.length === 0) return null;
  return (
    <section>
      <h2>Preview</h2>
      <p class="muted">
        The first {n(preview.length)} of {n(totals.valid)} people to invite.
      </p>
      <div class="table-wrap">
        <table class="preview-rows">
          <thead>
            <tr>
              <th>Row</th>
              <th>Email</th>
              <th>Name</th>
              <th class="optional">Company</th>
              <th class="optional">Title</th>
              <th>Language</th>
              <th>Roles</th>
            </tr>
          </thead>
          <tbody>
            {preview.map((p) => (
              <tr key={p.row}>
                <td>{p.row}</td>
                <td>{p.email}</td>
                <td>
                  {p.firstName} {p.lastName}
                </td>
                <td class="optional">{p.company ?? ''}</td>
                <td class="optional">{p.title ?? ''}</td>
                <td>{p.language}</td>
                <td>{p.roles.map(label).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Validated(props: { c: CC; event: EventDto; report: ImportReport }) {
  const { event, report } = props;
  const valid = report.totals.valid;
  const people = valid === 1 ? '1 person' : `${n(valid)} people`;
  return (
    <>
      <h1>Check your file</h1>
      <Totals report={report} />
      {valid > 0 ? (
        <form method="post" action={`${base(event)}/${report.id}/start`} class="panel start">
          <Csrf c={props.c} />
          <p>
            Inviting adds the {people} above to the event. “Invite” emails each an invitation in their
            language; “Invite without email” adds them quietly.
          </p>
          <div class="actions">
            <button type="submit" name="sendEmail" value="true">
              Invite {people}
            </button>
            <button type="submit" name="sendEmail" value="false" class="secondary">
              Invite without email
            </button>
          </div>
        </form>
      ) : (
        <p class="notice info">Nobody in this file can be invited: correct it and upload it again.</p>
      )}
      <RowErrors event={event} report={report} />
      <Preview report={report} />
      <h2>Upload a corrected file</h2>
      <section class="panel">
        <p class="muted">The new file replaces this one, which is then cancelled.</p>
        <UploadForm c={props.c} event={event} replaces={report.id} submit="Upload corrected file" />
      </section>
    </>
  );
}

/** Progress counts, updated live from the import's event stream while it runs. */
function Counts(props: { report: ImportReport }) {
  const { progress, totals, sendEmail } = props.report;
  const field = (name: keyof typeof progress) => (
    <span data-field={`progress.${name}`}>{n(progress[name])}</span>
  );
  return (
    <dl class="facts">
      <dt>Processed</dt>
      <dd>
        {field('processed')} of <span data-field="totals.valid">{n(totals.valid)}</span>
      </dd>
      <dt>Invited</dt>
      <dd>{field('invited')}</dd>
      <dt>Emailed</dt>
      <dd>{sendEmail === false ? 'No emails (invited without email)' : field('emailed')}</dd>
      <dt>Emails failed</dt>
      <dd>{field('failed')}</dd>
      <dt>Skipped</dt>
      <dd>{field('skipped')}</dd>
    </dl>
  );
}

function Running(props: { c: CC; event: EventDto; report: ImportReport }) {
  const { event, report } = props;
  const url = `${base(event)}/${report.id}`;
  return (
    <>
      <h1>Inviting…</h1>
      <div class="panel live" data-progress={`${url}/events`} data-events="import" aria-live="polite">
        {/* Two phases: everyone is invited (and emailed) first, then each invitee's lifecycle is set up. */}
        <label for="import-invited">{report.sendEmail === false ? 'Invited' : 'Invited and emailed'}</label>
        <progress
          id="import-invited"
          data-value="progress.invited+progress.skipped"
          data-max="totals.valid"
          max={Math.max(report.totals.valid, 1)}
          value={report.progress.invited + report.progress.skipped}
        />
        <label for="import-progress">Processed</label>
        <progress
          id="import-progress"
          data-value="progress.processed"
          data-max="totals.valid"
          max={Math.max(report.totals.valid, 1)}
          value={report.progress.processed}
        />
        <Counts report={report} />
        <p class="hint">
          The invitations go out first; then each invitee is set up to register and sign in, which Processed
          counts. You can leave this page: the import goes on, and this page shows where it stands when you
          come back.
        </p>
      </div>
      <form
        method="post"
        action={`${url}/cancel`}
        data-confirm="Stop the import? Whoever is invited stays invited."
      >
        <Csrf c={props.c} />
        <button type="submit" class="danger">
          Cancel the import
        </button>
      </form>
    </>
  );
}

const OUTCOME: Record<string, { kind: 'ok' | 'info' | 'error'; text: string }> = {
  completed: { kind: 'ok', text: 'The import is complete.' },
  cancelled: { kind: 'info', text: 'The import was cancelled. Whoever was invited before stays invited.' },
  failed: { kind: 'error', text: 'The import failed. Whoever was invited before stays invited.' },
};

function Finished(props: { event: EventDto; report: ImportReport }) {
  const { event, report } = props;
  const outcome = OUTCOME[report.status] ?? { kind: 'info' as const, text: label(report.status) };
  return (
    <>
      <h1>Import {report.status}</h1>
      <p class={`notice ${outcome.kind}`} role="status">
        {outcome.text} {n(report.progress.invited)} of {n(report.totals.valid)} invited
        {report.sendEmail === false ? ' without email' : `, ${n(report.progress.emailed)} emailed`}.
      </p>
      <Totals report={report} />
      {report.startedAt ? (
        <div class="panel">
          <Counts report={report} />
        </div>
      ) : null}
      <p class="actions">
        <a class="button" href={`/console/events/${event.id}/people?status=invited`}>
          See the invited people
        </a>
        {report.errorCount > 0 ? (
          <a class="button secondary" href={`${base(event)}/${report.id}/errors.csv`} download>
            Download the file’s errors (CSV)
          </a>
        ) : null}
        <a class="button secondary" href={base(event)}>
          Bulk invite again
        </a>
      </p>
    </>
  );
}

importsPages.get(IMPORT_PATH, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const { data: report } = await c.var.console.api.GET('/v1/events/{eventId}/imports/{importId}', {
    params: { path: { eventId: event.id, importId: c.req.param('importId') as string } },
  });
  if (!report) return notFoundPage(c, 'This import');
  return page(
    c,
    <Layout title="Bulk invite" section="events" event={consoleEvent(event)} tab="imports" {...frame(c)}>
      <p class="muted">
        <a href={base(event)}>Bulk invite</a> · uploaded {when(report.createdAt, event.timezone)}
      </p>
      {report.status === 'validated' ? (
        <Validated c={c} event={event} report={report} />
      ) : report.status === 'running' ? (
        <Running c={c} event={event} report={report} />
      ) : FINAL.has(report.status) ? (
        <Finished event={event} report={report} />
      ) : null}
    </Layout>,
  );
});

importsPages.post(`${IMPORT_PATH}/start`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const importId = c.req.param('importId') as string;
  const body = await c.req.parseBody();
  const sendEmail = text(body, 'sendEmail') !== 'false';
  const { data, error } = await c.var.console.api.POST('/v1/events/{eventId}/imports/{importId}/start', {
    params: { path: { eventId, importId } },
    body: { sendEmail },
  });
  if (data)
    flash(
      c,
      'ok',
      // The running page's hint says how the two phases go; this only confirms the choice.
      sendEmail ? 'Inviting, with an invitation email to each person.' : 'Inviting without email.',
    );
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/events/${eventId}/imports/${importId}`, 303);
});

importsPages.post(`${IMPORT_PATH}/cancel`, async (c) => {
  const eventId = c.req.param('eventId') as string;
  const importId = c.req.param('importId') as string;
  const { data, error } = await c.var.console.api.POST('/v1/events/{eventId}/imports/{importId}/cancel', {
    params: { path: { eventId, importId } },
  });
  if (data) flash(c, 'ok', 'The import is cancelled. Whoever was invited stays invited.');
  else flash(c, 'error', problemText(error as Problem));
  return c.redirect(`/console/events/${eventId}/imports/${importId}`, 303);
});
