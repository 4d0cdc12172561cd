import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32, deflateSync } from 'node:zlib';
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

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * The page checked by axe-core against WCAG 2 A and AA: the violations of serious or critical
 * impact, with the elements they name. Injected through the debugging protocol, so the page's
 * strict CSP stays as it is.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global, the page's document beside it
    const { axe, document } = globalThis as any;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    if (result.passes.length === 0) throw new Error('axe checked nothing on this page');
    return result.violations.map(
      (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      }),
    );
  });
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

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

/** A valid size×size PNG of one colour (8-bit RGB), made here so the test needs no fixture file. */
export function png(size: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.from([0, ...Array.from({ length: size }, () => rgb).flat()]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
