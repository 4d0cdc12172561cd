/** @jsxImportSource hono/jsx */
/**
 * Invite one person: the invite dialog as a page. The form (with the speaker's picture) goes to the
 * API's multipart invite in one request, so a refused picture invites nobody.
 */
import { Hono } from 'hono';
import { BIO_MAX } from '../../domain/attendee-lifecycle';
import type { CC, ConsoleEnv } from './context';
import { EVENT_PATH } from './context';
import { all, fieldErrors, type Problem, problemText, text } from './forms';
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

export const invitePages = new Hono<ConsoleEnv>();

const PROFILE_ROLES = ['speaker', 'moderator'] as const;
const TEXT_FIELDS = ['email', 'firstName', 'lastName', 'language', 'title', 'company', 'bio'] as const;
const IMAGE_TYPES = 'image/png,image/jpeg,image/webp';

interface Values {
  email: string;
  firstName: string;
  lastName: string;
  language: string;
  title: string;
  company: string;
  bio: string;
  roles: string[];
}

function InviteForm(props: {
  c: CC;
  event: EventDto;
  v: Values;
  errors: Record<string, string>;
  problem?: string;
}) {
  const { v, errors, event } = props;
  const input = (id: keyof Values, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
    <div>
      <label for={id}>{label}</label>
      <input id={id} name={id} type={type} value={v[id] as string} {...invalid(errors, id)} {...extra} />
      <FieldError id={id} errors={errors} />
    </div>
  );
  return (
    <form
      method="post"
      action={`/console/events/${event.id}/invite`}
      enctype="multipart/form-data"
      class="panel"
      novalidate
    >
      <Csrf c={props.c} />
      {props.problem ? (
        <p class="notice error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div class="grid2">
        {input('email', 'Email', 'email', { required: true, maxlength: 254, autocomplete: 'off' })}
        <div>
          <label for="language">Language of the invitation and pages</label>
          <select id="language" name="language" {...invalid(errors, 'language')}>
            <LanguageOptions selected={v.language} />
          </select>
          <FieldError id="language" errors={errors} />
        </div>
        {input('firstName', 'First name', 'text', { required: true, maxlength: 100 })}
        {input('lastName', 'Last name', 'text', { required: true, maxlength: 100 })}
      </div>
      <fieldset class="panel">
        <legend>Roles</legend>
        <p class="hint">
          Everyone invited is an attendee. Speakers and moderators also have a bio and a picture.
        </p>
        {PROFILE_ROLES.map((role) => (
          <label class="check" key={role}>
            <input
              type="checkbox"
              name="roles"
              id={`role-${role}`}
              value={role}
              checked={v.roles.includes(role)}
              {...invalid(errors, 'roles')}
            />
            {role === 'speaker' ? 'Speaker' : 'Moderator'}
          </label>
        ))}
        <FieldError id="roles" errors={errors} />
      </fieldset>
      <div class="grid2">
        {input('title', 'Job title (optional)', 'text', { maxlength: 200 })}
        {input('company', 'Company (optional)', 'text', { maxlength: 200 })}
      </div>
      <div>
        <label for="bio">Bio (speakers and moderators)</label>
        <textarea
          id="bio"
          name="bio"
          rows={5}
          maxlength={BIO_MAX}
          data-counter="bio-counter"
          aria-describedby={errors.bio ? 'bio-error bio-hint' : 'bio-hint'}
          aria-invalid={errors.bio ? 'true' : undefined}
        >
          {v.bio}
        </textarea>
        <p class="counter" id="bio-counter" aria-live="polite">
          {v.bio.length.toLocaleString('en')} / {BIO_MAX.toLocaleString('en')}
        </p>
        <p class="hint" id="bio-hint">
          Only speakers and moderators have a bio: tick one of those roles to keep it.
        </p>
        <FieldError id="bio" errors={errors} />
      </div>
      <div>
        <label for="image">Profile picture (PNG, JPEG or WebP, at most 2 MB; 500×500 recommended)</label>
        <input
          id="image"
          name="image"
          type="file"
          accept={IMAGE_TYPES}
          data-preview="image-preview"
          aria-describedby={errors.image ? 'image-error image-hint' : 'image-hint'}
          aria-invalid={errors.image ? 'true' : undefined}
        />
        <img id="image-preview" class="preview" alt="Preview of the chosen file" hidden />
        <p class="hint" id="image-hint">
          Speakers and moderators only.
          {props.problem ? ' A picture chosen before is not kept: choose it again.' : ''}
        </p>
        <FieldError id="image" errors={errors} />
      </div>
      <div class="actions">
        <button type="submit" name="sendEmail" value="true">
          Invite
        </button>
        <button type="submit" name="sendEmail" value="false" class="secondary">
          Invite without email
        </button>
        <a class="button secondary" href={`/console/events/${event.id}/people`}>
          Cancel
        </a>
      </div>
    </form>
  );
}

function InvitePage(props: {
  c: CC;
  event: EventDto;
  v: Values;
  errors: Record<string, string>;
  problem?: string;
}) {
  return (
    <Layout
      title="Invite"
      section="events"
      event={consoleEvent(props.event)}
      tab="invite"
      {...frame(props.c)}
    >
      <h1>Invite someone</h1>
      <p class="muted">
        “Invite” sends the invitation email in the person’s language; “Invite without email” adds them quietly
        (they can still sign in with a magic link or SSO).
      </p>
      <InviteForm {...props} />
    </Layout>
  );
}

invitePages.get(`${EVENT_PATH}/invite`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const role = c.req.query('role');
  const v: Values = {
    email: '',
    firstName: '',
    lastName: '',
    language: event.defaultLanguage,
    title: '',
    company: '',
    bio: '',
    roles: role === 'speaker' || role === 'moderator' ? [role] : [],
  };
  return page(c, <InvitePage c={c} event={event} v={v} errors={{}} />);
});

/** A file input left empty still sends a part: an unnamed, empty file. */
const chosenFile = (value: unknown): File | null =>
  value instanceof File && value.size > 0 && value.name !== '' ? value : null;

invitePages.post(`${EVENT_PATH}/invite`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c);
  const body = await c.req.parseBody({ all: true });
  const v = Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(body, f)])) as Omit<Values, 'roles'>;
  const roles = all(body, 'roles').filter((r) => (PROFILE_ROLES as readonly string[]).includes(r));
  const values: Values = { ...v, roles };

  // The API's multipart invite: the fields and the picture in one request.
  const form = new FormData();
  for (const f of TEXT_FIELDS) if (v[f] !== '') form.append(f, v[f]);
  for (const r of roles) form.append('roles', r);
  form.append('sendEmail', text(body, 'sendEmail') === 'false' ? 'false' : 'true');
  const image = chosenFile(body.image);
  if (image) form.append('image', image, image.name);
  const res = await c.var.console.raw(`/v1/events/${event.id}/attendees`, { method: 'POST', body: form });
  const answer = (await res.json().catch(() => null)) as (Problem & { id?: string; email?: string }) | null;

  if (res.status === 201 && answer?.id) {
    const how = text(body, 'sendEmail') === 'false' ? 'added without an email' : 'invited';
    flash(c, 'ok', `${answer.email ?? v.email} ${how}.`);
    return c.redirect(`/console/events/${event.id}/people/${answer.id}`, 303);
  }
  const problem = answer ?? { title: 'The invitation could not be sent.' };
  const errors = fieldErrors(problem);
  // Conflicts name no field, but they are about one.
  if (problem.code === 'duplicate_email' || problem.code === 'outside_idp_groups')
    errors.email ??= problemText(problem);
  if ((res.status === 413 || res.status === 415) && !errors.image) errors.image = problemText(problem);
  const status = res.status === 409 ? 409 : 422;
  const marked = Object.keys(errors).length;
  const summary =
    marked === 0
      ? problemText(problem)
      : `Nobody was invited: correct the ${marked === 1 ? 'field' : `${marked} fields`} marked below.`;
  return page(c, <InvitePage c={c} event={event} v={values} errors={errors} problem={summary} />, status);
});
