import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { accessRouter } from './access/access.index';
import { attendeesRouter } from './attendees/attendees.index';
import { auditRouter } from './audit/audit.index';
import { requireApiKey } from './auth';
import { bulkActionsRouter } from './bulk-actions/bulk-actions.index';
import { codecRouter } from './codec/codec.index';
import { consoleLinks, createConsoleRouter } from './console/console.index';
import type { AppDeps } from './context';
import { publicCors } from './cors';
import { docsRouter } from './docs';
import { eventSitesRouter } from './event-sites/event-sites.index';
import { eventsRouter } from './events/events.index';
import { auditLog, limitBodies } from './guards';
import { idempotency } from './idempotency';
import { imagesRouter } from './images/images.index';
import { importsRouter } from './imports/imports.index';
import { metaRouter } from './meta.routes';
import { OPENAPI_CONFIG } from './openapi-config';
import { logoRouter } from './pages/logo';
import { pagesRouter } from './pages/pages.index';
import { peopleRouter } from './people/people.index';
import { ProblemError, problem } from './problem';
import { publicRouter } from './public/public.index';
import { rateLimit } from './rate-limit';
import { remindersRouter } from './reminders/reminders.index';
import { createRouter } from './router';
import { scimRouter } from './scim/scim.index';
import { scimTokensRouter } from './scim/scim-tokens.index';
import { failureProblem } from './shared/failures';
import { requestEm } from './shared/request-em';
import { ssoRouter } from './sso/sso.index';
import { suppressionsRouter } from './suppressions/suppressions.index';
import { requestTelemetry } from './telemetry';
import { unsubscribeRouter } from './unsubscribe/unsubscribe.index';
import { postmarkWebhookRouter } from './webhooks/postmark.index';
import { webhookEndpointsRouter } from './webhooks/webhook-endpoints.index';

/** The HTTP application. Everything it touches comes in through `deps`. */
export function createApp(deps: AppDeps) {
  const app = createRouter();

  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // The request id, span, metrics and log line of each request (route patterns, never paths).
  app.use(requestTelemetry(deps));
  // Every answer: no sniffing, no framing, no referrer; a route's own stricter headers win.
  app.use(
    secureHeaders({
      overwrite: false,
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      // Event sites show speakers' images and logos from here.
      crossOriginResourcePolicy: 'cross-origin',
    }),
  );
  app.use(async (c, next) => {
    await next();
    // JSON and CSV answers never run anything in a browser.
    if (
      !c.res.headers.has('content-security-policy') &&
      !c.res.headers.get('content-type')?.startsWith('text/html')
    )
      c.res.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  });
  app.use(requestEm);
  app.use(limitBodies);
  // `/v1/events/*` also matches `/v1/events` itself.
  app.use('/v1/events/*', requireApiKey, idempotency, auditLog);
  app.use('/v1/people', requireApiKey, idempotency, auditLog);
  // No idempotency here: a replayed answer would keep the new token in plain text.
  app.use('/v1/scim-tokens/*', requireApiKey, auditLog);
  app.use('/v1/sso-settings', requireApiKey, idempotency, auditLog);
  app.use('/v1/audit', requireApiKey);
  app.use('/v1/event-sites', requireApiKey, idempotency, auditLog);
  // `/v1/suppressions/*` also matches `/v1/suppressions` itself.
  app.use('/v1/suppressions/*', requireApiKey, idempotency, auditLog);
  // Before the rate limits: a preflight is answered here and counts for nothing.
  app.use('/v1/public/*', publicCors);
  // Creating and rotating answer a secret shown once: the idempotency layer keeps no copy of those.
  app.use('/v1/webhook-endpoints/*', requireApiKey, idempotency, auditLog);
  // SCIM writes land in the organization's audit log (actor "scim", no event); the SCIM router
  // authenticates the token, and this records after it answered.
  app.use('/scim/v2/*', auditLog);
  // Brute force on the public token endpoints meets a limit per client address.
  const perMinute = { limit: deps.publicRateLimitPerMinute ?? 30, windowSeconds: 60 };
  app.use('/v1/public/login', rateLimit({ name: 'login', ...perMinute }));
  app.use('/v1/public/registrations/confirm', rateLimit({ name: 'confirm', ...perMinute }));
  app.use('/v1/public/invitations/*', rateLimit({ name: 'accept', ...perMinute }));
  app.use('/v1/public/events/*/login-link', rateLimit({ name: 'login-link', ...perMinute }));
  app.use('/v1/public/events/*/registrations', rateLimit({ name: 'register', ...perMinute }));
  // Each start stores a login attempt: bounded like the token endpoints.
  app.use('/v1/sso/*/start', rateLimit({ name: 'sso-start', ...perMinute }));

  app.route('/', metaRouter);
  app.route('/', eventsRouter);
  app.route('/', eventSitesRouter);
  app.route('/', auditRouter);
  app.route('/', remindersRouter);
  app.route('/', attendeesRouter);
  app.route('/', importsRouter);
  app.route('/', bulkActionsRouter);
  app.route('/', publicRouter);
  // The attendee pages (HTML) at the paths the emails link to.
  app.route('/', pagesRouter);
  // The organizer console: pages over this same app, called in process as the signed-in key.
  app.route(
    '/console',
    createConsoleRouter((request, env) => app.fetch(request, env)),
  );
  app.route('/', consoleLinks);
  app.route('/', logoRouter);
  app.route('/', peopleRouter);
  app.route('/', imagesRouter);
  app.route('/', postmarkWebhookRouter);
  app.route('/', suppressionsRouter);
  app.route('/', unsubscribeRouter);
  app.route('/', webhookEndpointsRouter);
  app.route('/', scimTokensRouter);
  app.route('/', accessRouter);
  app.route('/', ssoRouter);
  app.route('/', codecRouter);
  app.route('/', scimRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'attendeeSession', {
    type: 'http',
    scheme: 'bearer',
    description: 'The session from POST /v1/public/login.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'scimToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A SCIM token of the organization (POST /v1/scim-tokens).',
  });
  app.doc31('/openapi.json', OPENAPI_CONFIG);
  app.route('/', docsRouter);

  app.notFound((c) =>
    problem(c, new ProblemError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`)),
  );
  app.onError((error, c) => {
    // An upload refused mid-stream (not UTF-8, too many rows, too large) leaves the rest of the
    // body unread on the socket: close it, so no client sends its next request into it.
    if (/^(text\/|application\/(csv|vnd\.ms-excel)|multipart\/)/i.test(c.req.header('content-type') ?? ''))
      c.header('connection', 'close');
    if (error instanceof ProblemError) return problem(c, error);
    // A workflow's business failure (an update refused, a rule not found): the one table maps it.
    const failure = failureProblem(error);
    if (failure) return problem(c, failure);
    if (error instanceof HTTPException) {
      const status = error.status;
      const code =
        status === 400
          ? 'malformed_request'
          : status === 413
            ? 'too_large'
            : status === 415
              ? 'unsupported_media_type'
              : `http_${status}`;
      return problem(c, new ProblemError(status, code, error.message || 'The request could not be handled.'));
    }
    // The route's pattern, never the path: public token routes carry a live token in it.
    deps.logger.error({ err: error, method: c.req.method, route: routePath(c, -1) }, 'unhandled error');
    return problem(c, new ProblemError(500, 'internal_error', 'Something went wrong on our side.'));
  });

  return app;
}
