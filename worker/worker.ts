import path from 'node:path';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities/attendee.activities';
import { createReminderActivities } from '../activities/reminder.activities';

export const workflowsPath = path.resolve(import.meta.dirname, '../workflows/index.ts');

export interface WorkerConfig {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  activityDeps: ActivityDeps;
  /** A prebuilt bundle (tests build it once); otherwise the worker bundles `workflows/` at start. */
  workflowBundle?: WorkflowBundleOption;
}

/** Connects and builds a worker; `worker.run()` polls until `worker.shutdown()`. */
export async function createWorker(config: WorkerConfig) {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    activities: {
      ...createActivities(config.activityDeps),
      ...createReminderActivities(config.activityDeps),
    },
    ...(config.workflowBundle ? { workflowBundle: config.workflowBundle } : { workflowsPath }),
  });
  return { worker, connection };
}
