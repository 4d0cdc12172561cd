import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, hasChromium, startConsoleHarness } from '../support/console';
import { newGroup, oktaUser, organizationWithScim } from '../support/scim';
import { sampleEvent } from '../support/stack';
import { startWebhookReceiver, verify, type WebhookReceiver } from '../support/webhook-receiver';

/** The console's Event access, Reminders and Webhooks pages, driven in Chromium over the real stack. */
let h: ConsoleHarness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  if (!hasChromium) return;
  [h, receiver] = await Promise.all([startConsoleHarness(), startWebhookReceiver()]);
});
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

/** Accepts every data-confirm question (and fails the test if none was asked when one should be). */
function acceptConfirms(page: Page) {
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  });
  return asked;
}

const rowOf = (page: Page, name: string) => page.locator('tbody tr', { hasText: name });

describe.skipIf(!hasChromium)('console automation pages', () => {
  it('filters and searches IdP groups, grants and removes access, and changes the access setting of a closed SSO event', async () => {
    const org = await organizationWithScim(h.stack);
    const created = await org.client('POST', '/v1/events', sampleEvent({ loginMode: 'sso', closed: true }));
    expect(created.status, created.text).toBe(201);
    const eventId = created.json.id as string;
    const users = await Promise.all(
      ['ada', 'grace', 'alan'].map(async (name) => {
        const res = await org.scim('POST', '/Users', oktaUser(`${name}-${crypto.randomUUID()}@example.org`));
        expect(res.status, res.text).toBe(201);
        return res.json.id as string;
      }),
    );
    const groups: Record<string, string> = {};
    for (const [name, members] of [
      ['Engineering', users],
      ['Sales', users.slice(0, 1)],
      ['Design Team', users.slice(1)],
    ] as const) {
      const res = await org.scim('POST', '/Groups', newGroup(name, [...members]));
      expect(res.status, res.text).toBe(201);
      groups[name] = res.json.id;
    }
    await org.client('PUT', `/v1/events/${eventId}/access/groups/${groups.Sales}`);
    const groupOf = async (name: string) => {
      const { json } = await org.client('GET', `/v1/events/${eventId}/access/groups`);
      return json.items.find((g: { displayName: string }) => g.displayName === name);
    };

    const { context, page } = await h.signedIn(org.key);
    const asked = acceptConfirms(page);
    await page.goto(`${h.stack.baseUrl}/console/events/${eventId}/access`);
    expect(await page.locator('nav.tabs a[aria-current=page]').textContent()).toBe('Event access');
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(await rowOf(page, 'Engineering').textContent()).toContain('3');
    await h.shot(page, '30-access-groups');

    await page.click('nav.filters >> text=Granted');
    await page.waitForURL('**/access?filter=granted');
    expect(await page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Sales')]);
    await page.click('nav.filters >> text=Without access');
    expect(await page.locator('tbody tr').count()).toBe(2);

    await page.fill('#q', 'engin');
    await page.click('button:has-text("Search")');
    await page.waitForURL('**/access?filter=not_granted&q=engin');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await rowOf(page, 'Engineering').locator('button:has-text("Grant access")').click();
    await page.waitForURL('**/access?filter=not_granted&q=engin');
    expect(await page.textContent('.notice.ok')).toContain('Access granted to “Engineering”');
    expect(asked.at(-1)).toContain('Engineering');
    expect(await page.inputValue('#q')).toBe('engin');
    expect(await groupOf('Engineering')).toMatchObject({ granted: true, memberCount: 3 });
    await h.shot(page, '31-access-granted-search');

    await page.goto(`${h.stack.baseUrl}/console/events/${eventId}/access?filter=granted`);
    await rowOf(page, 'Sales').locator('button:has-text("Remove access")').click();
    await page.waitForURL('**/access?filter=granted');
    expect(await page.textContent('.notice.ok')).toContain('Access removed for “Sales”');
    expect(asked.at(-1)).toContain('Sales');
    expect(await groupOf('Sales')).toMatchObject({ granted: false });
    expect(await page.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('Engineering'),
    ]);

    const before = (await org.client('GET', `/v1/events/${eventId}/access/settings`)).json;
    expect(await page.isChecked('#allowOutsideIdpGroups')).toBe(before.allowOutsideIdpGroups);
    await page.setChecked('#allowOutsideIdpGroups', !before.allowOutsideIdpGroups);
    await page.click('button:has-text("Save setting")');
    await expect.poll(() => page.textContent('.notice.ok')).toBeTruthy();
    expect((await org.client('GET', `/v1/events/${eventId}/access/settings`)).json).toEqual({
      allowOutsideIdpGroups: !before.allowOutsideIdpGroups,
    });
    expect(await page.isChecked('#allowOutsideIdpGroups')).toBe(!before.allowOutsideIdpGroups);
    await h.shot(page, '32-access-setting');

    const open = await org.client('POST', '/v1/events', sampleEvent());
    await page.goto(`${h.stack.baseUrl}/console/events/${open.json.id}/access`);
    expect(await page.textContent('main')).toContain('applies to closed SSO events');
    expect(await page.getAttribute('main a:has-text("overview")', 'href')).toBe(
      `/console/events/${open.json.id}`,
    );
    expect(await page.locator('nav.tabs >> text=Event access').count()).toBe(0);
    await context.close();
  });

  it('creates a reminder rule with its own text, with field errors first, lists it and deletes it', async () => {
    const { key, client } = await h.organization();
    const created = await client('POST', '/v1/events', sampleEvent());
    const eventId = created.json.id as string;
    const { context, page } = await h.signedIn(key);
    const asked = acceptConfirms(page);
    await page.goto(`${h.stack.baseUrl}/console/events/${eventId}/reminders`);
    expect(await page.textContent('main')).toContain('No reminders yet');

    await page.selectOption('#audience', 'registered');
    await page.fill('#offsetAmount', '61');
    await page.selectOption('#offsetUnit', 'days');
    await page.fill('#subject', 'Parking and arrival');
    await page.click('button:has-text("Create reminder")');
    await expect.poll(() => page.textContent('#offsetAmount-error')).toContain('60 days');
    expect(await page.getAttribute('#offsetAmount', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#body-error')).toBeTruthy();
    expect(await page.inputValue('#subject')).toBe('Parking and arrival');
    await h.shot(page, '33-reminder-errors');

    await page.fill('#offsetAmount', '2');
    await page.fill('#body', 'Doors open at 8:30.\n\nThe car park map: https://example.com/parking');
    await page.click('button:has-text("Create reminder")');
    await page.waitForURL(`**/console/events/${eventId}/reminders`);
    expect(await page.textContent('.notice.ok')).toContain('2 days before the start');
    const row = rowOf(page, 'Parking and arrival');
    expect(await row.textContent()).toContain('Registered attendees');
    expect(await row.textContent()).toContain('2 days before the start');
    expect(await row.textContent()).toContain('Scheduled');
    const rules = (await client('GET', `/v1/events/${eventId}/reminders`)).json.items;
    expect(rules).toEqual([
      expect.objectContaining({
        audience: 'registered',
        offsetMinutes: 2 * 24 * 60,
        message: expect.objectContaining({ subject: 'Parking and arrival' }),
      }),
    ]);
    await row.locator('button:has-text("Send now")').click();
    await expect.poll(() => page.textContent('.notice.ok')).toContain('Sending now to 0 people');
    expect(asked.at(-1)).toContain('Send this reminder to registered attendees now?');
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('table.runs tbody tr').allTextContents();
      })
      .toEqual([expect.stringMatching(/2 days before, to registered attendees\s*Sent now/)]);
    await h.shot(page, '34-reminders-list');

    await row.locator('button:has-text("Delete")').click();
    await expect.poll(() => page.textContent('.notice.ok')).toContain('Reminder deleted');
    expect(asked.at(-1)).toContain('Delete the reminder 2 days before the start');
    expect((await client('GET', `/v1/events/${eventId}/reminders`)).json.items).toEqual([]);
    await context.close();
  });

  it('creates a webhook endpoint, shows its secret once, sends a test and shows the delivery in the log', async () => {
    const { key, client } = await h.organization();
    const { context, page } = await h.signedIn(key);
    acceptConfirms(page);
    await page.goto(`${h.stack.baseUrl}/console/webhooks`);
    expect(await page.locator('header nav a[aria-current=page]').textContent()).toBe('Webhooks');
    await page.click('text=New endpoint');
    await page.fill('#url', 'ftp://hooks.example.com/x');
    await page.click('button:has-text("Create endpoint")');
    await expect.poll(() => page.textContent('#url-error')).toBeTruthy();
    expect(await page.textContent('#events-error')).toBeTruthy();

    const url = receiver.url(`/console-${crypto.randomUUID()}`);
    await page.fill('#url', url);
    await page.check('input[name=events][value="attendee.invited"]');
    await page.check('input[name=events][value="email.bounced"]');
    await page.fill('#description', 'CRM sync');
    await page.click('button:has-text("Create endpoint")');
    await expect.poll(() => page.textContent('h1')).toBe('Endpoint created');
    expect(page.url()).toMatch(/\/console\/webhooks\/new$/);
    const secret = await page.inputValue('#secret');
    expect(secret).toMatch(/^whsec_/);
    expect(await page.textContent('main')).toContain('will not be shown again');
    expect(await page.locator('button[data-copy="#secret"]').count()).toBe(1);
    await h.shot(page, '35-webhook-secret');

    const { json: list } = await client('GET', '/v1/webhook-endpoints');
    expect(list.items).toEqual([
      expect.objectContaining({
        url,
        events: ['attendee.invited', 'email.bounced'],
        description: 'CRM sync',
        enabled: true,
      }),
    ]);
    const endpointId = list.items[0].id as string;

    await page.click('text=go to the endpoint');
    await page.waitForURL(`**/console/webhooks/${endpointId}`);
    expect(await page.content()).not.toContain(secret);
    await page.click('button:has-text("Send test event")');
    await expect.poll(() => page.textContent('.notice.ok')).toContain('Test event sent');
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('tr[data-delivery]').first().textContent();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toContain('succeeded');
    const delivery = page.locator('tr[data-delivery]').first();
    expect(await delivery.textContent()).toContain('webhook.test');
    await delivery.locator('summary').click();
    expect(await delivery.textContent()).toContain('HTTP 200');
    const received = receiver.at(new URL(url).pathname);
    expect(received).toHaveLength(1);
    expect(verify(secret, received[0] as (typeof received)[number])).toMatchObject({ type: 'webhook.test' });
    await h.shot(page, '36-webhook-deliveries');

    await page.click('button:has-text("Rotate secret")');
    await expect.poll(() => page.textContent('h1')).toBe('New signing secret');
    const rotated = await page.inputValue('#secret');
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await page.textContent('main')).toContain('will not be shown again');
    await page.goto(`${h.stack.baseUrl}/console/webhooks/${endpointId}`);
    expect(await page.content()).not.toContain(rotated);
    expect(await page.textContent('dl.facts')).toContain('Previous secret');
    await page.setViewportSize({ width: 820, height: 1000 });
    await h.shot(page, '38-webhook-endpoint-tablet');
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.goto(`${h.stack.baseUrl}/console/webhooks`);
    expect(await rowOf(page, url).textContent()).toContain('Enabled');
    await h.shot(page, '37-webhooks-list');
    await context.close();
  });
});
