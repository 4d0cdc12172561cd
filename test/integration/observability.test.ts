import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../observability/logger';
import { addDatabaseGauges, createMetrics, type Metrics, serveMetrics } from '../../observability/metrics';
import { workflowSinks } from '../../observability/temporal';
import { startTracing, type Tracing } from '../../observability/tracing';
import { freePort } from '../support/processes';
import { eventually, type Stack, sampleEvent, startStack, WEBHOOK_TOKEN } from '../support/stack';

// Every log line of the stack, the SDK's, workflows' and activities' included, as JSON.
const lines: Record<string, unknown>[] = [];
const exporter = new InMemorySpanExporter();
let metrics: Metrics;
let tracing: Tracing;
let metricsUrl: string;
let closeMetrics: () => void;
let stack: Stack;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  metrics = createMetrics();
  tracing = startTracing({ serviceName: 'roster-test', exporter, immediate: true });
  stack = await startStack({
    logger: createLogger({ LOG_LEVEL: 'debug' }, sink),
    telemetry: { metrics, tracing },
    // The test's requests come from 127.0.0.1: here a trusted proxy (start:api's test: not trusted).
    app: { trustedProxies: ['127.0.0.1'] },
  });
  addDatabaseGauges(metrics, stack.orm);
  const port = await freePort();
  const server = await serveMetrics(metrics.registry, port);
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  closeMetrics = () => server.close();
});
afterAll(async () => {
  closeMetrics?.();
  await stack?.close();
});

async function inviteWithRequestId(requestId: string, email: string) {
  const { client } = await stack.createOrganization();
  const eventId = (await client('POST', '/v1/events', sampleEvent())).json.id as string;
  const invited = await client(
    'POST',
    `/v1/events/${eventId}/attendees`,
    { email, firstName: 'Obs', lastName: 'Erver' },
    { 'x-request-id': requestId },
  );
  expect(invited.status).toBe(201);
  return { client, eventId, invited };
}

