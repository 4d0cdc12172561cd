import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

/**
 * The attendee pages in a real browser: Debian's Chromium driven by playwright-core (nothing is
 * downloaded). Screenshots land in test-artifacts/pages/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts/pages';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`attendee page browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let stack: Stack;
let browser: Browser;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack(),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  api = (await stack.createOrganization()).client;
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const EVENT = {
  name: 'Launch Week',
  startsAt: '2030-03-01T09:00:00Z',
  endsAt: '2030-03-03T17:00:00Z',
  accentColor: '#0b6e4f',
  sessions: [
    { name: 'Keynote', startsAt: '2030-03-01T09:00:00Z', endsAt: '2030-03-01T10:00:00Z' },
    { name: 'Workshops', startsAt: '2030-03-02T13:00:00Z', endsAt: '2030-03-02T17:00:00Z' },
  ],
};

async function invite(language: string, overrides: Record<string, unknown> = {}) {
  const event = await api('POST', '/v1/events', sampleEvent({ ...EVENT, ...overrides }));
  expect(event.status).toBe(201);
  const email = `p-${crypto.randomUUID()}@example.org`;
  const res = await api('POST', `/v1/events/${event.json.id}/attendees`, {
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    language,
  });
  expect(res.status).toBe(201);
  return { eventId: event.json.id as string, attendeeId: res.json.id as string, email };
}

/** The link of the email's HTML part, on this test's server (the stack's emails name another site). */
async function emailLink(email: string, kind: string) {
  const message = await eventually(() =>
    stack.postmark.messages.find((m) => m.To === email && m.Metadata?.kind === kind),
  );
  const href = /href="(https?:\/\/[^"]+\?token=[^"]+)"/.exec(message.HtmlBody ?? '')?.[1] as string;
  const url = new URL(href.replaceAll('&amp;', '&'));
  return `${stack.baseUrl}${url.pathname}${url.search}`;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

async function expectLanguage(page: Page, lang: string, dir: string) {
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  expect(await page.getAttribute('html', 'dir')).toBe(dir);
}

/** invite → accept → confirm → log in with a magic link → unregister. */
async function journey(language: string, dir: 'ltr' | 'rtl') {
  const { eventId, email } = await invite(language, { requiresEmailConfirmation: true });
  const context = await browser.newContext({ viewport: { width: 720, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(await emailLink(email, 'invitation'));
    await expectLanguage(page, language, dir);
    await expect.poll(() => page.textContent('h1')).toContain('Launch Week');
    expect(await page.textContent('.sessions')).toContain('Keynote');
    await shot(page, `${language}-1-invitation`);
    await page.fill('#firstName', 'Augusta');
    await page.click('form button[type=submit]');
    await page.waitForURL(`**/events/${eventId}/check-email?lang=${language}`);
    await shot(page, `${language}-2-check-email`);

    await page.goto(await emailLink(email, 'registration_confirmation'));
    await expectLanguage(page, language, dir);
    await shot(page, `${language}-3-confirm`);
    await page.click('form button[type=submit]');
    await page.waitForURL(`**/events/${eventId}/registered?lang=${language}`);
    await shot(page, `${language}-4-registered`);

    await page.fill('#email', email);
    await page.click('form button[type=submit]');
    await page.waitForURL(`**/events/${eventId}/login?sent=1&lang=${language}`);
    await shot(page, `${language}-5-link-sent`);
    await page.goto(await emailLink(email, 'login_link'));
    await shot(page, `${language}-6-login`);
    await page.click('form button[type=submit]');
    await page.waitForURL(`**/events/${eventId}/me`);
    // The token left the address bar, and the page is the attendee's own.
    expect(page.url()).not.toContain('token=');
    await expectLanguage(page, language, dir);
    expect(await page.textContent('h1')).toContain('Launch Week');
    await shot(page, `${language}-7-me`);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'roster_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });

    await page.click(`a[href="/events/${eventId}/unregister"]`);
    await shot(page, `${language}-8-unregister`);
    await page.click('button.danger');
    await page.waitForURL(`**/events/${eventId}/unregistered?lang=${language}`);
    await shot(page, `${language}-9-unregistered`);
    const attendees = await api('GET', `/v1/events/${eventId}/attendees`);
    expect(attendees.json.items[0]).toMatchObject({ firstName: 'Augusta', status: 'unregistered' });
  } finally {
    await context.close();
  }
}

// In CI (.ci/run installs chromium) a missing browser fails the run instead of skipping it.
describe.skipIf(!hasChromium && !process.env.CI)('attendee pages in Chromium', () => {
  it('takes a German invitee from the invitation to unregistering', () => journey('de', 'ltr'));
  it('takes a Japanese invitee from the invitation to unregistering', () => journey('ja', 'ltr'));
  it('takes an Arabic invitee from the invitation to unregistering, right to left', () =>
    journey('ar', 'rtl'));

  it('refuses a blocked invitee and an expired link with clear pages', async () => {
    const { eventId, attendeeId, email } = await invite('fr');
    const link = await emailLink(email, 'invitation');
    const context = await browser.newContext({ viewport: { width: 720, height: 700 } });
    const page = await context.newPage();
    try {
      // Used link: accepting spends it, and opening it again offers a new one.
      await page.goto(link);
      await page.click('form button[type=submit]');
      await page.waitForURL(`**/events/${eventId}/registered?lang=fr`);
      const again = await page.goto(link);
      expect(again?.status()).toBe(410);
      expect(await page.isVisible('#email')).toBe(true);
      await shot(page, 'fr-expired');

      expect((await api('POST', `/v1/events/${eventId}/attendees/${attendeeId}/actions/block`)).status).toBe(
        200,
      );
      await page.goto(link);
      expect(await page.textContent('h1')).toBe('Vous ne pouvez pas participer à cet événement');
      await shot(page, 'fr-blocked');
    } finally {
      await context.close();
    }
  });
});
