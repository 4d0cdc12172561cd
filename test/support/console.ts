import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Stack, startStack } from './stack';

/**
 * The organizer console in a real browser: Debian's Chromium driven by playwright-core, against
 * the whole stack (API, worker, Temporal dev server, PostgreSQL, the Postmark stand-in).
 * Screenshots land in test-artifacts/console/.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CONSOLE_ARTIFACTS = 'test-artifacts/console';
export const hasChromium = existsSync(CHROMIUM);

export interface ConsoleHarness {
  stack: Stack;
  browser: Browser;
  /** A new organization, its key and a JSON client for arranging data through the API. */
  organization: () => ReturnType<Stack['createOrganization']>;
  /** A fresh browser context (laptop-sized unless told), signed in to the console with the key. */
  signedIn: (
    key: string,
    viewport?: { width: number; height: number },
  ) => Promise<{ context: BrowserContext; page: Page }>;
  shot: (page: Page, name: string) => Promise<void>;
  close: () => Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  const [stack, browser] = await Promise.all([
    startStack(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    }),
  ]);
  async function signedIn(key: string, viewport = { width: 1280, height: 860 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/console`);
    await page.waitForURL('**/console/sign-in**');
    await page.fill('#apiKey', key);
    await page.click('form button[type=submit]');
    await page.waitForURL('**/console/events');
    return { context, page };
  }
  return {
    stack,
    browser,
    organization: () => stack.createOrganization(),
    signedIn,
    shot: async (page, name) => {
      await page.screenshot({ path: `${CONSOLE_ARTIFACTS}/${name}.png`, fullPage: true });
    },
    close: async () => {
      await browser.close();
      await stack.close();
    },
  };
}
