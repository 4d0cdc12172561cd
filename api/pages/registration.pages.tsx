/** @jsxImportSource hono/jsx */
/** Registering: the invitation, checking the email, confirming, logging in, the published registration form. */
import { Hono } from 'hono';
import { parseLanguage } from '../../domain/languages';
import type { AppEnv } from '../context';
import { ProblemError } from '../problem';
import {
  acceptInvitation,
  confirmRegistration,
  loginWithToken,
  requestLoginLink,
} from '../public/public.handlers';
import { registerPublished } from '../public/registration';
import {
  checkedForm,
  EVENT,
  field,
  formExpired,
  html,
  loadEvent,
  notFoundPage,
  pageContext,
  refusal,
  tokenGet,
  tokenPost,
} from './context';
import type { PageContext } from './layout';
import { setSessionCookie } from './security';
import {
  fill,
  InvitationPage,
  LoginLinkForm,
  LoginPage,
  MessagePage,
  RegisterPage,
  SsoPage,
  TokenActionPage,
} from './views';

export const registrationPages = new Hono<AppEnv>();

registrationPages.get(`${EVENT}/invitation`, async (c) => {
  const get = await tokenGet(c, ['invitation']);
  if ('page' in get) return get.page;
  const { event, token, owner, ctx } = get;
  if (event.loginMode === 'sso') return html(c, <SsoPage ctx={ctx} loginHint={owner.row.email} />);
  if (owner.row.status !== 'invited') {
    // Registered already: an invitation token still logs in.
    return html(
      c,
      <TokenActionPage
        ctx={ctx}
        title={fill(ctx, ctx.m.loginTitle)}
        body={fill(ctx, ctx.m.loginLandingBody)}
        action={`/events/${event.id}/login`}
        token={token}
        button={ctx.email.login_link.button}
      />,
    );
  }
  return html(
    c,
    <InvitationPage
      ctx={ctx}
      token={token}
      firstName={owner.row.first_name}
      lastName={owner.row.last_name}
      requiresRegistration={event.requiresRegistration}
    />,
  );
});

registrationPages.post(`${EVENT}/invitation`, async (c) => {
  const post = await tokenPost(c, ['invitation']);
  if ('page' in post) return post.page;
  const { event, form, token, owner, ctx } = post;
  try {
    const firstName = field(form, 'firstName');
    const lastName = field(form, 'lastName');
    await acceptInvitation(c, token, {
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
    });
  } catch (error) {
    return refusal(c, ctx, error, owner.row);
  }
  const next = event.requiresEmailConfirmation ? 'check-email' : 'registered';
  return c.redirect(`/events/${event.id}/${next}?lang=${ctx.lang}`, 303);
});

registrationPages.get(`${EVENT}/check-email`, async (c) => {
  const event = await loadEvent(c);
  const ctx = await pageContext(c, event);
  if (!event) return notFoundPage(c, ctx);
  return html(
    c,
    <MessagePage ctx={ctx} title={ctx.m.checkEmailTitle} body={fill(ctx, ctx.m.checkEmailBody)} />,
  );
});

/** After accepting or confirming: registered; the login link is on its way by email too. */
registrationPages.get(`${EVENT}/registered`, async (c) => {
  const event = await loadEvent(c);
  const ctx = await pageContext(c, event);
  if (!event) return notFoundPage(c, ctx);
  const title = fill(ctx, ctx.email.registration_confirmation.registeredSubject);
  return html(
    c,
    <MessagePage ctx={ctx} title={title} body={fill(ctx, ctx.email.registration_confirmation.registeredBody)}>
      <EventDetailsAndLogin ctx={ctx} />
    </MessagePage>,
  );
});

function EventDetailsAndLogin(props: { ctx: PageContext }) {
  return (
    <>
      <p>{props.ctx.m.loginBody}</p>
      <LoginLinkForm ctx={props.ctx} />
    </>
  );
}

registrationPages.get(`${EVENT}/confirm`, async (c) => {
  const get = await tokenGet(c, ['registration_confirmation']);
  if ('page' in get) return get.page;
  const { event, token, ctx } = get;
  return html(
    c,
    <TokenActionPage
      ctx={ctx}
      title={ctx.m.confirmTitle}
      body={fill(ctx, ctx.email.registration_confirmation.confirmBody)}
      action={`/events/${event.id}/confirm`}
      token={token}
      button={ctx.email.registration_confirmation.confirmButton}
    />,
  );
});

