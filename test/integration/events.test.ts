import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
let api: Awaited<ReturnType<Stack['createOrganization']>>['client'];

beforeAll(async () => {
  stack = await startStack();
  api = (await stack.createOrganization()).client;
});
afterAll(() => stack.close());

describe('events', () => {
  it('creates an event with sessions and the documented defaults when given the required fields', async () => {
    const res = await api(
      'POST',
      '/v1/events',
      sampleEvent({
        sessions: [{ name: 'Day 1', startsAt: '2027-03-01T09:00:00Z', endsAt: '2027-03-01T17:00:00Z' }],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      name: 'Launch Week',
      startsAt: '2027-03-01T09:00:00.000Z',
      endsAt: '2027-03-03T17:00:00.000Z',
      timezone: 'Europe/Berlin',
      defaultLanguage: 'en',
      loginMode: 'magic_link',
      closed: false,
      accessSettings: { allowOutsideIdpGroups: true },
      sessions: [{ name: 'Day 1', startsAt: '2027-03-01T09:00:00.000Z', endsAt: '2027-03-01T17:00:00.000Z' }],
    });
    expect(res.json.id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await api('GET', `/v1/events/${res.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
  });

  it.each([
    ['a missing name', { name: undefined }, 'name'],
    ['an end before the start', { endsAt: '2027-02-01T00:00:00Z' }, 'endsAt'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['an unknown language', { defaultLanguage: 'xx' }, 'defaultLanguage'],
    ['a closed event without SSO', { closed: true }, 'closed'],
    ['a date without offset', { startsAt: '2027-03-01 09:00' }, 'startsAt'],
    [
      'a session ending before it starts',
      { sessions: [{ name: 'S', startsAt: '2027-03-01T10:00:00Z', endsAt: '2027-03-01T09:00:00Z' }] },
      'sessions.0.endsAt',
    ],
  ])('answers 422 validation_failed naming the field when given %s', async (_label, override, path) => {
    const res = await api('POST', '/v1/events', sampleEvent(override));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.code).toBe('validation_failed');
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('accepts a closed event when its login mode is sso', async () => {
    const res = await api('POST', '/v1/events', sampleEvent({ closed: true, loginMode: 'sso' }));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ closed: true, loginMode: 'sso' });
  });

  it('answers 400 malformed_request when the body is not JSON', async () => {
    const res = await api('POST', '/v1/events', '{"name": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('malformed_request');
  });

  it('pages through events newest first with a cursor and a total', async () => {
    const { client } = await stack.createOrganization();
    const names = ['A', 'B', 'C', 'D', 'E'];
    for (const name of names)
      expect((await client('POST', '/v1/events', sampleEvent({ name }))).status).toBe(201);
    const first = await client('GET', '/v1/events?limit=2');
    expect(first.json.total).toBe(5);
    expect(first.json.items.map((e: { name: string }) => e.name)).toEqual(['E', 'D']);
    const second = await client('GET', `/v1/events?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((e: { name: string }) => e.name)).toEqual(['C', 'B']);
    const third = await client('GET', `/v1/events?limit=2&cursor=${second.json.nextCursor}`);
    expect(third.json.items.map((e: { name: string }) => e.name)).toEqual(['A']);
    expect(third.json.nextCursor).toBeNull();
  });

  it('answers 400 invalid_cursor when the cursor is garbage, and 422 when limit is above 500', async () => {
    expect((await api('GET', '/v1/events?cursor=nope')).json.code).toBe('invalid_cursor');
    const tooMany = await api('GET', '/v1/events?limit=501');
    expect(tooMany.status).toBe(422);
  });

  it('changes fields and replaces sessions when patched, keeping the rules across fields', async () => {
    const created = (await api('POST', '/v1/events', sampleEvent())).json;
    const patched = await api('PATCH', `/v1/events/${created.id}`, {
      name: 'Renamed',
      sessions: [{ name: 'Only', startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:00:00Z' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.json.name).toBe('Renamed');
    expect(patched.json.sessions.map((s: { name: string }) => s.name)).toEqual(['Only']);
    expect(patched.json.startsAt).toBe(created.startsAt);

    // Replacing sessions that exist deletes the old rows (this once failed with a 500).
    const replaced = await api('PATCH', `/v1/events/${created.id}`, {
      sessions: [
        { name: 'First', startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:00:00Z' },
        { name: 'Second', startsAt: '2027-03-02T11:00:00Z', endsAt: '2027-03-02T12:00:00Z' },
      ],
    });
    expect(replaced.status).toBe(200);
    const reread = (await api('GET', `/v1/events/${created.id}`)).json;
    expect(reread.sessions.map((s: { name: string }) => s.name)).toEqual(['First', 'Second']);

    const broken = await api('PATCH', `/v1/events/${created.id}`, { endsAt: '2020-01-01T00:00:00Z' });
    expect(broken.status).toBe(422);
    expect((await api('GET', `/v1/events/${created.id}`)).json.name).toBe('Renamed');
  });

  it('answers 404 for an unknown event and for another organization’s event', async () => {
    const created = (await api('POST', '/v1/events', sampleEvent())).json;
    const other = (await stack.createOrganization()).client;
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'x' }],
    ] as const) {
      const foreign = await other(method, `/v1/events/${created.id}`, body);
      expect(foreign.status).toBe(404);
      expect(foreign.json.code).toBe('not_found');
    }
    expect((await api('GET', '/v1/events/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await other('GET', '/v1/events')).json.total).toBe(0);
  });

  it('answers 401 when the API key is missing or wrong', async () => {
    const none = await stack.client()('GET', '/v1/events');
    expect(none.status).toBe(401);
    expect(none.json.code).toBe('unauthorized');
    const wrong = await stack.client('rk_wrong')('POST', '/v1/events', sampleEvent());
    expect(wrong.status).toBe(401);
  });

  it('replays the first answer and creates once when a request repeats its Idempotency-Key', async () => {
    const { client } = await stack.createOrganization();
    const headers = { 'idempotency-key': 'create-launch-week' };
    const first = await client('POST', '/v1/events', sampleEvent(), headers);
    const again = await client('POST', '/v1/events', sampleEvent(), headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await client('GET', '/v1/events')).json.total).toBe(1);

    const reused = await client('POST', '/v1/events', sampleEvent({ name: 'Other' }), headers);
    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe('idempotency_key_reused');
  });
});
