/**
 * The workflows' interceptors, bundled with them (worker/workflow-bundle.ts passes this module as
 * a workflow interceptor module). Deterministic: everything they decide comes from the headers
 * recorded in the history.
 *
 * - The request id: the API puts the id of the HTTP request in the header of every start,
 *   signal and update it sends (observability/temporal.ts). The workflow keeps the id of the
 *   latest message that carried one, adds it to its log lines, and passes it in the headers of
 *   the activities, child workflows and continue-as-new it schedules, whose log lines name it too.
 * - Traces: a message that carries a trace (`_tracer-data`, put there by the OpenTelemetry client
 *   interceptor when tracing is on) is handled by @temporalio/interceptors-opentelemetry's
 *   interceptors, and so is everything the workflow schedules once it has seen one. Workflows
 *   nobody traces never load the OpenTelemetry SDK (its modules would be evaluated per workflow).
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type {
  ActivateInput,
  ActivityInput,
  ContinueAsNewInput,
  DisposeInput,
  GetLogAttributesInput,
  LocalActivityInput,
  Next,
  QueryInput,
  SignalInput,
  SignalWorkflowInput,
  StartChildWorkflowExecutionInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The Temporal header carrying the id of the HTTP request a call belongs to. */
export const REQUEST_ID_HEADER = 'roster-request-id';
/** The header @temporalio/interceptors-opentelemetry carries a trace context in. */
export const TRACE_HEADER = '_tracer-data';

type Headers = Record<string, Payload>;
type OtelWorkflowModule = typeof import('@temporalio/interceptors-opentelemetry/lib/workflow');

/** A request id from a header, if it is one. */
export function requestIdOf(headers: Headers | undefined): string | undefined {
  const payload = headers?.[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Headers with the request id added. */
export const withRequestIdHeader = (headers: Headers, requestId: string | undefined): Headers =>
  requestId ? { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } : headers;

const carriesTrace = (headers: Headers | undefined) => headers?.[TRACE_HEADER] !== undefined;

/** One workflow's state (module state is per workflow too, but this keeps it in plain sight). */
class WorkflowTelemetry {
  requestId: string | undefined;
  traced = false;
  private otelModule: OtelWorkflowModule | undefined;
  private inbound: InstanceType<OtelWorkflowModule['OpenTelemetryInboundInterceptor']> | undefined;
  private outbound: InstanceType<OtelWorkflowModule['OpenTelemetryOutboundInterceptor']> | undefined;

  /** A message arrived: it names the request that sent it, and may carry a trace. */
  received(headers: Headers) {
    this.requestId = requestIdOf(headers) ?? this.requestId;
    if (carriesTrace(headers)) this.traced = true;
  }

  get loaded() {
    return this.otelModule !== undefined;
  }

  private otel(): OtelWorkflowModule {
    // webpack bundles it; evaluated only here, on the first traced call.
    this.otelModule ??= require('@temporalio/interceptors-opentelemetry/lib/workflow') as OtelWorkflowModule;
    return this.otelModule;
  }

  otelInbound() {
    this.inbound ??= new (this.otel().OpenTelemetryInboundInterceptor)();
    return this.inbound;
  }

  otelOutbound() {
    this.outbound ??= new (this.otel().OpenTelemetryOutboundInterceptor)();
    return this.outbound;
  }

  otelInternals() {
    return new (this.otel().OpenTelemetryInternalsInterceptor)();
  }
}

class Inbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly t: WorkflowTelemetry) {}

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    this.t.received(input.headers);
    return carriesTrace(input.headers) ? this.t.otelInbound().execute(input, next) : next(input);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
    this.t.received(input.headers);
    return carriesTrace(input.headers) ? this.t.otelInbound().handleSignal(input, next) : next(input);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) {
    this.t.received(input.headers);
    return carriesTrace(input.headers) ? this.t.otelInbound().handleUpdate(input, next) : next(input);
  }

  // A validator's update may be refused and then never reaches the history: it changes nothing here.
  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>) {
    return carriesTrace(input.headers) ? this.t.otelInbound().validateUpdate(input, next) : next(input);
  }

  // Queries are read-only: they change nothing here either.
  handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>) {
    return carriesTrace(input.headers) ? this.t.otelInbound().handleQuery(input, next) : next(input);
  }
}

class Outbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly t: WorkflowTelemetry) {}

  private tagged<T extends { headers: Headers }>(input: T): T {
    return { ...input, headers: withRequestIdHeader(input.headers, this.t.requestId) };
  }

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const tagged = this.tagged(input);
    return this.t.traced ? this.t.otelOutbound().scheduleActivity(tagged, next) : next(tagged);
  }

  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    const tagged = this.tagged(input);
    return this.t.traced ? this.t.otelOutbound().scheduleLocalActivity(tagged, next) : next(tagged);
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ) {
    const tagged = this.tagged(input);
    return this.t.traced ? this.t.otelOutbound().startChildWorkflowExecution(tagged, next) : next(tagged);
  }

  continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) {
    const tagged = this.tagged(input);
    return this.t.traced ? this.t.otelOutbound().continueAsNew(tagged, next) : next(tagged);
  }

  signalWorkflow(input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>) {
    const tagged = this.tagged(input);
    return this.t.traced ? this.t.otelOutbound().signalWorkflow(tagged, next) : next(tagged);
  }

  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ) {
    const attributes = this.t.requestId ? { ...input, requestId: this.t.requestId } : input;
    return this.t.traced ? this.t.otelOutbound().getLogAttributes(attributes, next) : next(attributes);
  }
}

class Internals implements WorkflowInternalsInterceptor {
  constructor(private readonly t: WorkflowTelemetry) {}

  // Before any job runs, so the SDK's own lines ("Workflow started") name the request too.
  // Updates are left to handleUpdate: one refused by its validator never reaches the history.
  activate(input: ActivateInput, next: Next<WorkflowInternalsInterceptor, 'activate'>) {
    for (const job of input.activation.jobs ?? []) {
      const headers = job.initializeWorkflow?.headers ?? job.signalWorkflow?.headers;
      if (headers) this.t.requestId = requestIdOf(headers as Headers) ?? this.t.requestId;
    }
    return next(input);
  }

  dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>) {
    // The OpenTelemetry context manager of a traced workflow is released with it.
    if (this.t.loaded) return this.t.otelInternals().dispose(input, next);
    return next(input);
  }
}

export const interceptors = (): WorkflowInterceptors => {
  const telemetry = new WorkflowTelemetry();
  return {
    inbound: [new Inbound(telemetry)],
    outbound: [new Outbound(telemetry)],
    internals: [new Internals(telemetry)],
  };
};
