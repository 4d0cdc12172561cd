import type { Client } from '@temporalio/client';
import { defineSignal } from '@temporalio/workflow';

/**
 * The webhook dispatcher's contract: one long-lived workflow per endpoint delivers its due
 * deliveries in batches (activities/webhook.activities.ts). The API and the activities that
 * write webhook events wake it once their transaction has committed.
 */

/** One dispatcher per endpoint, so every wake of an endpoint meets the same workflow. */
export const dispatcherWorkflowId = (endpointId: string) => `webhook-endpoint/${endpointId}`;

export const WEBHOOK_DISPATCHER_TYPE = 'webhookDispatcherWorkflow';

export interface DispatcherInput {
  endpointId: string;
  /** The safety net when no wake comes (a process that stopped between its commit and the wake). */
  idleCheckMs?: number;
}

/** Five minutes: a lost wake delays a delivery by at most this much. */
export const DEFAULT_IDLE_CHECK_MS = 5 * 60 * 1000;

/** Signal: deliveries may be due (new events, a redelivery, the endpoint changed); the caller does not wait. */
export const wakeSignal = defineSignal<[]>('wake');

/**
 * Wakes the dispatchers of these endpoints, starting any that is not running (signal-with-start).
 * Call it after the transaction that wrote their deliveries has committed.
 */
export async function wakeDispatchers(
  temporal: Client,
  taskQueue: string,
  endpointIds: Iterable<string>,
): Promise<void> {
  await Promise.all(
    [...new Set(endpointIds)].map((endpointId) =>
      temporal.workflow.signalWithStart(WEBHOOK_DISPATCHER_TYPE, {
        workflowId: dispatcherWorkflowId(endpointId),
        taskQueue,
        args: [{ endpointId } satisfies DispatcherInput],
        signal: wakeSignal,
        signalArgs: [],
      }),
    ),
  );
}
