import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CODEC_TOKEN, eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
let raw: Client;
let rawConnection: Connection;
beforeAll(async () => {
  stack = await startStack();
  // Temporal as anyone with access to the server sees it: no codec.
  rawConnection = await Connection.connect({ address: inject('temporalAddress') });
  raw = new Client({ connection: rawConnection });
});
afterAll(async () => {
  await rawConnection.close();
  await stack.close();
});

type JsonPayload = { metadata: Record<string, string>; data: string };

/** Every payload in a history, in the codec server's JSON form (base64 metadata and data). */
function payloadsIn(node: unknown, found: JsonPayload[] = []): JsonPayload[] {
  if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return found;
  const o = node as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && 'data' in o && ArrayBuffer.isView(o.data)) {
    found.push({
      metadata: Object.fromEntries(
        Object.entries(o.metadata as Record<string, Uint8Array>).map(([k, v]) => [
          k,
          Buffer.from(v).toString('base64'),
        ]),
      ),
      data: Buffer.from(o.data as Uint8Array).toString('base64'),
    });
    return found;
  }
  for (const value of Object.values(o)) payloadsIn(value, found);
  return found;
}

async function setUp() {
  const { client: api, key } = await stack.createOrganization();
  const email = `zephyrine-${randomUUID()}@example.org`;
  const [firstName, lastName] = ['Zephyrine', 'Quillfeather'];
  const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
  const invited = await api('POST', `/v1/events/${eventId}/attendees`, { email, firstName, lastName });
  expect(invited.status).toBe(201);
  const path = `/v1/events/${eventId}/attendees/${invited.json.id}`;
  await eventually(() => stack.postmark.messages.find((m) => m.To === email));
  expect((await api('PATCH', path, { company: 'Inkwell Ltd' })).status).toBe(200);
  const link = await api('POST', `${path}/actions/generate_login_link`);
  expect(link.status).toBe(200);
  const token = new URL(link.json.url).searchParams.get('token') as string;
  const [row] = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ workflow_id: string }[]>('select workflow_id from attendees where id = ?', [invited.json.id]);
  return { api, key, email, firstName, lastName, token, workflowId: row?.workflow_id as string };
}

const SEARCH_ATTRIBUTE_VALUE = /^([0-9a-f-]{36}|[a-z_]+)$/;

const PATCH_IDS = [
  'outbox-removes-the-sent-email',
  'sso-login-visit',
  'lifecycle-ends',
  'bulk-invite-emails-first',
  'bulk-invite-starts-after-emails',
  'search-attributes',
  'run-search-attributes',
];

describe('Temporal payloads at rest', () => {
  it('keeps no email address, name or login token readable in the workflow history', async () => {
    const { email, firstName, lastName, token, workflowId } = await setUp();
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const payloads = payloadsIn(history);
    expect(payloads.length).toBeGreaterThan(5);
    const plain = payloads.map((p) => Buffer.from(p.data, 'base64').toString('latin1')).join('\n');
    const everything = `${plain}\n${JSON.stringify(history)}`;
    for (const secret of [email, firstName, lastName, 'Inkwell', token]) {
      expect(everything, secret).not.toContain(secret);
    }
    // Every payload is encrypted but the SDK's own markers: local activities (type, attempt,
    // times) and patches (`patched()` ids).
    for (const p of payloads) {
      if (Buffer.from(p.metadata.encoding ?? '', 'base64').toString() === 'binary/encrypted') continue;
      const marker = JSON.parse(Buffer.from(p.data, 'base64').toString());
      if (Array.isArray(marker)) {
        // The TemporalChangeVersion search attribute that patched() keeps: patch ids only.
        for (const id of marker) expect(PATCH_IDS).toContain(id);
        continue;
      }
      if (typeof marker === 'string') {
        // Roster's own search attributes (workflows/search-attributes.ts): an id or a status word.
        expect(marker).toMatch(SEARCH_ATTRIBUTE_VALUE);
        continue;
      }
      expect([
        [
          'activity_id',
          'activity_type',
          'attempt',
          'backoff',
          'complete_time',
          'original_schedule_time',
          'seq',
        ].join(),
        ['deprecated', 'id'].join(),
      ]).toContain(Object.keys(marker).sort().join());
    }
    // With the codec, the same history reads normally: the app's own client decodes it.
    const handle = stack.temporal.workflow.getHandle(workflowId);
    expect(JSON.stringify(await handle.fetchHistory())).toBeDefined();
  });

  it('decodes history payloads at /codec/decode for the codec token and refuses everyone else', async () => {
    const { key, email, token, workflowId } = await setUp();
    const payloads = payloadsIn(await raw.workflow.getHandle(workflowId).fetchHistory());
    const codec = (path: string, authorization?: string, body: unknown = { payloads }) =>
      fetch(`${stack.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-namespace': 'default',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
      });

    for (const authorization of [undefined, `Bearer ${key}`, 'Bearer wrong', CODEC_TOKEN]) {
      const res = await codec('/codec/decode', authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.text()).not.toContain(email);
    }

    const res = await codec('/codec/decode', `Bearer ${CODEC_TOKEN}`);
    expect(res.status).toBe(200);
    const decoded = (await res.json()) as { payloads: JsonPayload[] };
    expect(decoded.payloads).toHaveLength(payloads.length);
    const texts = decoded.payloads.map((p) => Buffer.from(p.data, 'base64').toString());
    expect(texts.some((t) => t.includes(email))).toBe(true);
    expect(
      decoded.payloads.every(
        (p) => Buffer.from(p.metadata.encoding ?? '', 'base64').toString() !== 'binary/encrypted',
      ),
    ).toBe(true);
    // Even decoded, the history holds no usable login token: only its hash went to Temporal.
    expect(texts.join('\n')).not.toContain(token);

    // Encode and decode round-trip, also under the CLI's `{namespace}` path.
    const encoded = await codec('/codec/default/encode', `Bearer ${CODEC_TOKEN}`, {
      payloads: decoded.payloads,
    });
    expect(encoded.status).toBe(200);
    const again = await codec('/codec/default/decode', `Bearer ${CODEC_TOKEN}`, await encoded.json());
    expect(((await again.json()) as { payloads: JsonPayload[] }).payloads).toEqual(decoded.payloads);

    const tampered = structuredClone(payloads[0] as JsonPayload);
    tampered.data = Buffer.from(
      Buffer.from(tampered.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b)),
    ).toString('base64');
    expect((await codec('/codec/decode', `Bearer ${CODEC_TOKEN}`, { payloads: [tampered] })).status).toBe(
      400,
    );
  });

  it('lets the Temporal Web UI origin call the codec endpoint across origins, and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ui = await preflight('http://localhost:8233');
    expect(ui.status).toBeLessThan(300);
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(ui.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still erases a person: the erasure update decodes and the attendee is gone', async () => {
    const { api, email } = await setUp();
    const res = await api('DELETE', `/v1/people?email=${encodeURIComponent(email)}`);
    expect(res.status).toBe(200);
    expect(res.json.erased).toMatchObject({ attendees: 1, events: 1 });
  });
});
