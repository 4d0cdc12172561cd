/**
 * SLOW: bulk actions on many attendees, each through its own attendee workflow, complete with
 * exact counts. The attendees come from a bulk import without email. Its time is the Temporal
 * dev server's and the worker's: one workflow start per imported attendee, then one update (one
 * workflow task) per attendee blocked.
 *
 * `npm test` runs it on 2,000 attendees (about a minute beside the other files); `npm run
 * test:bulk-10k` on 10,000, and `.ci/run` runs that too, after `npm test`. At 10,000 it took, on
 * 2-core machines of this kind: import 37–113 s, bulk block 189–576 s, 308–745 s in all (alone or
 * beside the other files of `npm test`, when it ran there). The waits are generous: the test is
 * about counts, the benchmark about speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

const N = Number(process.env.BULK_10K_N ?? 2_000);
/** Unblocked by id before the second action on everyone. */
const SOME = 200;

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;

beforeAll(async () => {
  stack = await startStack();
  api = (await stack.createOrganization()).client;
});
afterAll(() => stack.close());

async function waitFor(path: string, timeoutMs: number) {
  return eventually(async () => {
    const res = await api('GET', path);
    expect(res.status).toBe(200);
    return res.json.status === 'running' ? undefined : res.json;
  }, timeoutMs);
}

async function total(eventId: string, query: string) {
  const res = await api('GET', `/v1/events/${eventId}/attendees?limit=1&${query}`);
  return res.json.total as number;
}

const BLOCKED_AGAIN = 'action_not_allowed: Blocking is not allowed while the attendee is blocked.';

describe(`[slow] bulk actions on ${N.toLocaleString('en')} attendees`, () => {
  it('block every invited attendee, then act on a mix: exact counts, each through its workflow', async () => {
    const started = Date.now();
    const eventId = (await api('POST', '/v1/events', sampleEvent({ name: 'Ten thousand' }))).json.id;
    const file = `email,first_name,last_name\n${Array.from({ length: N }, (_, i) => `p${i}@example.org,P,${i}`).join('\n')}\n`;
    const report = await api('POST', `/v1/events/${eventId}/imports`, file, { 'content-type': 'text/csv' });
    expect(report.json.totals.valid).toBe(N);
    await api('POST', `/v1/events/${eventId}/imports/${report.json.id}/start`, { sendEmail: false });
    const imported = await waitFor(`/v1/events/${eventId}/imports/${report.json.id}`, 600_000);
    expect(imported.progress).toMatchObject({ processed: N, invited: N });
    const importSeconds = (Date.now() - started) / 1000;

    // Every invited attendee blocked: N commands, N done.
    const blockAll = await api('POST', `/v1/events/${eventId}/bulk-actions`, {
      action: 'block',
      filter: { status: 'invited' },
    });
    expect(blockAll.status).toBe(202);
    expect(blockAll.json.totals).toEqual({ matched: N, eligible: N, skipped: 0, skippedByReason: [] });
    const blockStarted = Date.now();
    const blocked = await waitFor(`/v1/events/${eventId}/bulk-actions/${blockAll.json.id}`, 1_200_000);
    const blockSeconds = (Date.now() - blockStarted) / 1000;
    expect(blocked.status).toBe('completed');
    expect(blocked.progress).toEqual({
      processed: N,
      done: N,
      skipped: 0,
      failed: 0,
      cancelled: 0,
      notProcessed: 0,
      skippedByReason: [],
    });
    expect(await total(eventId, 'status=blocked')).toBe(N);
    expect(await total(eventId, 'status=invited')).toBe(0);

    // SOME unblocked by id, then `block` on everyone: the rules skip all the others, still blocked.
    const page = await api('GET', `/v1/events/${eventId}/attendees?limit=${SOME}&sort=email`);
    const some = page.json.items.map((a: { id: string }) => a.id);
    const unblock = await api('POST', `/v1/events/${eventId}/bulk-actions`, {
      action: 'unblock',
      attendeeIds: some,
    });
    const unblocked = await waitFor(`/v1/events/${eventId}/bulk-actions/${unblock.json.id}`, 300_000);
    expect(unblocked.progress).toMatchObject({ processed: SOME, done: SOME, skipped: 0, failed: 0 });
    expect(await total(eventId, 'status=invited')).toBe(SOME);

    const mixed = await api('POST', `/v1/events/${eventId}/bulk-actions`, { action: 'block', filter: {} });
    expect(mixed.json.totals).toEqual({
      matched: N,
      eligible: SOME,
      skipped: N - SOME,
      skippedByReason: [{ reason: BLOCKED_AGAIN, count: N - SOME }],
    });
    const after = await waitFor(`/v1/events/${eventId}/bulk-actions/${mixed.json.id}`, 300_000);
    expect(after.progress).toEqual({
      processed: N,
      done: SOME,
      skipped: N - SOME,
      failed: 0,
      cancelled: 0,
      notProcessed: 0,
      skippedByReason: [{ reason: BLOCKED_AGAIN, count: N - SOME }],
    });
    expect(await total(eventId, 'status=blocked')).toBe(N);

    const csv = await api('GET', `/v1/events/${eventId}/bulk-actions/${mixed.json.id}/results.csv`);
    const lines = csv.text.split('\r\n').filter(Boolean).slice(1);
    expect(lines).toHaveLength(N);
    const done = new Set(lines.filter((l) => l.endsWith(',done,')).map((l) => l.split(',')[0]));
    expect(done).toEqual(new Set(some));
    console.log(
      `bulk actions on ${N}: import ${importSeconds.toFixed(1)} s, bulk block ${blockSeconds.toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 2_400_000);
});
