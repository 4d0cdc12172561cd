import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../../activities/webhook.activities';
import { DEFAULT_IDLE_CHECK_MS, type DispatcherInput, wakeSignal } from './definitions';

// Deliveries in flight are leased in PostgreSQL: a retried activity (its worker died, its
// heartbeat stopped) claims them again once the lease has run out, so it may retry forever.
const { deliverDueWebhooks } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Never busy-polls: a loop that found nothing claimable sleeps at least this long. */
const MIN_WAIT_MS = 100;

/**
 * One workflow per endpoint (`webhook-endpoint/<id>`): runs the delivery activity while anything
 * is due, then sleeps until the next delivery is due, a `wake` signal (new events, a redelivery,
 * a change of the endpoint) or the idle check, whichever comes first. Ends when the endpoint is
 * deleted or disabled; the API starts it again on re-enable, and every wake starts it if needed.
 */
export async function webhookDispatcherWorkflow(input: DispatcherInput): Promise<void> {
  const idleMs = input.idleCheckMs ?? DEFAULT_IDLE_CHECK_MS;
  let woken = false;
  // Signal, because whoever wrote the deliveries does not wait for them to go out.
  setHandler(wakeSignal, () => {
    woken = true;
  });

  for (;;) {
    // Cleared before the run: a wake during it means rows it may have missed, so it runs again.
    woken = false;
    const result = await deliverDueWebhooks({ endpointId: input.endpointId });
    if (result.stop) break;
    if (!result.more && !woken) {
      const due = result.nextAt === null ? idleMs : Date.parse(result.nextAt) - Date.now();
      await condition(() => woken, Math.max(MIN_WAIT_MS, Math.min(idleMs, due)));
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof webhookDispatcherWorkflow>(input);
    }
  }
  await condition(allHandlersFinished);
}
