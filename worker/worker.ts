import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createAccessActivities } from '../activities/access.activities';
import { createActivities } from '../activities/attendee.activities';
import { type BulkActionFaults, createBulkActionActivities } from '../activities/bulk-action.activities';
import type { ActivityDeps } from '../activities/deps';
import { createImportActivities } from '../activities/import.activities';
import { createReminderActivities } from '../activities/reminder.activities';
import { createWebhookActivities } from '../activities/webhook.activities';
import { ensureSearchAttributes } from '../config/search-attributes';
import type { TemporalConnection } from '../config/temporal-connection';
import { activityInterceptors, workflowClientInterceptors, workflowSinks } from '../observability/temporal';
import type { Tracing } from '../observability/tracing';
import { wakeDispatchers } from '../workflows/webhooks/definitions';
import { prebuiltWorkflowBundle } from './workflow-bundle';

export interface WorkerConfig {
  temporalAddress: string;
  /** TLS and API key for a Temporal cluster (config/temporal-connection.ts); absent for the dev server. */
  temporalAuth?: Omit<TemporalConnection, 'address'>;
  namespace: string;
  taskQueue: string;
  activityDeps: ActivityDeps;
  /** The workflow code; by default the cached bundle of `workflows/` (built when out of date). */
  workflowBundle?: WorkflowBundleOption;
  maxCachedWorkflows?: number;
  /** Encrypts what the worker sends to Temporal (config/payload-codec); runs outside the workflow sandbox. */
  payloadCodec?: PayloadCodec;
  /** Test-only fault injection into the bulk actions' pages. */
  bulkActionFaults?: BulkActionFaults;
  /** With tracing on: activities' spans, and the sink for the spans of traced workflows. */
  tracing?: Tracing;
}

/** Connects and builds a worker; `worker.run()` polls until `worker.shutdown()`. */
export async function createWorker(config: WorkerConfig) {
  const target = { address: config.temporalAddress, ...config.temporalAuth };
  const connection = await NativeConnection.connect(target);
  // The bulk invite's and bulk actions' activities start and command attendee workflows: a client
  // of the same server (over grpc-js: a native connection of its own was measured, no faster).
  const clientConnection = await Connection.connect(target);
  // A workflow that sets an unknown search attribute fails its task: none runs without them.
  await ensureSearchAttributes(clientConnection, config.namespace);
  const dataConverter = config.payloadCodec ? { payloadCodecs: [config.payloadCodec] } : undefined;
  const temporal = new Client({
    connection: clientConnection,
    namespace: config.namespace,
    dataConverter,
    // What an activity starts carries its request id (and trace).
    interceptors: { workflow: workflowClientInterceptors(config.tracing) },
  });
  // Activities that write webhook events wake the endpoints' dispatchers through the same client.
  const activityDeps: ActivityDeps = {
    ...config.activityDeps,
    wakeWebhooks: (endpointIds) => wakeDispatchers(temporal, config.taskQueue, endpointIds),
  };
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    dataConverter,
    // Attendee workflows live long and sit idle: a bounded cache keeps memory flat; an evicted
    // workflow replays its (short) history on its next message.
    maxCachedWorkflows: config.maxCachedWorkflows ?? 200,
    activities: {
      ...createActivities(activityDeps),
      ...createReminderActivities(activityDeps),
      ...createWebhookActivities(activityDeps),
      ...createAccessActivities(activityDeps),
      ...createImportActivities({ ...activityDeps, temporal, taskQueue: config.taskQueue }),
      ...createBulkActionActivities({
        ...activityDeps,
        temporal,
        taskQueue: config.taskQueue,
        ...(config.bulkActionFaults ? { faults: config.bulkActionFaults } : {}),
      }),
    },
    workflowBundle: config.workflowBundle ?? (await prebuiltWorkflowBundle()),
    // The bundle carries the workflow interceptors (workflows/interceptors.ts); these are the activities'.
    interceptors: { activity: activityInterceptors(config.tracing) },
    sinks: workflowSinks(config.tracing),
  });
  return { worker, connection, clientConnection };
}
