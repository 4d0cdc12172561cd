import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, sampleEvent, startStack } from '../support/stack';

/**
 * Random JSON at every route of the served OpenAPI document, as an organizer and as nobody:
 * never a 5xx, never a crash, and every refusal a problem document.
 */
let stack: Stack;
let key: string;
let ids: Record<string, string>;
let operations: { method: string; path: string; fields: string[] }[];

beforeAll(async () => {
  stack = await startStack();
  const org = await stack.createOrganization();
  key = org.key;
  const eventId = (await org.client('POST', '/v1/events', sampleEvent())).json.id;
  const attendeeId = (
    await org.client('POST', `/v1/events/${eventId}/attendees`, {
      email: 'fuzz@example.org',
      firstName: 'F',
      lastName: 'Z',
      roles: ['speaker'],
      sendEmail: false,
    })
  ).json.id;
  ids = { eventId, attendeeId };
  const doc = (await stack.client()('GET', '/openapi.json')).json;
  operations = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const [method, op] of Object.entries(item)) {
      const schema = (
        op as { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }
      ).requestBody?.content?.['application/json']?.schema;
      operations.push({ method: method.toUpperCase(), path, fields: Object.keys(schema?.properties ?? {}) });
    }
  }
});
afterAll(() => stack.close());

const pathValue = (name: string) =>
  fc.oneof(
    fc.constant(ids[name] ?? 'x'),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('resend_email', 'block', 'unblock', 'remove', 'generate_login_link', '..', '%00', 'null'),
  );

const body = (fields: string[]) =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fields.length > 0
      ? fc.dictionary(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }))
      : fc.object(),
    fc.string({ maxLength: 200 }).map((s) => ({ raw: s })),
  );

describe('fuzzing every route with random JSON', () => {
  it('never answers 5xx and always answers errors as problem+json', async () => {
    expect(operations.length).toBeGreaterThan(20);
    let requests = 0;
    for (const op of operations) {
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...params.map(pathValue)),
          body(op.fields),
          fc.boolean(),
          fc.boolean(),
          async (values, payload, authorized, rawString) => {
            let url = op.path;
            params.forEach((p, i) => {
              url = url.replace(`{${p}}`, encodeURIComponent(String(values[i])));
            });
            const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
            const text =
              rawString && typeof payload === 'object' && payload !== null && 'raw' in payload
                ? String((payload as { raw: string }).raw)
                : JSON.stringify(payload);
            const res = await fetch(
              `${stack.baseUrl}${url}${op.method === 'DELETE' ? '?email=fuzz-other@example.org' : ''}`,
              {
                method: op.method,
                headers: {
                  ...(authorized ? { authorization: `Bearer ${key}` } : {}),
                  ...(hasBody ? { 'content-type': 'application/json' } : {}),
                },
                body: hasBody ? text : undefined,
                // The SSO start redirects to the identity provider; its answer is what is tested.
                redirect: 'manual',
              },
            );
            requests += 1;
            const answer = await res.text();
            if (res.status >= 500) throw new Error(`${op.method} ${url} answered ${res.status}: ${answer}`);
            if (res.status >= 400 && url.startsWith('/scim/v2')) {
              // SCIM answers SCIM error documents (RFC 7644 §3.12), as Okta and Entra ID expect.
              expect(res.headers.get('content-type'), `${op.method} ${url}`).toContain(
                'application/scim+json',
              );
              expect(JSON.parse(answer).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
            } else if (res.status >= 400) {
              expect(res.headers.get('content-type'), `${op.method} ${url}`).toContain(
                'application/problem+json',
              );
              expect(JSON.parse(answer).code, `${op.method} ${url}`).toMatch(/^[a-z_0-9]+$/);
            }
          },
        ),
        { numRuns: 25 },
      );
    }
    console.log(`fuzz: ${requests} requests over ${operations.length} operations`);
  }, 240_000);
});
