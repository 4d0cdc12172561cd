import { randomUUID } from 'node:crypto';
import { checkEndpointUrl } from '../../activities/webhook-http';
import {
  findDelivery,
  findEndpoint,
  listDeliveries as listDeliveryRows,
  listEndpoints as listEndpointRows,
  toDeliveryDto,
  toEndpointDto,
} from '../../db/queries/webhooks';
import { liftBackoff, redeliver as redeliverRow } from '../../db/writes/webhook-deliveries';
import {
  deleteEndpoint as deleteEndpointRow,
  insertEndpoint,
  rotateSecret as rotateSecretRow,
  updateEndpoint,
} from '../../db/writes/webhook-endpoints';
import { type WebhookWakes, writeWebhookEvents } from '../../db/writes/webhook-events';
import { newWebhookSecret, SECRET_OVERLAP_HOURS, TEST_EVENT_TYPE } from '../../domain/webhooks';
import { dispatcherWorkflowId, wakeSignal } from '../../workflows/webhooks/definitions';
import type { AppDeps, AppEnv } from '../context';
import { notFound, ProblemError } from '../problem';
import type { AppRouteHandler } from '../router';
import { decodeCursor, encodeCursor } from '../schemas';
import type * as routes from './webhook-endpoints.routes';
import { wakeEndpoints } from './webhooks.wake';

const SORT = 'createdAt';

function webhookSettings(deps: AppDeps) {
  if (!deps.webhooks) throw new ProblemError(501, 'not_implemented', 'Webhooks are not configured here.');
  return deps.webhooks;
}

/** The URL as saveable: 422 for a malformed one, 409 `webhook_url_not_allowed` for a non-public host. */
async function assertUrlAllowed(deps: AppDeps, url: string) {
  const check = await checkEndpointUrl(url, {
    allowPrivateNetworks: webhookSettings(deps).allowPrivateNetworks,
  });
  if (check.ok) return;
  if (check.problem === 'not_allowed') throw new ProblemError(409, 'webhook_url_not_allowed', check.detail);
  throw new ProblemError(422, 'validation_failed', check.detail, [
    {
      path: 'url',
      code: check.problem === 'unresolvable' ? 'unresolvable_host' : 'invalid_url',
      message: check.detail,
    },
  ]);
}

async function endpointOr404(c: { var: AppEnv['Variables'] }, endpointId: string) {
  const row = await findEndpoint(c.var.em, c.var.organizationId, endpointId);
  if (!row) throw notFound('The webhook endpoint');
  return row;
}

export const create: AppRouteHandler<typeof routes.createEndpoint> = async (c) => {
  const body = c.req.valid('json');
  const { deps } = c.var;
  const { secrets } = webhookSettings(deps);
  await assertUrlAllowed(deps, body.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  await insertEndpoint(c.var.em, {
    id,
    organizationId: c.var.organizationId,
    url: body.url,
    description: body.description || null,
    eventTypes: body.events,
    secretSealed: secrets.seal(secret, id),
  });
  // Its dispatcher runs from the start; every later event wakes it (and starts it if need be).
  await wakeEndpoints(deps, new Set([id]));
  const row = await endpointOr404(c, id);
  c.set('secretAnswer', true);
  return c.json({ ...toEndpointDto(row), secret }, 201);
};

export const list: AppRouteHandler<typeof routes.listEndpoints> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const after = cursor ? decodeCursor(cursor, SORT) : null;
  if (cursor && !after)
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  const page = await listEndpointRows(c.var.em, c.var.organizationId, limit, after);
  const last = page.items.at(-1);
  return c.json(
    {
      items: page.items.map(toEndpointDto),
      nextCursor: page.hasMore && last ? encodeCursor(SORT, last.created_key, last.id) : null,
      total: page.total,
    },
    200,
  );
};

export const get: AppRouteHandler<typeof routes.getEndpoint> = async (c) => {
  const row = await endpointOr404(c, c.req.valid('param').endpointId);
  return c.json(toEndpointDto(row), 200);
};

export const patch: AppRouteHandler<typeof routes.patchEndpoint> = async (c) => {
  const { endpointId } = c.req.valid('param');
  const body = c.req.valid('json');
  const { deps, em, organizationId } = c.var;
  if (body.url !== undefined) await assertUrlAllowed(deps, body.url);
  const result = await em.transactional((tx) =>
    updateEndpoint(tx, organizationId, endpointId, {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.description !== undefined ? { description: body.description || null } : {}),
      ...(body.events !== undefined ? { eventTypes: body.events } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    }),
  );
  if (!result.found) throw notFound('The webhook endpoint');
  // Re-enabled: its dispatcher (which ended when it was disabled) starts again on the pending
  // deliveries. Any other change: the running dispatcher takes it from its next claim.
  if (result.reenabled || body.enabled === false) await wakeEndpoints(deps, new Set([endpointId]));
  const row = await endpointOr404(c, endpointId);
  return c.json(toEndpointDto(row), 200);
};

