import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ARTIFACTS, png } from '../support/console';
import { newGroup, oktaUser, organizationWithScim } from '../support/scim';
import { type Stack, sampleEvent, startStack } from '../support/stack';

/**
 * The console in Firefox: Debian's firefox-esr driven over WebDriver BiDi by puppeteer-core
 * (playwright-core's Firefox needs its own patched build). The organizer's main path, with every
 * script the console has: the picture preview and counter, the live progress of an import
 * (EventSource), the row menu and the confirmation questions.
 */
const FIREFOX = '/usr/bin/firefox-esr';
const hasFirefox = existsSync(FIREFOX);
if (!hasFirefox)
  console.warn(`console Firefox test skipped: ${FIREFOX} is missing (apt-get install -y firefox-esr)`);

let stack: Stack;
let browser: Browser;
const files = mkdtempSync(path.join(tmpdir(), 'roster-firefox-'));

beforeAll(async () => {
  if (!hasFirefox) return;
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack(),
    puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      protocolTimeout: 60_000,
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Clicks and waits for the page the click leads to. */
async function go(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${CONSOLE_ARTIFACTS}/firefox-${name}.png`, fullPage: true });

describe.skipIf(!hasFirefox)('console in Firefox', () => {
  it('signs in, invites a speaker with a picture, bulk invites with live progress, blocks one and grants a group', async () => {
    const org = await organizationWithScim(stack);
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 860 });
    page.on('dialog', (dialog) => void dialog.accept());

    await page.goto(`${stack.baseUrl}/console`);
    expect(page.url()).toContain('/console/sign-in');
    await page.type('#apiKey', org.key);
    await go(page, 'form button[type=submit]');
    expect(page.url()).toMatch(/\/console\/events$/);

    await go(page, 'a[href="/console/events/new"]');
    await page.type('#name', 'Firefox Forum');
    await page.$eval('#startsAt', (e) => {
      (e as unknown as { value: string }).value = '2031-06-01T09:00';
    });
    await page.$eval('#endsAt', (e) => {
      (e as unknown as { value: string }).value = '2031-06-01T17:00';
    });
    await go(page, 'form.panel button[type=submit]');
    const eventId = page.url().split('/').at(-1) as string;
    expect(await text(page, '.notice.ok')).toContain('Firefox Forum');

    // A speaker with a picture: the preview and the bio counter are the console's script at work.
    await page.goto(`${stack.baseUrl}/console/events/${eventId}/invite?role=speaker`);
    await page.type('#email', 'ada@firefox.example');
    await page.type('#firstName', 'Ada');
    await page.type('#lastName', 'Lovelace');
    await page.type('#bio', 'Analyst.');
    expect(await text(page, '#bio-counter')).toBe('8 / 2,500');
    const picture = path.join(files, 'ada.png');
    writeFileSync(picture, png(64, [11, 110, 79]));
    const input = await page.$('#image');
    await (input as unknown as { uploadFile: (p: string) => Promise<void> }).uploadFile(picture);
    await page.waitForSelector('#image-preview:not([hidden])');
    expect(await page.$eval('#image-preview', (e) => (e as unknown as { src: string }).src)).toMatch(
      /^blob:/,
    );
    await shot(page, 'invite');
    await go(page, 'button[name=sendEmail][value=true]');
    expect(page.url()).toMatch(/\/people\/[0-9a-f-]{36}$/);
    const speakers = (await org.client('GET', `/v1/events/${eventId}/speakers`)).json.items;
    expect(speakers[0].imageUrl).toBeTruthy();

    // Bulk invite: the report, then the progress page that follows the event stream to the end.
    await page.goto(`${stack.baseUrl}/console/events/${eventId}/imports`);
    const rows = Array.from({ length: 40 }, (_, i) => `guest${i}@firefox.example,Guest,${i}`);
    const file = path.join(files, 'guests.csv');
    writeFileSync(file, `email,first_name,last_name\n${rows.join('\n')}\nbad-address,No,Email\n`);
    const upload = await page.$('#file');
    await (upload as unknown as { uploadFile: (p: string) => Promise<void> }).uploadFile(file);
    await go(page, 'form[enctype="multipart/form-data"] button[type=submit]');
    expect(await page.$$eval('table.row-errors tbody tr', (r) => r.length)).toBe(1);
    await shot(page, 'import-report');
    await go(page, 'button[name=sendEmail][value=true]');
    await page.waitForSelector('h1::-p-text(Import completed)', { timeout: 60_000 });
    await shot(page, 'import-completed');
    expect(
      (await org.client('GET', `/v1/events/${eventId}/attendees?status=invited&limit=1`)).json.total,
    ).toBe(41);

    // Filter to invited, search one, block them from the row menu.
    await page.goto(`${stack.baseUrl}/console/events/${eventId}/people`);
    await page.select('#status', 'invited');
    await page.type('#q', 'guest7@');
    await go(page, 'form.filters button[type=submit]');
    expect(await page.$$eval('table.people tbody tr', (r) => r.length)).toBe(1);
    await page.click('table.people tbody tr details.menu summary');
    await go(page, 'table.people tbody tr details.menu button[value=block]');
    expect(await text(page, '.notice.ok')).toContain('blocked');
    await shot(page, 'people-blocked');
    const guest = (await org.client('GET', `/v1/events/${eventId}/attendees?q=guest7%40`)).json.items[0];
    expect(guest.status).toBe('blocked');

    // Grant a group on a closed event (the confirmation question is answered yes).
    const user = await org.scim('POST', '/Users', oktaUser('grace@firefox.example', 'Grace', 'Hopper'));
    await org.scim('POST', '/Groups', newGroup('Firefox Team', [user.json.id]));
    const closed = await org.client('POST', '/v1/events', sampleEvent({ loginMode: 'sso', closed: true }));
    await page.goto(`${stack.baseUrl}/console/events/${closed.json.id}/access`);
    await go(page, 'tbody tr form button[type=submit]');
    expect(await text(page, '.notice.ok')).toContain('Firefox Team');
    await shot(page, 'access-granted');
    const granted = await org.client('GET', `/v1/events/${closed.json.id}/access/groups?filter=granted`);
    expect(granted.json.items.map((g: { displayName: string }) => g.displayName)).toEqual(['Firefox Team']);
    await page.close();
  });
});
