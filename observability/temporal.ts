/**
 * Logs, request ids, traces and metrics through the Temporal SDK, outside the workflow sandbox:
 * - the runtime (`installTemporalRuntime`): the SDK's logger is pino (observability/logger.ts),
 *   Core's own lines forwarded to it, and its Prometheus exporter on WORKER_METRICS_ADDRESS;
 * - client interceptors (the API's client and the worker's, which activities use to start
 *   workflows): the current request id into every start, signal and update, and a trace with
 *   @temporalio/interceptors-opentelemetry when tracing is on;
 * - activity interceptors: the request id from the workflow's header into the activity's log lines
 *   and into what the activity itself starts; the activity's span when tracing is on;
 * - the sink that takes the spans workflows make (workflows/interceptors.ts) to the exporter.
 */
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type {
  Next,
  WorkflowClientInterceptor,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateWithStartInput,
} from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import {
  type ActivityInterceptorsFactory,
  type InjectedSinks,
  makeTelemetryFilterString,
  Runtime,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import { requestIdOf, withRequestIdHeader } from '../workflows/interceptors';
import { temporalLogger } from './logger';
import { acceptableRequestId, currentRequestId, withRequestId } from './request-context';
import type { Tracing } from './tracing';

/**
 * Installs the SDK's runtime once per process, before any connection or worker: its log lines
 * (the SDK's, Core's, every workflow's and activity's `log`) go to `logger`; with
 * `metricsAddress` (`host:port`) its worker metrics are served for Prometheus there.
 */
export function installTemporalRuntime(
  logger: Logger,
  options: {
    metricsAddress?: string;
    /** Signals on which the SDK stops workers by itself (default SIGINT, SIGTERM, …); `[]`: the caller does. */
    shutdownSignals?: NodeJS.Signals[];
  } = {},
) {
  Runtime.install({
    logger: temporalLogger(logger),
    ...(options.shutdownSignals ? { shutdownSignals: options.shutdownSignals } : {}),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
      ...(options.metricsAddress ? { metrics: { prometheus: { bindAddress: options.metricsAddress } } } : {}),
    },
  });
}

/** Puts the current request's id in the headers of each start, signal and update. */
class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>) {
    return next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) });
  }
  startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>) {
    return next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) });
  }
  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>) {
    return next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) });
  }
  signalWithStart(
    input: WorkflowSignalWithStartInput,
    next: Next<WorkflowClientInterceptor, 'signalWithStart'>,
  ) {
    return next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) });
  }
  startUpdate(input: WorkflowStartUpdateInput, next: Next<WorkflowClientInterceptor, 'startUpdate'>) {
    return next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) });
  }
  startUpdateWithStart(
    input: WorkflowStartUpdateWithStartInput,
    next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>,
  ) {
    const requestId = currentRequestId();
    return next({
      ...input,
      workflowStartHeaders: withRequestIdHeader(input.workflowStartHeaders, requestId),
      updateHeaders: withRequestIdHeader(input.updateHeaders, requestId),
    });
  }
}

/** The workflow client interceptors of every client Roster makes (`Client({ interceptors: { workflow } })`). */
export function workflowClientInterceptors(tracing?: Tracing): WorkflowClientInterceptor[] {
  return [
    new RequestIdClientInterceptor(),
    // Runs inside the request-id one, so its span covers the call as sent.
    ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : []),
  ];
}

/** The worker's activity interceptors: the request id, and with tracing each activity's span. */
export function activityInterceptors(tracing?: Tracing): ActivityInterceptorsFactory[] {
  const requestIds: ActivityInterceptorsFactory = () => {
    let requestId: string | undefined;
    return {
      inbound: {
        execute(input, next) {
          requestId = acceptableRequestId(requestIdOf(input.headers));
          // What the activity starts (the bulk invite's attendee workflows) belongs to the same request.
          return requestId ? withRequestId(requestId, () => next(input)) : next(input);
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          return next(requestId ? { ...input, requestId } : input);
        },
      },
    };
  };
  if (!tracing) return [requestIds];
  const options = { tracer: tracing.tracer };
  return [
    requestIds,
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}

/**
 * The sink traced workflows hand their spans to. Registered whether or not this worker traces:
 * a workflow is traced when the call that reached it carried a trace (another process may trace).
 */
export function workflowSinks(tracing?: Tracing): InjectedSinks<Record<string, never>> {
  return {
    exporter: makeWorkflowExporter(
      tracing?.spanProcessor ?? new NoopSpanProcessor(),
      tracing?.resource ?? Resource.empty(),
    ),
  } as unknown as InjectedSinks<Record<string, never>>;
}
