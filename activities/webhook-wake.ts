import { log } from '@temporalio/activity';
import type { WebhookWakes } from '../db/writes/webhook-events';
import type { ActivityDeps } from './deps';

/**
 * Wakes the dispatchers of endpoints that got deliveries in a transaction that has committed. A
 * wake that fails is only logged: the dispatcher's idle check finds the deliveries all the same.
 */
export async function wakeWebhooks(deps: Pick<ActivityDeps, 'wakeWebhooks'>, wakes: WebhookWakes) {
  if (wakes.size === 0 || !deps.wakeWebhooks) return;
  try {
    await deps.wakeWebhooks(wakes);
  } catch (error) {
    log.warn('webhook dispatchers not woken; their idle check will find the deliveries', {
      error: String(error),
    });
  }
}