registrationPages.post(`${EVENT}/confirm`, async (c) => {
  const post = await tokenPost(c, ['registration_confirmation']);
  if ('page' in post) return post.page;
  const { event, token, owner, ctx } = post;
  try {
    await confirmRegistration(c, token);
  } catch (error) {
    return refusal(c, ctx, error, owner.row);
  }
  return c.redirect(`/events/${event.id}/registered?lang=${ctx.lang}`, 303);
});

registrationPages.get(`${EVENT}/login`, async (c) => {
  const event = await loadEvent(c);
  if (!event) return notFoundPage(c, await pageContext(c, null));
  const token = c.req.query('token');
  if (!token) {
    const ctx = await pageContext(c, event);
    if (event.loginMode === 'sso') return html(c, <SsoPage ctx={ctx} />);
    return html(c, <LoginPage ctx={ctx} sent={c.req.query('sent') === '1'} />);
  }
  const get = await tokenGet(c, ['login_link', 'invitation'], event);
  if ('page' in get) return get.page;
  const { owner, ctx } = get;
  if (event.loginMode === 'sso') return html(c, <SsoPage ctx={ctx} loginHint={owner.row.email} />);
  return html(
    c,
    <TokenActionPage
      ctx={ctx}
      title={fill(ctx, ctx.m.loginTitle)}
      body={fill(ctx, ctx.m.loginLandingBody)}
      action={`/events/${event.id}/login`}
      token={token}
      button={ctx.email.login_link.button}
    />,
  );
});

registrationPages.post(`${EVENT}/login`, async (c) => {
  const post = await tokenPost(c, ['login_link', 'invitation']);
  if ('page' in post) return post.page;
  const { event, token, owner, ctx } = post;
  try {
    const { session } = await loginWithToken(c, token);
    setSessionCookie(c, event.id, session.token, session.expiresAt);
  } catch (error) {
    return refusal(c, ctx, error, owner.row);
  }
  return c.redirect(`/events/${event.id}/me`, 303);
});

registrationPages.post(`${EVENT}/login-link`, async (c) => {
  const event = await loadEvent(c);
  const form = await checkedForm(c);
  const lang = parseLanguage(form ? field(form, 'lang') : '') ?? event?.defaultLanguage;
  const ctx = await pageContext(c, event, lang);
  if (!event) return notFoundPage(c, ctx);
  if (!form) return formExpired(c, ctx);
  const email = field(form, 'email');
  if (email && email.length <= 320) requestLoginLink(c.var.deps, event.id, email);
  return c.redirect(`/events/${event.id}/login?sent=1&lang=${ctx.lang}`, 303);
});

registrationPages.get(`${EVENT}/register`, async (c) => {
  const event = await loadEvent(c);
  const ctx = await pageContext(c, event);
  if (!event?.publishedRegistration) return notFoundPage(c, ctx);
  return html(c, <RegisterPage ctx={ctx} />);
});

registrationPages.post(`${EVENT}/register`, async (c) => {
  const event = await loadEvent(c);
  const form = await checkedForm(c);
  const lang = parseLanguage(form ? field(form, 'language') : '') ?? event?.defaultLanguage;
  const ctx = await pageContext(c, event, lang);
  if (!event?.publishedRegistration) return notFoundPage(c, ctx);
  if (!form) return formExpired(c, ctx);
  try {
    await registerPublished(c.var.deps, event.id, {
      email: field(form, 'email'),
      firstName: field(form, 'firstName'),
      lastName: field(form, 'lastName'),
      language: ctx.lang,
      ...(field(form, 'company') ? { company: field(form, 'company') } : {}),
      ...(field(form, 'title') ? { title: field(form, 'title') } : {}),
    });
  } catch (error) {
    if (error instanceof ProblemError && error.status === 422) {
      const problems = (error.errors ?? []).map((e) => e.message).join(' ');
      return html(
        c,
        <MessagePage ctx={ctx} title={ctx.m.errorTitle} body={problems || error.message} />,
        400,
      );
    }
    return refusal(c, ctx, error);
  }
  return c.redirect(`/events/${event.id}/check-email?lang=${ctx.lang}`, 303);
});
