import { Hono } from 'hono';
import { findEventById } from '../../db/queries/events';
import type { AppEnv } from '../context';
import { SSO_LANDING_JS } from './assets';
import { EVENT, limited } from './context';
import { registrationPages } from './registration.pages';
import { pageHeaders } from './security';
import { sessionPages } from './session.pages';
import { STYLESHEET, themeCss } from './style';
import { unsubscribePages } from './unsubscribe.pages';

export const pagesRouter = new Hono<AppEnv>();

pagesRouter.use('/events/*', pageHeaders);
pagesRouter.post(`${EVENT}/invitation`, limited('accept'));
pagesRouter.post(`${EVENT}/confirm`, limited('confirm'));
pagesRouter.post(`${EVENT}/login`, limited('login'));
pagesRouter.post(`${EVENT}/login-link`, limited('login-link'));
pagesRouter.post(`${EVENT}/register`, limited('register'));

pagesRouter.get('/assets/pages.css', (c) =>
  c.body(STYLESHEET, 200, {
    'content-type': 'text/css; charset=utf-8',
    'cache-control': 'public, max-age=3600',
  }),
);
pagesRouter.get('/assets/sso-landing.js', (c) =>
  c.body(SSO_LANDING_JS, 200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=3600',
  }),
);

pagesRouter.get(`${EVENT}/theme.css`, async (c) => {
  const event = await findEventById(c.var.em, c.req.param('eventId'), { sessions: false });
  return c.body(themeCss(event?.accentColor), 200, {
    'content-type': 'text/css; charset=utf-8',
    'cache-control': 'no-cache',
  });
});

pagesRouter.get(`${EVENT}/logo`, async (c) => {
  const rows = await c.var.em
    .getConnection()
    .execute<{ content_type: string; bytes: Buffer }[]>(
      'select content_type, bytes from event_logos where event_id = ?',
      [c.req.param('eventId')],
    );
  const logo = rows[0];
  if (!logo) return c.body(null, 404);
  return c.body(new Uint8Array(logo.bytes), 200, {
    'content-type': logo.content_type,
    'cache-control': 'no-cache',
  });
});

/** The reminders' "join" link: the attendee's page, or the way in. */
pagesRouter.get(EVENT, (c) => c.redirect(`/events/${c.req.param('eventId')}/me`, 303));

pagesRouter.route('/', registrationPages);
pagesRouter.route('/', sessionPages);
pagesRouter.route('/', unsubscribePages);
