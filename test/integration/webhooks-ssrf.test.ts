import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../support/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// As in production: WEBHOOK_ALLOW_PRIVATE_NETWORKS is off.
let stack: Stack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  [stack, receiver] = await Promise.all([
    startStack({ webhooks: { allowPrivateNetworks: false } }),
    startWebhookReceiver(),
  ]);
});
afterAll(async () => {
  await receiver.close();
  await stack.close();
});

describe('endpoint URLs on private networks', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://localhost:3000/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0:8080/hook',
    'http://100.64.0.1/hook',
    'https://[fd00::1]/hook',
    'http://0x7f.1/hook',
  ])('refuses %s with 409 webhook_url_not_allowed', async (url) => {
    const { client } = await stack.createOrganization();
    const res = await client('POST', '/v1/webhook-endpoints', { url, events: ['attendee.invited'] });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'webhook_url_not_allowed', status: 409 });
    expect((await client('GET', '/v1/webhook-endpoints')).json.total).toBe(0);
  });

  it('refuses a change of the URL to a private address', async () => {
    const { client } = await stack.createOrganization();
    const created = await client('POST', '/v1/webhook-endpoints', {
      url: 'https://93.184.215.14/hook',
      events: ['attendee.invited'],
    });
    expect(created.status).toBe(201);
    const res = await client('PATCH', `/v1/webhook-endpoints/${created.json.id}`, {
      url: 'http://10.1.2.3/',
    });
    expect(res.json.code).toBe('webhook_url_not_allowed');
    expect((await client('GET', `/v1/webhook-endpoints/${created.json.id}`)).json.url).toBe(
      'https://93.184.215.14/hook',
    );
  });

  it('checks again when delivering: an endpoint whose address became private is not connected to', async () => {
    const { client } = await stack.createOrganization();
    const created = await client('POST', '/v1/webhook-endpoints', {
      url: 'https://93.184.215.14/hook',
      events: ['attendee.invited'],
    });
    // What a DNS answer that changed after the check (rebinding) amounts to: the stored endpoint
    // now leads to a loopback address.
    const path = `/${randomUUID()}`;
    await stack.orm.em
      .fork()
      .getConnection()
      .execute('update webhook_endpoints set url = ? where id = ?', [receiver.url(path), created.json.id]);
    await client('POST', `/v1/webhook-endpoints/${created.json.id}/test`);
    const [delivery] = await eventually(async () => {
      const res = await client('GET', `/v1/webhook-endpoints/${created.json.id}/deliveries`);
      return res.json.items[0]?.attempts.length ? res.json.items : undefined;
    });
    expect(delivery.attempts[0]).toMatchObject({
      succeeded: false,
      statusCode: null,
      error: expect.stringMatching(/127\.0\.0\.1.*not a public address/),
    });
    expect(receiver.at(path)).toEqual([]);
  });
});
