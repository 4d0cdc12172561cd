/**
 * Per request: one id (`X-Request-Id`: a trusted proxy's, else a new one; echoed in the answer),
 * kept for everything the request runs (observability/request-context.ts: log lines, the Temporal
 * calls it makes); a server span named after the route pattern when tracing is on; the request
 * metrics; and one log line. Route patterns only, never paths: paths can carry link tokens.
 */
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { requestIdFor, withRequestId } from '../observability/request-context';
import { normalizeAddress, trustedProxyList } from './client-address';
import type { AppDeps, AppEnv } from './context';

/** Probes are answered every few seconds: their lines are debug. */
const QUIET_ROUTES = new Set(['/health', '/ready']);

const headerGetter = {
  keys: (carrier: Headers) => [...carrier.keys()],
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
};

export function requestTelemetry(deps: AppDeps) {
  const trusted = trustedProxyList(deps.trustedProxies ?? []);
  /** Whether the peer is one of TRUSTED_PROXIES, whose X-Request-Id is taken. */
  const fromTrustedProxy = (c: Context<AppEnv>) => {
    if (!trusted) return false;
    let address: string | null = null;
    try {
      address = normalizeAddress(getConnInfo(c).remote.address);
    } catch {
      address = null;
    }
    return address !== null && trusted.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  };

  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const method = c.req.method;
    const requestId = requestIdFor(c.req.header('x-request-id'), fromTrustedProxy(c));
    const { metrics, tracer } = deps;
    metrics?.httpRequestsInFlight.inc();
    const parent = tracer ? propagation.extract(context.active(), c.req.raw.headers, headerGetter) : null;
    const span =
      tracer && parent
        ? tracer.startSpan(
            method,
            {
              kind: SpanKind.SERVER,
              attributes: { 'http.request.method': method, 'roster.request_id': requestId },
            },
            parent,
          )
        : null;
    const handle = async () => {
      try {
        await next();
      } finally {
        const route = routePath(c, -1);
        const status = c.res.status;
        const seconds = (performance.now() - started) / 1000;
        metrics?.httpRequestsInFlight.dec();
        metrics?.httpRequestDuration.observe({ method, route, status: String(status) }, seconds);
        if (span) {
          span.updateName(`${method} ${route}`);
          span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
        const line = { requestId, method, route, status, ms: Math.round(seconds * 1000) };
        if (QUIET_ROUTES.has(route)) deps.logger.debug(line, 'request');
        else deps.logger.info(line, 'request');
      }
    };
    // Everything the request runs sees its id (and its span): log lines, Temporal headers.
    await withRequestId(requestId, () =>
      span && parent ? context.with(trace.setSpan(parent, span), handle) : handle(),
    );
    c.header('x-request-id', requestId);
  });
}
