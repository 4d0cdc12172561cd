import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AxeViolation,
  accessibilityViolations,
  CONSOLE_ARTIFACTS,
  type ConsoleHarness,
  hasChromium,
  png,
  startConsoleHarness,
} from '../support/console';
import { newGroup, oktaUser, organizationWithScim } from '../support/scim';

/**
 * An organizer's afternoon in the console, in one browser session: sign in → create an event →
 * invite a speaker with a picture → bulk invite a CSV with errors → fix it and invite → watch the
 * progress → filter to "invited" → resend to all of them → block one (by keyboard) → grant a group
 * on a closed event. Every page is screenshotted (test-artifacts/console/4x-…) and checked by
 * axe-core; docs/console-*.png are copies of a run's docs-console-*.png (the visible part of two pages).
 */
let h: ConsoleHarness;

beforeAll(async () => {
  if (hasChromium) h = await startConsoleHarness();
});
afterAll(async () => {
  await h?.close();
});

const ROWS = 120;
const csv = (lines: string[]) => ({
  name: 'attendees.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\n')}\n`),
});

describe.skipIf(!hasChromium)('console walkthrough', () => {
  it('takes an organizer from sign-in to a granted group, every page accessible', async () => {
    const org = await organizationWithScim(h.stack);
    const violations: { page: string; found: AxeViolation[] }[] = [];
    let step = 40;
    /** A screenshot of the page as it is, and its accessibility check. */
    const visit = async (page: Page, name: string) => {
      const file = `${step++}-walkthrough-${name}`;
      await h.shot(page, file);
      const found = await accessibilityViolations(page);
      if (found.length) violations.push({ page: name, found });
      return file;
    };
    // Sign in.
    const { page } = await h.signedIn(org.key);
    // Confirmation questions (access changes) are answered yes.
    page.on('dialog', (dialog) => void dialog.accept());
    await visit(page, 'events');

    // Create an event.
    await page.click('text=New event');
    await page.fill('#name', 'Northwind Summit');
    await page.selectOption('#timezone', 'America/New_York');
    await page.fill('#startsAt', '2031-04-14T09:00');
    await page.fill('#endsAt', '2031-04-15T17:00');
    await page.fill('[name="sessions.0.name"]', 'Opening keynote');
    await page.fill('[name="sessions.0.startsAt"]', '2031-04-14T09:00');
    await page.fill('[name="sessions.0.endsAt"]', '2031-04-14T10:00');
    await visit(page, 'new-event');
    await page.click('button:has-text("Create event")');
    await page.waitForURL(/\/console\/events\/[0-9a-f-]{36}$/);
    const eventId = page.url().split('/').at(-1) as string;
    await visit(page, 'event-overview');

    // Invite one speaker with a picture.
    await page.click('nav.tabs >> text=Invite');
    await page.fill('#email', 'ada@northwind.example');
    await page.fill('#firstName', 'Ada');
    await page.fill('#lastName', 'Lovelace');
    await page.check('#role-speaker');
    await page.fill('#title', 'Chief Analyst');
    await page.fill('#company', 'Northwind');
    await page.fill('#bio', 'Wrote the first published program, for the Analytical Engine.');
    await page.setInputFiles('#image', {
      name: 'ada.png',
      mimeType: 'image/png',
      buffer: png(96, [36, 84, 197]),
    });
    await page.waitForSelector('#image-preview:not([hidden])');
    await visit(page, 'invite-speaker');
    await page.click('button:text-is("Invite")');
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.notice.ok')).toBeTruthy();
    await visit(page, 'speaker-invited');
    const speaker = (await org.client('GET', `/v1/events/${eventId}/speakers`)).json.items[0];
    expect(speaker).toMatchObject({ email: 'ada@northwind.example', status: 'invited' });
    expect(speaker.imageUrl).toBeTruthy();

    // Bulk invite a file with errors: the report names each row.
    const good = Array.from(
      { length: ROWS },
      (_, i) => `guest${i}@northwind.example,Guest,Number ${i},Northwind,Engineer,en,`,
    );
    const header = 'email,first_name,last_name,company,title,language,role';
    await page.click('nav.tabs >> text=Bulk invite');
    await visit(page, 'bulk-invite');
    await page.setInputFiles(
      '#file',
      csv([
        header,
        ...good.slice(0, 60),
        'not-an-email,Bad,Address,,,,',
        'grace@gmial.com,Grace,Hopper,,,,',
        'alan@northwind.example,,Turing,,,,',
        ...good.slice(60),
        'guest0@northwind.example,Guest,Again,,,,',
      ]),
    );
    await page.click('button:text-is("Upload and check")');
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    const errors = await page.locator('table.row-errors tbody tr').allTextContents();
    expect(errors).toHaveLength(4);
    expect(errors.join(' ')).toContain('gmail.com');
    await visit(page, 'import-report');
    const reportShot = `${CONSOLE_ARTIFACTS}/docs-console-import-report.png`;
    await page.screenshot({ path: reportShot });

    // Fix the file and invite everyone in it.
    await page.setInputFiles(
      '#file',
      csv([header, ...good, 'grace@gmail.com,Grace,Hopper,,,,', 'alan@northwind.example,Alan,Turing,,,,']),
    );
    await page.click('button:text-is("Upload corrected file")');
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    expect(await page.locator('table.row-errors').count()).toBe(0);
    await page.click(`button:has-text("Invite ${ROWS + 2} people")`);
    // Watch the progress: the page follows the import's event stream until it reloads finished.
    const running = await page
      .waitForSelector('[data-progress]', { timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (running) await visit(page, 'import-progress');
    await page.waitForSelector('h1:text-is("Import completed")', { timeout: 60_000 });
    await visit(page, 'import-completed');
    const invitedCount = ROWS + 3;
    const all = await org.client('GET', `/v1/events/${eventId}/attendees?status=invited&limit=1`);
    expect(all.json.total).toBe(invitedCount);

    // Filter to "invited" and resend to all of them.
    await page.click('nav.tabs >> text=All users');
    await page.selectOption('#status', 'invited');
    await page.click('button:has-text("Apply")');
    await page.waitForURL(/status=invited/);
    expect(await page.textContent('#people-total')).toContain(`${invitedCount} people`);
    await visit(page, 'people-invited');
    const peopleShot = `${CONSOLE_ARTIFACTS}/docs-console-people.png`;
    await page.screenshot({ path: peopleShot });
    const sentBefore = h.stack.postmark.messages.filter(
      (m) => m.Metadata?.eventId === eventId && m.Metadata?.kind === 'invitation',
    ).length;
    await page.check('input[name=scope][value=filter]');
    await page.selectOption('#bulk-action', 'resend_email');
    await page.click('button:has-text("Review")');
    await page.waitForSelector('#dry-eligible');
    expect(await page.textContent('#dry-eligible')).toBe(String(invitedCount));
    await visit(page, 'resend-dry-run');
    await page.click(`button:has-text("Start: ${invitedCount} people")`);
    await page.waitForURL(/\/bulk-actions\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.textContent('#bulk-status').catch(() => ''), { timeout: 90_000, interval: 500 })
      .toMatch(/Completed/i);
    await visit(page, 'resend-completed');
    await expect
      .poll(
        () =>
          h.stack.postmark.messages.filter(
            (m) => m.Metadata?.eventId === eventId && m.Metadata?.kind === 'invitation',
          ).length - sentBefore,
        { timeout: 30_000 },
      )
      .toBe(invitedCount);

    // Block one, with the keyboard only: focus the row's menu, open it, tab to Block, press Enter.
    await page.goto(`${h.stack.baseUrl}/console/events/${eventId}/people?status=invited&q=alan`);
    const row = page.locator('table.people tbody tr', { hasText: 'alan@northwind.example' });
    await row.locator('summary').focus();
    await page.keyboard.press('Enter');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: the page's document
        return ((globalThis as any).document.activeElement?.textContent ?? '').trim();
      });
      if (focused === 'Block') break;
    }
    await visit(page, 'block-menu');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('.notice.ok')).toContain('blocked');
    const alan = (await org.client('GET', `/v1/events/${eventId}/attendees?q=alan`)).json.items[0];
    expect(alan.status).toBe('blocked');

    // Grant a group on a closed SSO event.
    const user = await org.scim('POST', '/Users', oktaUser('grace@northwind.example', 'Grace', 'Hopper'));
    expect(user.status).toBe(201);
    const group = await org.scim('POST', '/Groups', newGroup('Northwind Engineering', [user.json.id]));
    expect(group.status).toBe(201);
    await page.click('header.top >> text=Events');
    await page.click('text=New event');
    await page.fill('#name', 'Northwind Internal Town Hall');
    await page.fill('#startsAt', '2031-05-01T16:00');
    await page.fill('#endsAt', '2031-05-01T17:00');
    await page.selectOption('#loginMode', 'sso');
    await page.check('#closed');
    await page.click('button:has-text("Create event")');
    await page.waitForURL(/\/console\/events\/[0-9a-f-]{36}$/);
    const closedId = page.url().split('/').at(-1) as string;
    await page.click('nav.tabs >> text=Event access');
    await visit(page, 'access');
    await page
      .locator('tbody tr', { hasText: 'Northwind Engineering' })
      .locator('button:has-text("Grant access")')
      .click();
    await expect.poll(() => page.textContent('.notice.ok')).toContain('Northwind Engineering');
    await visit(page, 'access-granted');
    const groups = (await org.client('GET', `/v1/events/${closedId}/access/groups?filter=granted`)).json
      .items;
    expect(groups.map((g: { displayName: string }) => g.displayName)).toEqual(['Northwind Engineering']);

    // The import-finished email's link opens the console's page for the import.
    const imports = (await org.client('GET', `/v1/events/${eventId}/imports`)).json.items;
    await page.goto(`${h.stack.baseUrl}/events/${eventId}/imports/${imports[0].id}`);
    await page.waitForURL(`**/console/events/${eventId}/imports/${imports[0].id}`);

    expect(violations).toEqual([]);
    expect(existsSync(peopleShot) && existsSync(reportShot)).toBe(true);
  });
});
