import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, hasChromium, startConsoleHarness } from '../support/console';
import { sampleEvent } from '../support/stack';

/** "All users", the row menus, bulk actions with their dry run, one attendee's page, speakers. */
let h: ConsoleHarness;
let key: string;
let client: Awaited<ReturnType<ConsoleHarness['organization']>>['client'];
let eventId: string;
const ids: Record<string, string> = {};

const PEOPLE = [
  {
    email: 'ada@example.org',
    firstName: 'Ada',
    lastName: 'Lovelace',
    roles: ['speaker'],
    title: 'Analyst',
    company: 'Engines Ltd',
    bio: 'Wrote the first program.',
  },
  { email: 'grace@example.org', firstName: 'Grace', lastName: 'Hopper' },
  { email: 'alan@example.org', firstName: 'Alan', lastName: 'Turing' },
  { email: 'edsger@example.org', firstName: 'Edsger', lastName: 'Dijkstra' },
];

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startConsoleHarness();
  ({ key, client } = await h.organization());
  const event = await client('POST', '/v1/events', sampleEvent({ name: 'People Summit' }));
  expect(event.status).toBe(201);
  eventId = event.json.id;
  for (const person of PEOPLE) {
    const res = await client('POST', `/v1/events/${eventId}/attendees`, { ...person, sendEmail: false });
    expect(res.status).toBe(201);
    ids[person.firstName] = res.json.id;
  }
  const blocked = await client('POST', `/v1/events/${eventId}/attendees/${ids.Edsger}/actions/block`);
  expect(blocked.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

const rows = (page: Page) => page.locator('table.people tbody tr');
const row = (page: Page, email: string) => rows(page).filter({ hasText: email });
const attendee = async (name: string) =>
  (await client('GET', `/v1/events/${eventId}/attendees/${ids[name]}`)).json;

describe.skipIf(!hasChromium)('console: all users, row actions and bulk actions', () => {
  it('filters, blocks from the row menu, shows a login link, and resends to all matching with a dry run', async () => {
    const { context, page } = await h.signedIn(key);
    const people = `${h.stack.baseUrl}/console/events/${eventId}/people`;
    await page.goto(people);
    await expect.poll(() => rows(page).count()).toBe(4);
    // The detailed status is on hover and in the text for screen readers.
    const edsgerStatus = row(page, 'edsger@').locator('.status');
    expect(await edsgerStatus.getAttribute('title')).toBe('Blocked');
    expect(await row(page, 'ada@').locator('.status .visually-hidden').textContent()).toContain(
      'Invited by team member',
    );
    expect(await page.textContent('#people-total')).toContain('4 people');
    await h.shot(page, '20-people-all');

    await page.selectOption('#status', 'invited');
    await page.fill('#q', 'HOPP');
    await page.click('button:has-text("Apply")');
    await page.waitForURL(/status=invited/);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain('grace@example.org');
    await h.shot(page, '21-people-filtered');

    await page.fill('#q', '');
    await page.click('button:has-text("Apply")');
    await expect.poll(() => rows(page).count()).toBe(3);
    // Blocking from Alan's menu keeps the filtered list and flashes the outcome.
    const alan = row(page, 'alan@');
    await alan.locator('summary').click();
    await h.shot(page, '22-people-row-menu');
    await alan.getByRole('button', { name: 'Block', exact: true }).click();
    await expect.poll(() => page.textContent('.notice.ok')).toContain('Alan Turing: blocked');
    expect(page.url()).toContain('status=invited');
    expect((await attendee('Alan')).status).toBe('blocked');
    await expect.poll(() => rows(page).count()).toBe(2);

    // A login link for Grace, shown once with a copy button and its expiry.
    const grace = row(page, 'grace@');
    await grace.locator('summary').click();
    await grace.getByRole('button', { name: 'Generate login link' }).click();
    await page.waitForSelector('#login-link');
    expect(await page.inputValue('#login-link')).toMatch(/^https?:\/\/.+token=/);
    expect(await page.getAttribute('#login-link', 'readonly')).not.toBeNull();
    expect(await page.isVisible('button[data-copy="#login-link"]')).toBe(true);
    expect(await page.textContent('main')).toContain('Expires');
    await h.shot(page, '23-login-link');

    // Everyone still invited (Ada and Grace) gets the invitation again, after a dry run.
    await page.goto(`${people}?status=invited`);
    await expect.poll(() => rows(page).count()).toBe(2);
    await page.check('[data-select-all]');
    expect(await page.textContent('#selected-count')).toBe('2');
    await page.check('input[name=scope][value=filter]');
    await page.selectOption('#bulk-action', 'resend_email');
    await page.click('button:has-text("Review")');
    await page.waitForSelector('#dry-eligible');
    expect(await page.textContent('#dry-matched')).toBe('2');
    expect(await page.textContent('#dry-eligible')).toBe('2');
    expect(await page.textContent('#dry-skipped')).toBe('0');
    expect((await client('GET', `/v1/events/${eventId}/bulk-actions`)).json.total).toBe(0);
    await h.shot(page, '24-bulk-dry-run');
    await page.click('button:has-text("Start: 2 people")');
    await page.waitForURL(/\/bulk-actions\/[0-9a-f-]{36}$/);
    const bulkId = page.url().split('/').pop() as string;
    await expect
      .poll(() => page.textContent('#bulk-status').catch(() => ''), { timeout: 45_000 })
      .toBe('Completed');
    const bulk = await client('GET', `/v1/events/${eventId}/bulk-actions/${bulkId}`);
    expect(bulk.json).toMatchObject({
      action: 'resend_email',
      status: 'completed',
      filter: { status: 'invited' },
      progress: { done: 2, failed: 0 },
    });
    expect(await page.textContent('#bulk-done')).toBe('2');
    await expect
      .poll(() => h.stack.postmark.messages.map((m) => m.To).sort(), { timeout: 20_000 })
      .toEqual(['ada@example.org', 'grace@example.org']);
    await h.shot(page, '25-bulk-completed');

    // Its progress stream and results come through the console's session.
    const stream = await page.request.get(`${page.url()}/events`);
    expect(stream.headers()['content-type']).toContain('text/event-stream');
    const events = await stream.text();
    // A finished bulk action's stream is its last state, once.
    expect(events).toContain('event: finished');
    expect(events).toContain(`"id":"${bulkId}"`);
    const csv = await page.request.get(`${page.url()}/results.csv`);
    expect(await csv.text()).toContain('attendee_id,email,outcome,reason');
    await page.goto(`${h.stack.baseUrl}/console/events/${eventId}/bulk-actions`);
    expect(await page.textContent('table')).toContain('Resend the email');
    await context.close();
  });

  it('edits an attendee with field errors beside the bio, and lists the speaker', async () => {
    const { context, page } = await h.signedIn(key);
    await page.goto(`${h.stack.baseUrl}/console/events/${eventId}/people/${ids.Ada}`);
    expect(await page.textContent('h1')).toContain('Ada Lovelace');
    expect(await page.textContent('table')).toContain('Invited');
    await page.fill('#bio', 'x'.repeat(2600));
    await expect.poll(() => page.textContent('#bio-count')).toBe('2,600 / 2,500');
    await page.click('button:has-text("Save changes")');
    await expect.poll(() => page.textContent('#bio-error')).toBeTruthy();
    expect(await page.getAttribute('#bio', 'aria-invalid')).toBe('true');
    expect((await attendee('Ada')).bio).toBe('Wrote the first program.');
    await h.shot(page, '26-attendee-bio-error');

    await page.fill('#bio', 'Wrote the first program, for the Analytical Engine.');
    await page.fill('#title', 'Mathematician');
    await page.check('#role-moderator');
    await page.click('button:has-text("Save changes")');
    await expect.poll(() => page.textContent('.notice.ok')).toContain('saved');
    expect(await attendee('Ada')).toMatchObject({
      bio: 'Wrote the first program, for the Analytical Engine.',
      title: 'Mathematician',
      roles: ['attendee', 'speaker', 'moderator'],
    });
    await h.shot(page, '27-attendee-saved');

    await page.click('nav.tabs >> text=Speakers');
    await page.waitForURL(/\/speakers$/);
    const cards = page.locator('.person-card');
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain('Ada Lovelace');
    expect(await cards.first().textContent()).toContain('Mathematician, Engines Ltd');
    expect(await page.getAttribute('a:has-text("Invite a speaker")', 'href')).toBe(
      `/console/events/${eventId}/invite?role=speaker`,
    );
    await h.shot(page, '28-speakers');
    await page.click('nav.tabs >> text=Moderators');
    await expect.poll(() => page.textContent('.person-card')).toContain('Ada Lovelace');
    await context.close();

    const tablet = await h.signedIn(key, { width: 820, height: 1000 });
    await tablet.page.goto(`${h.stack.baseUrl}/console/events/${eventId}/people`);
    await expect.poll(() => rows(tablet.page).count()).toBe(4);
    // A stale menu: Edsger was unblocked elsewhere, so the API's 409 detail is flashed.
    const edsger = row(tablet.page, 'edsger@');
    await edsger.locator('summary').click();
    const unblocked = await client('POST', `/v1/events/${eventId}/attendees/${ids.Edsger}/actions/unblock`);
    expect(unblocked.status).toBe(200);
    await edsger.getByRole('button', { name: 'Unblock', exact: true }).click();
    await expect.poll(() => tablet.page.textContent('.notice.error[role=alert]')).toContain('not allowed');
    await h.shot(tablet.page, '29-people-tablet');

    // A forged `back` never leaves this event's people pages.
    const csrf = (await tablet.page.getAttribute('meta[name=csrf-token]', 'content')) as string;
    const forged = await tablet.page.request.post(
      `${h.stack.baseUrl}/console/events/${eventId}/people/${ids.Edsger}/actions`,
      {
        form: { csrf, action: 'block', back: 'https://evil.example/console/events' },
        headers: { origin: h.stack.baseUrl },
        maxRedirects: 0,
      },
    );
    expect(forged.status()).toBe(303);
    expect(forged.headers().location).toBe(`/console/events/${eventId}/people`);
    expect((await attendee('Edsger')).status).toBe('blocked');
    await tablet.context.close();
  });
});