export const remove: AppRouteHandler<typeof routes.deleteEndpoint> = async (c) => {
  const { endpointId } = c.req.valid('param');
  const { deps, em, organizationId } = c.var;
  if (!(await deleteEndpointRow(em, organizationId, endpointId))) throw notFound('The webhook endpoint');
  // A dispatcher asleep would notice only at its next check: woken, it finds the endpoint gone and ends.
  await deps.temporal.workflow
    .getHandle(dispatcherWorkflowId(endpointId))
    .signal(wakeSignal)
    .catch(() => undefined);
  return c.body(null, 204);
};

export const rotate: AppRouteHandler<typeof routes.rotateSecret> = async (c) => {
  const { endpointId } = c.req.valid('param');
  const { secrets } = webhookSettings(c.var.deps);
  const secret = newWebhookSecret();
  const expires = new Date(Date.now() + SECRET_OVERLAP_HOURS * 3_600_000);
  const rotated = await rotateSecretRow(
    c.var.em,
    c.var.organizationId,
    endpointId,
    secrets.seal(secret, endpointId),
    expires,
  );
  if (!rotated) throw notFound('The webhook endpoint');
  const row = await endpointOr404(c, endpointId);
  c.set('secretAnswer', true);
  return c.json({ ...toEndpointDto(row), secret }, 200);
};

function assertEnabled(row: { enabled: boolean; disabled_reason: string | null }) {
  if (!row.enabled) {
    throw new ProblemError(
      409,
      'webhook_endpoint_disabled',
      `The endpoint is disabled (${row.disabled_reason ?? 'no reason stored'}); re-enable it with PATCH { "enabled": true } first.`,
    );
  }
}

export const test: AppRouteHandler<typeof routes.sendTestEvent> = async (c) => {
  const { endpointId } = c.req.valid('param');
  const { deps, em, organizationId } = c.var;
  const row = await endpointOr404(c, endpointId);
  assertEnabled(row);
  const wakes: WebhookWakes = new Set();
  // The delivery is read in the transaction that queued it: once woken, the endpoint's
  // workflow may deliver it before a later read, and the answer is "on its way".
  const delivery = await em.transactional(async (tx) => {
    const [written] = await writeWebhookEvents(
      tx,
      organizationId,
      [
        {
          type: TEST_EVENT_TYPE,
          sourceKey: `test/${randomUUID()}`,
          data: { endpointId, message: 'A test event from Roster: this endpoint receives its webhooks.' },
        },
      ],
      wakes,
      endpointId,
    );
    await liftBackoff(tx, endpointId);
    return written ? findDelivery(tx, endpointId, written.deliveryId) : null;
  });
  if (!delivery) throw notFound('The webhook endpoint');
  await wakeEndpoints(deps, wakes);
  return c.json(delivery, 202);
};

export const deliveries: AppRouteHandler<typeof routes.listDeliveries> = async (c) => {
  const { endpointId } = c.req.valid('param');
  const { limit, cursor, status, eventId } = c.req.valid('query');
  await endpointOr404(c, endpointId);
  const after = cursor ? decodeCursor(cursor, SORT) : null;
  if (cursor && !after)
    throw new ProblemError(400, 'invalid_cursor', 'The cursor is not valid for this list.');
  const page = await listDeliveryRows(
    c.var.em,
    endpointId,
    { ...(status ? { status } : {}), ...(eventId ? { eventId } : {}) },
    limit,
    after,
  );
  const last = page.items.at(-1)?.row;
  return c.json(
    {
      items: page.items.map((i) => toDeliveryDto(i.row, i.attempts)),
      nextCursor: page.hasMore && last ? encodeCursor(SORT, last.created_key, last.id) : null,
      total: page.total,
    },
    200,
  );
};

export const redeliver: AppRouteHandler<typeof routes.redeliver> = async (c) => {
  const { endpointId, deliveryId } = c.req.valid('param');
  const { deps, em, organizationId } = c.var;
  const endpoint = await endpointOr404(c, endpointId);
  assertEnabled(endpoint);
  const delivery = await em.transactional(async (tx) => {
    const row = await redeliverRow(tx, organizationId, endpointId, deliveryId);
    return row ? findDelivery(tx, endpointId, deliveryId) : null;
  });
  if (!delivery) throw notFound('The delivery');
  await wakeEndpoints(deps, new Set([endpointId]));
  return c.json(delivery, 202);
};
