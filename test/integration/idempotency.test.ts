import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const withKey = (key: string) => ({ 'idempotency-key': key });
const sql = <T>(query: string, params: unknown[] = []) =>
  stack.orm.em.fork().getConnection().execute<T[]>(query, params);

async function invite(api: ReturnType<Stack['client']>, email: string) {
  const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
  const res = await api('POST', `/v1/events/${eventId}/attendees`, {
    email,
    firstName: 'Ida',
    lastName: 'Em',
  });
  expect(res.status).toBe(201);
  return { eventId, attendeeId: res.json.id as string };
}

describe('Idempotency-Key', () => {
  it('refuses the same key for an erasure of another address instead of skipping it silently', async () => {
    const { client: api } = await stack.createOrganization();
    const [a, b] = [`a-${randomUUID()}@example.org`, `b-${randomUUID()}@example.org`];
    await invite(api, a);
    const { eventId } = await invite(api, b);
    const key = randomUUID();
    const first = await api('DELETE', `/v1/people?email=${encodeURIComponent(a)}`, undefined, withKey(key));
    expect(first.status).toBe(200);
    const second = await api('DELETE', `/v1/people?email=${encodeURIComponent(b)}`, undefined, withKey(key));
    expect(second.status).toBe(409);
    expect(second.json.code).toBe('idempotency_key_reused');
    // b is still there, so nobody believes it erased; a new key erases it.
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(1);
    const third = await api(
      'DELETE',
      `/v1/people?email=${encodeURIComponent(b)}`,
      undefined,
      withKey(randomUUID()),
    );
    expect(third.json.erased.attendees).toBe(1);
    // The very same request is still replayed.
    const again = await api('DELETE', `/v1/people?email=${encodeURIComponent(a)}`, undefined, withKey(key));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
  });

  it('keeps keys per organization: the same key and request of another tenant runs for that tenant', async () => {
    const one = await stack.createOrganization();
    const two = await stack.createOrganization();
    const key = randomUUID();
    const body = sampleEvent({ name: 'Same key' });
    const a = await one.client('POST', '/v1/events', body, withKey(key));
    const b = await two.client('POST', '/v1/events', body, withKey(key));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.json.id).not.toBe(a.json.id);
    expect((await two.client('GET', `/v1/events/${a.json.id}`)).status).toBe(404);
    expect((await one.client('POST', '/v1/events', body, withKey(key))).json.id).toBe(a.json.id);
  });

  it('forgets a key after 24 hours, and purges expired records when keys are written', async () => {
    const { client: api, organizationId } = await stack.createOrganization();
    const key = randomUUID();
    const body = sampleEvent({ name: 'Expiring' });
    const first = await api('POST', '/v1/events', body, withKey(key));
    const stale = randomUUID();
    expect((await api('POST', '/v1/events', body, withKey(stale))).status).toBe(201);
    await sql(
      `update idempotency_records set created_at = now() - interval '24 hours 1 minute' where organization_id = ?`,
      [organizationId],
    );
    // Past 24 hours the key is new: the request runs again.
    const later = await api('POST', '/v1/events', body, withKey(key));
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.json.id).not.toBe(first.json.id);
    // ...and the other expired record is gone from the table.
    const rows = await sql<{ key: string }>('select key from idempotency_records where organization_id = ?', [
      organizationId,
    ]);
    expect(rows.map((r: { key: string }) => r.key)).toEqual([key]);
    expect((await api('POST', '/v1/events', body, withKey(key))).json.id).toBe(later.json.id);
  });

  it('keeps no copy of a login link: a repeat is refused, and the record holds no token', async () => {
    const { client: api, organizationId } = await stack.createOrganization();
    const { eventId, attendeeId } = await invite(api, `link-${randomUUID()}@example.org`);
    const key = randomUUID();
    const path = `/v1/events/${eventId}/attendees/${attendeeId}/actions/generate_login_link`;
    const link = await api('POST', path, undefined, withKey(key));
    expect(link.status).toBe(200);
    const token = new URL(link.json.url).searchParams.get('token') as string;
    expect(token.length).toBeGreaterThanOrEqual(43);
    const repeat = await api('POST', path, undefined, withKey(key));
    expect(repeat.status).toBe(409);
    expect(repeat.json.code).toBe('idempotency_answer_withheld');
    expect(repeat.text).not.toContain(token);
    const rows = await sql<{ status_code: number; body: string | null }>(
      'select status_code, response_body::text as body from idempotency_records where organization_id = ? and key = ?',
      [organizationId, key],
    );
    expect(rows).toEqual([{ status_code: 200, body: null }]);
    // A new key gives a new link; the first one still works once.
    const fresh = await api('POST', path, undefined, withKey(randomUUID()));
    expect(fresh.status).toBe(200);
    expect(fresh.json.url).not.toBe(link.json.url);
    expect((await stack.client()('POST', '/v1/public/login', { token })).status).toBe(200);
  });
});
