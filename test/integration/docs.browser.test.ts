import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack';

/** The API reference at /docs renders in a real browser with no request leaving Roster. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs it`);

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  if (!hasChromium) return;
  [stack, browser] = await Promise.all([
    startStack(),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.skipIf(!hasChromium)('API reference in a browser', () => {
  it('renders the operations offline: every request goes to Roster itself', async () => {
    const page = await browser.newPage();
    const origin = new URL(stack.baseUrl).origin;
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:'))
        return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${stack.baseUrl}/docs`);
    await page.getByText('Readiness: Postgres and Temporal reachable').first().waitFor({ timeout: 30_000 });
    await page.getByText('Bulk invite').first().waitFor();
    mkdirSync('test-artifacts/docs', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/docs/api-reference.png' });
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    for (const hosted of ['Ask AI', 'Deploy', 'Generate SDK'])
      expect(await page.getByText(hosted).count()).toBe(0);
    await page.close();
  });
});
