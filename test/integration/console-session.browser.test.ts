import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  type ConsoleHarness,
  hasChromium,
  startConsoleHarness,
} from '../support/console';

/** Signing in and out of the console, its cookies and CSRF rules, and an event made through it. */
let h: ConsoleHarness;

beforeAll(async () => {
  if (hasChromium) h = await startConsoleHarness();
});
afterAll(async () => {
  await h?.close();
});

describe.skipIf(!hasChromium)('console sign-in and events', () => {
  it('exchanges the key for an HttpOnly SameSite=Strict session and keeps the key out of the browser', async () => {
    const { key } = await h.organization();
    const { context, page } = await h.signedIn(key);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'roster_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(session?.value).not.toContain(key);
    expect(cookies.map((c) => c.value).join(' ')).not.toContain(key);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(storage).not.toContain(key);
    await h.shot(page, '00-events-empty');

    await page.click('text=Sign out');
    await page.waitForURL('**/console/sign-in');
    await page.goto(`${h.stack.baseUrl}/console/events`);
    await page.waitForURL('**/console/sign-in?next=%2Fconsole%2Fevents');
    await context.close();
  });

  it('refuses a wrong key with a message and no session', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.stack.baseUrl}/console/sign-in`);
    await page.fill('#apiKey', 'rk_not-a-key');
    await page.click('form button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('not valid');
    expect((await context.cookies()).find((c) => c.name === 'roster_console')).toBeUndefined();
    await h.shot(page, '00-sign-in-refused');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('refuses a change without the session’s CSRF token or from another origin', async () => {
    const { key } = await h.organization();
    const { context } = await h.signedIn(key);
    const cookie = (await context.cookies()).find((c) => c.name === 'roster_console');
    const headers = {
      cookie: `roster_console=${cookie?.value}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    const form = 'name=X&timezone=UTC&startsAt=2030-01-01T09%3A00&endsAt=2030-01-01T10%3A00';
    const noToken = await fetch(`${h.stack.baseUrl}/console/events/new`, {
      method: 'POST',
      headers,
      body: form,
      redirect: 'manual',
    });
    expect(noToken.status).toBe(403);
    const page = (await context.pages())[0];
    const csrf = await page?.getAttribute('meta[name=csrf-token]', 'content');
    const crossSite = await fetch(`${h.stack.baseUrl}/console/events/new`, {
      method: 'POST',
      headers: { ...headers, origin: 'https://evil.example' },
      body: `${form}&csrf=${csrf}`,
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    const { json } = await h.stack.client(key)('GET', '/v1/events');
    expect(json.total).toBe(0);
    await context.close();
  });

  it('creates and edits an event with sessions in its own time zone, with field errors on bad input', async () => {
    const { key, client } = await h.organization();
    const { context, page } = await h.signedIn(key);
    await page.click('text=New event');
    await page.fill('#name', 'Spring Summit');
    await page.selectOption('#timezone', 'Europe/Berlin');
    await page.fill('#startsAt', '2030-05-04T09:00');
    await page.fill('#endsAt', '2030-05-03T17:00');
    await page.click('button:has-text("Create event")');
    await expect.poll(() => page.textContent('.field-error')).toBeTruthy();
    await h.shot(page, '01-event-new-error');
    await page.fill('#endsAt', '2030-05-05T17:00');
    await page.fill('[name="sessions.0.name"]', 'Keynote');
    await page.fill('[name="sessions.0.startsAt"]', '2030-05-04T09:00');
    await page.fill('[name="sessions.0.endsAt"]', '2030-05-04T10:00');
    await page.click('button:has-text("Create event")');
    await page.waitForURL(/\/console\/events\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.notice.ok')).toContain('Spring Summit');
    const { json } = await client('GET', '/v1/events');
    expect(json.items[0]).toMatchObject({
      name: 'Spring Summit',
      timezone: 'Europe/Berlin',
      startsAt: '2030-05-04T07:00:00.000Z',
      sessions: [
        { name: 'Keynote', startsAt: '2030-05-04T07:00:00.000Z', endsAt: '2030-05-04T08:00:00.000Z' },
      ],
    });
    await h.shot(page, '02-event-overview');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.fill('#name', 'Spring Summit 2030');
    await page.check('#publishedRegistration');
    await page.click('button:has-text("Save changes")');
    await expect.poll(() => page.textContent('.notice')).toContain('saved');
    const after = await client('GET', `/v1/events/${json.items[0].id}`);
    expect(after.json).toMatchObject({ name: 'Spring Summit 2030', publishedRegistration: true });
    await context.close();
  });
});
