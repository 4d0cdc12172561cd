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

  it('serves an image with no-cache and its ETag, and answers 304 while it exists', async () => {
    const { path } = await invite({ roles: ['speaker'], sendEmail: false });
    const { imageUrl } = (await (await upload(path, PNG, 'image/png')).json()) as { imageUrl: string };
    const image = await fetch(imageUrl);
    expect(image.headers.get('cache-control')).toBe('no-cache');
    const etag = image.headers.get('etag') as string;
    expect(etag).toBe(`"${imageUrl.split('/').at(-1)}"`);
    const again = await fetch(imageUrl, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('deletes the image it replaces', async () => {
    const { path } = await invite({ roles: ['speaker'], sendEmail: false });
    const first = ((await (await upload(path, PNG, 'image/png')).json()) as { imageUrl: string }).imageUrl;
    const second = ((await (await upload(path, PNG, 'image/png')).json()) as { imageUrl: string }).imageUrl;
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    // Also for a cache that kept it: revalidation finds it gone.
    expect(
      (await fetch(first, { headers: { 'if-none-match': `"${first.split('/').at(-1)}"` } })).status,
    ).toBe(404);
    expect((await fetch(second)).status).toBe(200);
  });

  it('deletes the image when the attendee is removed from the event', async () => {
    const { path } = await invite({ roles: ['speaker'], sendEmail: false });
    const { imageUrl } = (await (await upload(path, PNG, 'image/png')).json()) as { imageUrl: string };
    expect((await api('POST', `${path}/actions/remove`)).status).toBe(200);
    expect((await fetch(imageUrl)).status).toBe(404);
  });

  it('deletes the image when the person is erased', async () => {
    const { path, attendee } = await invite({ roles: ['moderator'], sendEmail: false });
    const { imageUrl } = (await (await upload(path, PNG, 'image/png')).json()) as { imageUrl: string };
    const erased = await api('DELETE', `/v1/people?email=${encodeURIComponent(attendee.email)}`);
    expect(erased.status).toBe(200);
    expect((await fetch(imageUrl)).status).toBe(404);
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

describe('inviting a speaker with their image in one request', () => {
  const inviteForm = (eventId: string, fields: Record<string, string | string[]>, image?: Blob) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
    }
    if (image) form.append('image', image, 'portrait.png');
    return fetch(`${stack.baseUrl}/v1/events/${eventId}/attendees`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
  };
  const newEventId = async () => (await api('POST', '/v1/events', sampleEvent())).json.id as string;

  it('invites a speaker from a form with the profile image, served at its imageUrl', async () => {
    const eventId = await newEventId();
    const res = await inviteForm(
      eventId,
      {
        email: 'grace@example.org',
        firstName: 'Grace',
        lastName: 'Hopper',
        roles: ['speaker', 'moderator'],
        title: 'Rear Admiral',
        bio: 'Wrote the first compiler.',
        sendEmail: 'false',
      },
      new Blob([PNG], { type: 'image/png' }),
    );
    expect(res.status).toBe(201);
    const attendee = (await res.json()) as Record<string, unknown>;
    expect(attendee).toMatchObject({
      roles: ['attendee', 'speaker', 'moderator'],
      title: 'Rear Admiral',
      bio: 'Wrote the first compiler.',
      imageUrl: expect.stringMatching(/\/v1\/images\/[0-9a-f-]{36}$/),
    });
    const image = await fetch(attendee.imageUrl as string);
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    // sendEmail=false was honoured.
    expect(stack.postmark.messages.some((m) => m.To === 'grace@example.org')).toBe(false);
  });

  it('invites nobody when the form’s image is refused: a plain attendee (422) or not an image (415)', async () => {
    const eventId = await newEventId();
    const plain = await inviteForm(
      eventId,
      { email: 'plain@example.org', firstName: 'P', lastName: 'L' },
      new Blob([PNG], { type: 'image/png' }),
    );
    expect(plain.status).toBe(422);
    const fake = await inviteForm(
      eventId,
      { email: 'fake@example.org', firstName: 'F', lastName: 'K', roles: 'speaker' },
      new Blob(['GIF89a not a png'], { type: 'image/png' }),
    );
    expect(fake.status).toBe(415);
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(0);
    // A form without an image is an ordinary invite; a missing email is the invite's 422.
    const noImage = await inviteForm(eventId, { email: 'f@example.org', firstName: 'F', lastName: 'K' });
    expect(noImage.status).toBe(201);
    const missing = await inviteForm(eventId, { firstName: 'F', lastName: 'K' });
    expect(missing.status).toBe(422);
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

  it('records a Delivery and a hard bounce that come before the send is answered, and the answer undoes neither', async () => {
    // Postmark takes the message at once but answers late: its webhooks overtake the answer.
    stack.postmark.setLatency(2_000);
    try {
      const { path, attendee } = await invite({});
      const message = await eventually(() => stack.postmark.messages.find((m) => m.To === attendee.email));
      const ledgerId = message.Metadata?.rosterLedgerId;
      expect(ledgerId).toMatch(/^[0-9a-f-]{36}$/);
      const ledger = async () =>
        (
          await stack.orm.em
            .fork()
            .getConnection()
            .execute<{ status: string; provider_message_id: string | null; sent_at: Date | null }[]>(
              'select status, provider_message_id, sent_at from email_messages where id = ?',
              [ledgerId],
            )
        )[0];
      expect(await ledger()).toMatchObject({ status: 'pending', provider_message_id: null });

      const delivery = await hook({
        RecordType: 'Delivery',
        MessageID: message.MessageID,
        Metadata: message.Metadata,
      });
      expect(await delivery.json()).toEqual({ updated: 1 });
      expect(await ledger()).toMatchObject({ status: 'delivered', provider_message_id: message.MessageID });
      const bounce = await hook({
        RecordType: 'Bounce',
        MessageID: message.MessageID,
        Type: 'HardBounce',
        Inactive: true,
        Metadata: message.Metadata,
      });
      expect(await bounce.json()).toEqual({ updated: 1 });

      // The send's answer is stored now, and leaves the bounce as it is.
      const settled = await eventually(async () => ((await ledger())?.sent_at ? ledger() : undefined));
      expect(settled).toMatchObject({ status: 'bounced', provider_message_id: message.MessageID });
      // The attendee's workflow recorded the bounce: no more email goes to the address.
      await eventually(async () => {
        const [row] = await stack.orm.em
          .fork()
          .getConnection()
          .execute<{ email_undeliverable: boolean }[]>(
            'select email_undeliverable from attendees where id = ?',
            [attendee.id],
          );
        return row?.email_undeliverable || undefined;
      });
      stack.postmark.setLatency(0);
      const before = stack.postmark.messages.length;
      await api('POST', `${path}/actions/resend_email`);
      await new Promise((r) => setTimeout(r, 800));
      expect(stack.postmark.messages.length).toBe(before);
    } finally {
      stack.postmark.setLatency(0);
    }
  });

  it('answers 401 to wrong credentials', async () => {
    expect((await hook({ RecordType: 'Delivery', MessageID: 'x' }, 'wrong')).status).toBe(401);
  });
});
