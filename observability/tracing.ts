/**
 * OpenTelemetry traces: on when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP over HTTP, batched),
 * off otherwise, and then nothing is installed at all: no tracer provider, no Temporal tracing
 * interceptors, no span per request (workflows/interceptors.ts traces a workflow only when the
 * call that reached it carried a trace).
 */
import { type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Env } from '../config/env';

export interface Tracing {
  tracer: Tracer;
  /** Where spans go; the worker hands its workflows' spans (made in the sandbox) to it too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes the spans not exported yet. */
  shutdown(): Promise<void>;
}

let registered = false;

/**
 * A tracer provider over `exporter`, registered as the process's OpenTelemetry provider (with
 * AsyncLocalStorage context and W3C trace-context propagation), once per process.
 */
export function startTracing(options: {
  serviceName: string;
  exporter: SpanExporter;
  /** Export each span as it ends (tests) instead of in batches. */
  immediate?: boolean;
}): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const spanProcessor = options.immediate
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(options.exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  if (!registered) {
    provider.register({
      contextManager: new AsyncLocalStorageContextManager().enable(),
      propagator: new W3CTraceContextPropagator(),
    });
    registered = true;
  }
  return {
    tracer: provider.getTracer('roster'),
    spanProcessor,
    resource,
    shutdown: () => provider.shutdown(),
  };
}

/** Traces to the collector at OTEL_EXPORTER_OTLP_ENDPOINT (`…/v1/traces`); undefined when it is unset. */
export function tracingFromEnv(
  env: Pick<Env, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>,
): Tracing | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const url = `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return startTracing({ serviceName: env.OTEL_SERVICE_NAME, exporter: new OTLPTraceExporter({ url }) });
}

/** The active span's trace id, for log lines and tests; undefined outside a span. */
export const activeTraceId = () => trace.getActiveSpan()?.spanContext().traceId;
