/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { interpolate } from '../../emails/format';
import { Csrf, Layout, type PageContext } from './layout';
import type { PageMessages } from './messages';

type Status = keyof PageMessages['statuses'];

const fill = (ctx: PageContext, template: string, extra: Record<string, string> = {}) =>
  interpolate(template, { event: ctx.event?.name ?? '', ...extra });

const range = (ctx: PageContext, start: Date, end: Date, style: 'full' | 'medium') =>
  new Intl.DateTimeFormat(ctx.lang, {
    dateStyle: style,
    timeStyle: 'short',
    timeZone: ctx.event?.timezone ?? 'UTC',
  }).formatRange(start, end);

function zoneName(ctx: PageContext) {
  const event = ctx.event;
  if (!event) return '';
  return (
    new Intl.DateTimeFormat(ctx.lang, { timeZone: event.timezone, timeZoneName: 'longGeneric' })
      .formatToParts(event.startsAt)
      .find((p) => p.type === 'timeZoneName')?.value ?? event.timezone
  );
}

/** The event's dates in its own time zone, and its sessions. */
export function EventDetails(props: { ctx: PageContext }) {
  const { ctx } = props;
  const event = ctx.event;
  if (!event) return null;
  return (
    <section>
      <p>
        <time datetime={event.startsAt.toISOString()}>
          {range(ctx, event.startsAt, event.endsAt, 'full')}
        </time>{' '}
        <span class="muted">({zoneName(ctx)})</span>
      </p>
      {event.sessions.length > 0 ? (
        <>
          <h2>{ctx.m.sessions}</h2>
          <ul class="sessions">
            {event.sessions.map((s) => (
              <li key={s.id}>
                {s.name}
                <span class="when">{range(ctx, s.startsAt, s.endsAt, 'medium')}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Languages whose people write the family name first: the form asks in that order too. */
const FAMILY_NAME_FIRST: ReadonlySet<string> = new Set(['ja', 'ko', 'zh-Hans', 'zh-Hant']);

/** A required one-line field with its label. */
function TextField(props: { id: string; label: string; value?: string; autocomplete: string }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        type="text"
        id={props.id}
        name={props.id}
        value={props.value ?? ''}
        required
        maxlength={100}
        autocomplete={props.autocomplete}
      />
    </>
  );
}

function NameFields(props: { ctx: PageContext; firstName?: string; lastName?: string }) {
  const { m } = props.ctx;
  const given = (
    <TextField id="firstName" label={m.firstName} value={props.firstName} autocomplete="given-name" />
  );
  const family = (
    <TextField id="lastName" label={m.lastName} value={props.lastName} autocomplete="family-name" />
  );
  return FAMILY_NAME_FIRST.has(props.ctx.lang) ? (
    <>
      {family}
      {given}
    </>
  ) : (
    <>
      {given}
      {family}
    </>
  );
}

export function InvitationPage(props: {
  ctx: PageContext;
  token: string;
  firstName: string;
  lastName: string;
  requiresRegistration: boolean;
}) {
  const { ctx } = props;
  const title = fill(ctx, ctx.m.invitedTitle);
  const button = props.requiresRegistration ? ctx.email.reminder.registerButton : ctx.email.invitation.button;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{fill(ctx, ctx.email.invitation.greeting, { name: props.firstName })}</p>
      <EventDetails ctx={ctx} />
      <form method="post" action={`/events/${ctx.event?.id}/invitation`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="token" value={props.token} />
        <NameFields ctx={ctx} firstName={props.firstName} lastName={props.lastName} />
        <button type="submit">{button}</button>
      </form>
    </Layout>
  );
}

/** A page whose one button spends a link token (confirm, log in): a GET only shows it. */
export function TokenActionPage(props: {
  ctx: PageContext;
  title: string;
  body: string;
  action: string;
  token: string;
  button: string;
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      <form method="post" action={props.action}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{props.button}</button>
      </form>
    </Layout>
  );
}

/** Asks for a login link by email; also the way to a new link on every refusal of a link. */
export function LoginLinkForm(props: { ctx: PageContext }) {
  const { ctx } = props;
  return (
    <form method="post" action={`/events/${ctx.event?.id}/login-link`}>
      <Csrf ctx={ctx} />
      <input type="hidden" name="lang" value={ctx.lang} />
      <label for="email">{ctx.m.email}</label>
      <input type="email" id="email" name="email" required maxlength={320} autocomplete="email" />
      <button type="submit">{ctx.m.sendLink}</button>
    </form>
  );
}

/** Information and refusal pages: a title, a sentence, and what to do next. */
export function MessagePage(props: { ctx: PageContext; title: string; body: string; children?: Child }) {
  return (
    <Layout ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      {props.children}
    </Layout>
  );
}

export function LoginPage(props: { ctx: PageContext; sent: boolean }) {
  const { ctx } = props;
  const title = fill(ctx, ctx.m.loginTitle);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {props.sent ? (
        <p class="notice" role="status">
          {fill(ctx, ctx.m.linkSentBody)}
        </p>
      ) : (
        <p>{ctx.m.loginBody}</p>
      )}
      <LoginLinkForm ctx={ctx} />
    </Layout>
  );
}

export function SsoPage(props: { ctx: PageContext; loginHint?: string }) {
  const { ctx } = props;
  const start = `/v1/sso/${ctx.event?.id}/start${props.loginHint ? `?${new URLSearchParams({ loginHint: props.loginHint })}` : ''}`;
  return (
    <MessagePage ctx={ctx} title={ctx.m.ssoTitle} body={fill(ctx, ctx.m.ssoBody)}>
      <a class="button" href={start}>
        {ctx.m.ssoButton}
      </a>
    </MessagePage>
  );
}

/** Where an SSO login lands: its session travels in the fragment, which only a script can read. */
export function SsoLandingPage(props: { ctx: PageContext }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={ctx.m.ssoTitle} scripts={['/assets/sso-landing.js']}>
      <h1>{ctx.m.ssoTitle}</h1>
      <form method="post" action={`/events/${ctx.event?.id}/sso`} id="sso-landing">
        <Csrf ctx={ctx} />
        <input type="hidden" name="session" value="" />
        <input type="hidden" name="expiresAt" value="" />
        <input type="hidden" name="error" value="" />
        <button type="submit">{ctx.m.ssoButton}</button>
      </form>
    </Layout>
  );
}

export function RegisterPage(props: { ctx: PageContext }) {
  const { ctx } = props;
  const title = fill(ctx, ctx.m.registerTitle);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <EventDetails ctx={ctx} />
      <form method="post" action={`/events/${ctx.event?.id}/register`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="language" value={ctx.lang} />
        <label for="email">{ctx.m.email}</label>
        <input type="email" id="email" name="email" required maxlength={320} autocomplete="email" />
        <NameFields ctx={ctx} />
        <label for="company">{ctx.m.company}</label>
        <input type="text" id="company" name="company" maxlength={200} autocomplete="organization" />
        <label for="title">{ctx.m.jobTitle}</label>
        <input type="text" id="title" name="title" maxlength={200} autocomplete="organization-title" />
        <button type="submit">{ctx.email.reminder.registerButton}</button>
      </form>
    </Layout>
  );
}

export function MyPage(props: {
  ctx: PageContext;
  firstName: string;
  status: Status;
  awaitingConfirmation: boolean;
}) {
  const { ctx } = props;
  const id = ctx.event?.id;
  const title = fill(ctx, ctx.m.myPageTitle);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{fill(ctx, ctx.email.invitation.greeting, { name: props.firstName })}</p>
      <dl>
        <dt>{ctx.m.status}</dt>
        <dd>
          <span class="status">{ctx.m.statuses[props.status]}</span>
        </dd>
      </dl>
      {props.awaitingConfirmation ? <p class="notice">{ctx.m.awaitingConfirmation}</p> : null}
      <EventDetails ctx={ctx} />
      <div class="actions">
        <a class="button" href={`/events/${id}/calendar.ics`} download="event.ics">
          {ctx.m.addToCalendar}
        </a>
        <a class="button secondary" href={`/events/${id}/unregister`}>
          {ctx.m.unregister}
        </a>
      </div>
      <form method="post" action={`/events/${id}/logout`}>
        <Csrf ctx={ctx} />
        <button type="submit" class="secondary">
          {ctx.m.logout}
        </button>
      </form>
    </Layout>
  );
}

export function UnregisterPage(props: { ctx: PageContext }) {
  const { ctx } = props;
  const id = ctx.event?.id;
  const title = fill(ctx, ctx.m.unregisterTitle);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{fill(ctx, ctx.m.unregisterBody)}</p>
      <form method="post" action={`/events/${id}/unregister`}>
        <Csrf ctx={ctx} />
        <div class="actions">
          <button type="submit" class="danger">
            {ctx.m.unregisterConfirm}
          </button>
          <a class="button secondary" href={`/events/${id}/me`}>
            {ctx.m.back}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export { fill };
