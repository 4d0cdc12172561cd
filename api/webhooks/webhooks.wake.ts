import type { WebhookWakes } from '../../db/writes/webhook-events';
import { wakeDispatchers } from '../../workflows/webhooks/definitions';
import type { AppDeps } from '../context';

/**
 * Wakes the dispatchers of endpoints that got deliveries in a transaction that has committed. A
 * wake that fails is logged, not answered as an error: the change is stored, and the dispatcher's
 * idle check finds the deliveries all the same.
 */
export async function wakeEndpoints(
  deps: Pick<AppDeps, 'temporal' | 'taskQueue' | 'logger'>,
  wakes: WebhookWakes,
): Promise<void> {
  if (wakes.size === 0) return;
  try {
    await wakeDispatchers(deps.temporal, deps.taskQueue, wakes);
  } catch (error) {
    deps.logger.warn(
      { err: error },
      'webhook dispatchers not woken; their idle check will find the deliveries',
    );
  }
}
