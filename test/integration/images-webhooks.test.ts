import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack, WEBHOOK_TOKEN } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  ({ client: api, key } = await stack.createOrganization());
});
afterAll(() => stack.close());

// The smallest valid PNG header is enough for the type check.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

async function invite(body: Record<string, unknown>) {
  const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
  const res = await api('POST', `/v1/events/${eventId}/attendees`, {
    email: `i-${crypto.randomUUID()}@example.org`,
    firstName: 'I',
    lastName: 'M',
    ...body,
  });
  expect(res.status).toBe(201);
  return { eventId, attendee: res.json, path: `/v1/events/${eventId}/attendees/${res.json.id}` };
}

const upload = (path: string, body: Uint8Array | string, type: string) =>
  fetch(`${stack.baseUrl}${path}/image`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body,
  });

describe('profile images', () => {
  it('stores a speaker’s PNG and serves it at the attendee’s imageUrl', async () => {
    const { path } = await invite({ roles: ['speaker'], sendEmail: false });
    const res = await upload(path, PNG, 'image/png');
    expect(res.status).toBe(200);
    const attendee = (await res.json()) as { imageUrl: string };
    expect(attendee.imageUrl).toMatch(/\/v1\/images\/[0-9a-f-]{36}$/);
    const image = await fetch(attendee.imageUrl);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('answers 415 when the bytes are not the declared image type, 413 above 2 MB, 422 for a plain attendee', async () => {
    const speaker = await invite({ roles: ['moderator'], sendEmail: false });
    expect((await upload(speaker.path, 'GIF89a not a png', 'image/png')).status).toBe(415);
    expect((await upload(speaker.path, PNG, 'image/gif')).status).toBe(415);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    expect((await upload(speaker.path, big, 'image/png')).status).toBe(413);
    const plain = await invite({ sendEmail: false });
    expect((await upload(plain.path, PNG, 'image/png')).status).toBe(422);
  });
});

describe('Postmark webhooks', () => {
  const hook = (body: unknown, password = WEBHOOK_TOKEN) =>
    fetch(`${stack.baseUrl}/v1/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });

  it('marks an email delivered, then a hard bounce marks it bounced and the address undeliverable', async () => {
    const { path, attendee } = await invite({});
    const message = await eventually(() => stack.postmark.messages.find((m) => m.To === attendee.email));
    const ledger = async () =>
      (
        await stack.orm.em
          .fork()
          .getConnection()
          .execute<{ status: string }[]>('select status from email_messages where provider_message_id = ?', [
            message.MessageID,
          ])
      )[0]?.status;
    // As with Postmark, the webhook comes after the send was answered and recorded.
    await eventually(ledger);
    expect((await hook({ RecordType: 'Delivery', MessageID: message.MessageID })).status).toBe(200);
    expect((await api('GET', `${path}/analytics`)).status).toBe(409); // invited: no analytics yet
    expect(await ledger()).toBe('delivered');

    const bounce = await hook({
      RecordType: 'Bounce',
      MessageID: message.MessageID,
      Type: 'HardBounce',
      Inactive: true,
    });
    expect(await bounce.json()).toEqual({ updated: 1 });
    expect(await ledger()).toBe('bounced');
    await hook({ RecordType: 'Delivery', MessageID: message.MessageID });
    expect(await ledger()).toBe('bounced');

    // No more email goes to an undeliverable address.
    const before = stack.postmark.messages.length;
    await api('POST', `${path}/actions/resend_email`);
    await new Promise((r) => setTimeout(r, 800));
    expect(stack.postmark.messages.length).toBe(before);
  });

  it('answers 401 to wrong credentials', async () => {
    expect((await hook({ RecordType: 'Delivery', MessageID: 'x' }, 'wrong')).status).toBe(401);
  });
});
