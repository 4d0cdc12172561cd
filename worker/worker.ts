import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createAccessActivities } from '../activities/access.activities';
import { createActivities } from '../activities/attendee.activities';
import type { ActivityDeps } from '../activities/deps';
import { createImportActivities } from '../activities/import.activities';
import { createReminderActivities } from '../activities/reminder.activities';
import { prebuiltWorkflowBundle } from './workflow-bundle';

export interface WorkerConfig {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  activityDeps: ActivityDeps;
  /** The workflow code; by default the cached bundle of `workflows/` (built when out of date). */
  workflowBundle?: WorkflowBundleOption;
  maxCachedWorkflows?: number;
  /** Encrypts what the worker sends to Temporal (config/payload-codec); runs outside the workflow sandbox. */
  payloadCodec?: PayloadCodec;
}

/** Connects and builds a worker; `worker.run()` polls until `worker.shutdown()`. */
export async function createWorker(config: WorkerConfig) {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // The bulk invite's activities start attendee workflows: a client of the same server.
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const dataConverter = config.payloadCodec ? { payloadCodecs: [config.payloadCodec] } : undefined;
  const temporal = new Client({ connection: clientConnection, namespace: config.namespace, dataConverter });
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    dataConverter,
    // Attendee workflows live long and sit idle: a bounded cache keeps memory flat; an evicted
    // workflow replays its (short) history on its next message.
    maxCachedWorkflows: config.maxCachedWorkflows ?? 200,
    activities: {
      ...createActivities(config.activityDeps),
      ...createReminderActivities(config.activityDeps),
      ...createAccessActivities(config.activityDeps),
      ...createImportActivities({ ...config.activityDeps, temporal, taskQueue: config.taskQueue }),
    },
    workflowBundle: config.workflowBundle ?? (await prebuiltWorkflowBundle()),
  });
  return { worker, connection, clientConnection };
}
