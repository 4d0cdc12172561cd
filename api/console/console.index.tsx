/** @jsxImportSource hono/jsx */
/**
 * The organizer console at /console: server-rendered pages over the HTTP API, called in process
 * as the signed-in API key (same rules, workflows and audit log as any client). Sign-in exchanges
 * the key for an HttpOnly, SameSite=Strict session cookie; the key never reaches browser storage.
 */
import { readFileSync } from 'node:fs';
import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { closeConsoleSession, openConsoleSession } from '../../db/writes/console-sessions';
import { verifyApiKey } from '../auth';
import type { AppEnv } from '../context';
import { ProblemError } from '../problem';
import { accessPages } from './access.pages';
import { attendeePages } from './attendee.pages';
import { bulkActionsPages } from './bulk-actions.pages';
import type { ConsoleEnv } from './context';
import { UUID } from './context';
import { eventsPages } from './events.pages';
import { importsPages } from './imports.pages';
import { invitePages } from './invite.pages';
import { Layout } from './layout';
import { peoplePages } from './people.pages';
import { remindersPages } from './reminders.pages';
import {
  type AppFetch,
  clearSessionCookie,
  consoleSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  SIGN_IN_CSRF_COOKIE,
  sameOrigin,
  setSessionCookie,
  signInCsrf,
  tokensMatch,
} from './session';
import { speakersPages } from './speakers.pages';
import { webhooksPages } from './webhooks.pages';

/** Scripts may run from here only; images also from blob: (a chosen picture's preview). */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The console's own files, read once: its stylesheet and scripts. */
const ASSETS = new Map(
  ['console.css', 'console.js'].map((name) => [
    name,
    {
      body: readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8'),
      type: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    },
  ]),
);

/** Where to go after signing in: a console path of this site, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[A-Za-z0-9/_-]*)?$/.test(next) ? next : '/console/events';
}

function SignIn(props: { csrf: string; next: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <div class="sign-in panel">
        <h1>Sign in to Roster</h1>
        <p class="muted">
          Use an API key of your organization. It is exchanged for a session that ends when you sign out or
          after 12 hours; the key is not kept in the browser.
        </p>
        {props.error ? (
          <p class="notice error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/console/sign-in">
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label for="apiKey">API key</label>
          <input
            id="apiKey"
            name="apiKey"
            type="password"
            autocomplete="off"
            required
            autofocus
            aria-invalid={props.error ? 'true' : undefined}
          />
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

export function createConsoleRouter(appFetch: AppFetch) {
  const router = new Hono<ConsoleEnv>();

  router.use('*', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', CONSOLE_CSP);
    c.res.headers.set('referrer-policy', 'same-origin');
    c.res.headers.set('x-frame-options', 'DENY');
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });

  router.get('/assets/:name', (c) => {
    const asset = ASSETS.get(c.req.param('name'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300' });
  });

  router.get('/sign-in', (c) =>
    c.html(`<!doctype html>${String(<SignIn csrf={signInCsrf(c)} next={safeNext(c.req.query('next'))} />)}`),
  );

  router.post('/sign-in', async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(typeof body.next === 'string' ? body.next : undefined);
    const cookie = getCookie(c, SIGN_IN_CSRF_COOKIE);
    if (!sameOrigin(c) || !cookie || !tokensMatch(cookie, body.csrf))
      return c.html(
        `<!doctype html>${String(<SignIn csrf={signInCsrf(c)} next={next} error="The form expired. Please try again." />)}`,
        403,
      );
    const key = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
    try {
      if (!key) throw new ProblemError(401, 'unauthorized', 'The API key is not valid.');
      const found = await verifyApiKey(c as unknown as Context<AppEnv>, key);
      const session = await openConsoleSession(c.var.em, { ...found, ttlMs: SESSION_TTL_MS });
      setSessionCookie(c, session.token, session.expiresAt);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      const message =
        error.status === 429
          ? 'Too many attempts from this address. Wait a minute and try again.'
          : 'That API key is not valid.';
      return c.html(
        `<!doctype html>${String(<SignIn csrf={signInCsrf(c)} next={next} error={message} />)}`,
        error.status === 429 ? 429 : 401,
      );
    }
  });

  // Signing out needs only the cookie and this origin: a stale page can always sign out.
  router.post('/sign-out', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (!sameOrigin(c)) return c.text('Cross-site request refused.', 403);
    if (token) await closeConsoleSession(c.var.em, token);
    clearSessionCookie(c);
    return c.redirect('/console/sign-in', 303);
  });

  router.use('*', consoleSession(appFetch));
  router.get('/', (c) => c.redirect('/console/events', 303));
  router.route('/', eventsPages);
  router.route('/', peoplePages);
  router.route('/', attendeePages);
  router.route('/', bulkActionsPages);
  router.route('/', speakersPages);
  router.route('/', accessPages);
  router.route('/', remindersPages);
  router.route('/', webhooksPages);
  router.route('/', invitePages);
  router.route('/', importsPages);
  return router;
}

/** Links in emails (the import's "finished" notice) open the console's page for them. */
export const consoleLinks = new Hono<AppEnv>();
consoleLinks.get(`/events/:eventId{${UUID}}/imports/:importId{${UUID}}`, (c) =>
  c.redirect(`/console/events/${c.req.param('eventId')}/imports/${c.req.param('importId')}`, 303),
);