describe('request ids', () => {
  it('answers with the id a trusted proxy sent, or a new one, on every answer', async () => {
    const open = stack.client();
    const taken = await open('GET', '/health', undefined, { 'x-request-id': 'lb-1234' });
    expect(taken.headers.get('x-request-id')).toBe('lb-1234');
    // A malformed id (spaces, too long) is replaced, even from a trusted proxy.
    const replaced = await open('GET', '/v1/languages', undefined, { 'x-request-id': 'a b' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const errors = await open('GET', '/v1/events');
    expect(errors.status).toBe(401);
    const [first, second] = [errors.headers.get('x-request-id'), replaced.headers.get('x-request-id')];
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
    const line = await eventually(() => lines.find((l) => l.msg === 'request' && l.requestId === first));
    expect(line).toMatchObject({ method: 'GET', route: '/v1/events', status: 401 });
  });

  it('carries the request id into the logs of the workflow and the activities the request started', async () => {
    const requestId = `req-${Date.now()}`;
    const { client, eventId, invited } = await inviteWithRequestId(requestId, 'logged@example.org');
    await eventually(() => stack.postmark.messages.find((m) => m.To === 'logged@example.org'));
    // The request's own line, with the route pattern.
    expect(lines.find((l) => l.msg === 'request' && l.requestId === requestId)).toMatchObject({
      method: 'POST',
      route: '/v1/events/:eventId/attendees',
      status: 201,
    });
    // The attendee workflow's lines and the email activity's, through the SDK's runtime logger.
    const workflowLine = await eventually(() =>
      lines.find((l) => l.msg === 'Workflow started' && l.workflowType === 'attendeeWorkflow' && l.runId),
    );
    expect(workflowLine.requestId).toBe(requestId);
    const activityLine = await eventually(() =>
      lines.find((l) => l.activityType === 'sendAttendeeEmail' && l.requestId === requestId),
    );
    expect(activityLine.workflowId).toBe(workflowLine.workflowId);
    // A later request to the same workflow: what it starts names the later id.
    const later = `req-later-${Date.now()}`;
    const resend = await client(
      'POST',
      `/v1/events/${eventId}/attendees/${invited.json.id}/actions/resend_email`,
      undefined,
      { 'x-request-id': later },
    );
    expect(resend.status).toBe(200);
    const resent = await eventually(() =>
      lines.find((l) => l.activityType === 'sendAttendeeEmail' && l.requestId === later),
    );
    expect(resent.workflowId).toBe(workflowLine.workflowId);
  });
});

describe('traces', () => {
  it('shows one trace from the HTTP invite through the attendee workflow to the email send', async () => {
    const requestId = `trace-${Date.now()}`;
    await inviteWithRequestId(requestId, 'traced@example.org');
    await eventually(() => stack.postmark.messages.find((m) => m.To === 'traced@example.org'));
    const spans = () => exporter.getFinishedSpans();
    const http = await eventually(() =>
      spans().find((s) => s.attributes['roster.request_id'] === requestId && s.kind === 1),
    );
    expect(http.name).toBe('POST /v1/events/:eventId/attendees');
    expect(http.attributes['http.route']).toBe('/v1/events/:eventId/attendees');
    expect(http.attributes['http.response.status_code']).toBe(201);
    const traceId = http.spanContext().traceId;
    // The request's log line names the trace too.
    expect(lines.find((l) => l.msg === 'request' && l.requestId === requestId)?.trace_id).toBe(traceId);
    const inTrace = (name: string) => (s: ReadableSpan) =>
      s.spanContext().traceId === traceId && s.name.startsWith(name);
    // API: the signal-with-start; worker: the workflow's handling and its activity, then the send.
    const signalWithStart = await eventually(() => spans().find(inTrace('SignalWithStartWorkflow:')));
    const startActivity = await eventually(() => spans().find(inTrace('StartActivity:sendAttendeeEmail')));
    const runActivity = await eventually(() => spans().find(inTrace('RunActivity:sendAttendeeEmail')));
    expect(signalWithStart.parentSpanId).toBe(http.spanContext().spanId);
    expect(runActivity.parentSpanId).toBe(startActivity.spanContext().spanId);
    expect(spans().filter((s) => s.spanContext().traceId === traceId).length).toBeGreaterThanOrEqual(4);
    // Another request is another trace.
    const other = spans().find((s) => s.kind === 1 && s.spanContext().traceId !== traceId);
    expect(other).toBeDefined();
    // The traced history replays against the workflow code (the interceptors are deterministic).
    const workflowId = runActivity.attributes.temporalWorkflowId as string;
    expect(workflowId).toMatch(/^attendee\//);
    const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
    await Worker.runReplayHistory({ ...stack.replayOptions(), sinks: workflowSinks(tracing) }, history);
  });
});

describe('metrics', () => {
  it('counts requests by route pattern, never by path, and the emails sent', async () => {
    const { client, eventId } = await inviteWithRequestId(`metrics-${Date.now()}`, 'counted@example.org');
    const sent = await eventually(() => stack.postmark.messages.find((m) => m.To === 'counted@example.org'));
    // Postmark reports a soft bounce: counted once it is applied to the email.
    await eventually(async () => {
      const res = await fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`postmark:${WEBHOOK_TOKEN}`).toString('base64')}`,
        },
        body: JSON.stringify({ RecordType: 'Bounce', Type: 'SoftBounce', MessageID: sent.MessageID }),
      });
      return ((await res.json()) as { updated: number }).updated === 1 ? true : undefined;
    });
    const token = 'made-up-token-that-must-not-be-a-label-0123456789';
    await stack.client()('POST', `/v1/public/invitations/${token}/accept`, {});
    await client('GET', `/v1/events/${eventId}`);
    const text = await eventually(async () => {
      const body = await (await fetch(metricsUrl)).text();
      return /roster_emails_sent_total\{kind="invitation"\} [1-9]/.test(body) ? body : undefined;
    });
    expect(text).toMatch(
      /roster_http_request_duration_seconds_count\{method="POST",route="\/v1\/events\/:eventId\/attendees",status="201"\} [1-9]/,
    );
    expect(text).toMatch(/route="\/v1\/public\/invitations\/:token\/accept"/);
    expect(text).toMatch(/route="\/v1\/events\/:eventId",status="200"/);
    expect(text).not.toContain(eventId);
    expect(text).not.toContain(token);
    expect(text).toMatch(/roster_emails_bounced_total 1\b/);
    expect(text).toMatch(/roster_imports\{status="validated"\} \d+/);
    expect(text).toMatch(/roster_bulk_actions\{action="block",status="running"\} \d+/);
    expect(text).toContain('roster_process_cpu_seconds_total');
  });
});
