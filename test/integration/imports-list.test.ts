import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, sampleEvent, startStack } from '../support/stack';

/** GET /v1/events/{eventId}/imports: the event's imports, newest first, a keyset page at a time. */
let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;
let apiKey: string;

beforeAll(async () => {
  stack = await startStack();
  const org = await stack.createOrganization();
  api = org.client;
  apiKey = org.key;
});
afterAll(() => stack.close());

async function newEvent(client: Client = api) {
  const res = await client('POST', '/v1/events', sampleEvent());
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function upload(eventId: string, csv: string) {
  const res = await fetch(`${stack.baseUrl}/v1/events/${eventId}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
    body: csv,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

const HEADER = 'email,first_name,last_name,company,title,language,role';
const file = (...lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

describe('the list of imports', () => {
  it('pages through the event’s imports newest first with their totals and status', async () => {
    const eventId = await newEvent();
    const otherEventId = await newEvent();
    const first = await upload(eventId, file('a@example.com,A,One,,,,', 'bad-address,B,Two,,,,'));
    const second = await upload(eventId, file('c@example.com,C,Three,,,,'));
    const third = await upload(eventId, file('d@example.com,D,Four,,,,', 'e@example.com,E,Five,,,,'));
    await upload(otherEventId, file('f@example.com,F,Six,,,,'));
    const cancelled = await api('POST', `/v1/events/${eventId}/imports/${second.id}/cancel`);
    expect(cancelled.status).toBe(200);

    const page1 = await api('GET', `/v1/events/${eventId}/imports?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.json.total).toBe(3);
    expect(page1.json.items.map((i: { id: string }) => i.id)).toEqual([third.id, second.id]);
    expect(page1.json.items[0]).toMatchObject({
      eventId,
      status: 'validated',
      sendEmail: null,
      totals: { rows: 2, valid: 2, invalid: 0, duplicateInFile: 0, alreadyInvited: 0 },
      progress: { processed: 0, invited: 0 },
      startedAt: null,
    });
    expect(page1.json.items[0]).not.toHaveProperty('errors');
    expect(page1.json.items[1]).toMatchObject({ status: 'cancelled' });
    expect(page1.json.items[1].finishedAt).toEqual(expect.any(String));
    expect(page1.json.nextCursor).toEqual(expect.any(String));

    const page2 = await api(
      'GET',
      `/v1/events/${eventId}/imports?limit=2&cursor=${encodeURIComponent(page1.json.nextCursor)}`,
    );
    expect(page2.status).toBe(200);
    expect(page2.json).toMatchObject({ total: 3, nextCursor: null });
    expect(page2.json.items.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect(page2.json.items[0].totals).toMatchObject({ rows: 2, valid: 1, invalid: 1 });
  });

  it('answers an empty page for an event without imports', async () => {
    const eventId = await newEvent();
    const res = await api('GET', `/v1/events/${eventId}/imports`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('answers 404 for another organization’s event and 400 for a cursor it did not make', async () => {
    const eventId = await newEvent();
    await upload(eventId, file('g@example.com,G,Seven,,,,'));
    const other = await stack.createOrganization();
    const foreign = await other.client('GET', `/v1/events/${eventId}/imports`);
    expect(foreign.status).toBe(404);

    const bad = await api('GET', `/v1/events/${eventId}/imports?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('invalid_cursor');
  });
});
