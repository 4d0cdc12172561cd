import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, hasChromium, png, startConsoleHarness } from '../support/console';
import { sampleEvent } from '../support/stack';

/** The console's Invite and Bulk invite pages, in a real browser against the whole stack. */
let h: ConsoleHarness;

beforeAll(async () => {
  if (hasChromium) h = await startConsoleHarness();
});
afterAll(async () => {
  await h?.close();
});

const unique = () => Math.random().toString(36).slice(2, 8);
const messagesTo = (address: string) => h.stack.postmark.messages.filter((m) => m.To.includes(address));
const csvFile = (name: string, lines: string[]) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\r\n')}\r\n`),
});

describe.skipIf(!hasChromium)('console invite', () => {
  it('invites a speaker with a picture and a bio, quietly without email, and refuses a duplicate address', async () => {
    const { key, client } = await h.organization();
    const created = await client('POST', '/v1/events', sampleEvent({ defaultLanguage: 'de' }));
    const eventId = created.json.id as string;
    const { context, page } = await h.signedIn(key);
    const invitePage = `${h.stack.baseUrl}/console/events/${eventId}/invite`;
    const tag = unique();
    const quiet = `quiet-${tag}@example.com`;
    const speaker = `speaker-${tag}@example.com`;

    // Without email: added, and no invitation goes out.
    await page.goto(invitePage);
    expect(await page.inputValue('#language')).toBe('de');
    await page.fill('#email', quiet);
    await page.fill('#firstName', 'Quinn');
    await page.fill('#lastName', 'Quiet');
    await page.click('button:text-is("Invite without email")');
    await page.waitForURL(new RegExp(`/console/events/${eventId}/people/[0-9a-f-]{36}$`));
    const quietId = page.url().split('/').at(-1);
    const quietAttendee = await client('GET', `/v1/events/${eventId}/attendees/${quietId}`);
    expect(quietAttendee.json).toMatchObject({ email: quiet, language: 'de', roles: ['attendee'] });

    // A speaker with a picture and a bio: the role preselected, the preview and the counter live.
    await page.goto(`${invitePage}?role=speaker`);
    expect(await page.isChecked('#role-speaker')).toBe(true);
    expect(await page.isChecked('#role-moderator')).toBe(false);
    await page.fill('#email', speaker);
    await page.fill('#firstName', 'Ada');
    await page.fill('#lastName', 'Lovelace');
    await page.selectOption('#language', 'en');
    await page.fill('#title', 'Analyst');
    await page.fill('#company', 'Engines Ltd');
    const bio = 'Wrote the first published program for the Analytical Engine.';
    await page.fill('#bio', bio);
    expect(await page.textContent('#bio-counter')).toBe(`${bio.length} / 2,500`);
    await page.setInputFiles('#image', {
      name: 'ada.png',
      mimeType: 'image/png',
      buffer: png(64, [40, 110, 200]),
    });
    await page.waitForSelector('#image-preview:not([hidden])');
    expect(await page.getAttribute('#image-preview', 'src')).toMatch(/^blob:/);
    await h.shot(page, '10-invite-speaker');
    await page.click('button:text-is("Invite")');
    await page.waitForURL(new RegExp(`/console/events/${eventId}/people/[0-9a-f-]{36}$`));
    const speakerId = page.url().split('/').at(-1);
    const { json: attendee } = await client('GET', `/v1/events/${eventId}/attendees/${speakerId}`);
    expect(attendee).toMatchObject({
      email: speaker,
      firstName: 'Ada',
      language: 'en',
      title: 'Analyst',
      company: 'Engines Ltd',
      bio,
    });
    expect(attendee.roles).toContain('speaker');
    expect(attendee.imageUrl).toEqual(expect.any(String));
    const image = await fetch(new URL(attendee.imageUrl, h.stack.baseUrl));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    await expect.poll(() => messagesTo(speaker).length, { timeout: 20_000 }).toBe(1);
    expect(messagesTo(quiet)).toHaveLength(0);

    // The same address again: 409, the error beside the email, the values kept.
    await page.goto(invitePage);
    await page.fill('#email', speaker.toUpperCase());
    await page.fill('#firstName', 'Ada');
    await page.fill('#lastName', 'Again');
    await page.check('#role-speaker');
    await page.fill('#bio', 'Kept after the error');
    await page.click('button:text-is("Invite")');
    await expect.poll(() => page.textContent('#email-error')).toContain('already invited');
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#lastName')).toBe('Again');
    expect(await page.inputValue('#bio')).toBe('Kept after the error');
    expect(await page.isChecked('#role-speaker')).toBe(true);
    expect(await page.isVisible('#image-preview')).toBe(false);
    await h.shot(page, '11-invite-duplicate');
    const { json: list } = await client('GET', `/v1/events/${eventId}/attendees`);
    expect(list.total).toBe(2);
    await context.close();
  });
});

describe.skipIf(!hasChromium)('console bulk invite', () => {
  it('checks a file with errors, invites the corrected file with live progress, and lists both imports', async () => {
    const { key, client } = await h.organization();
    const created = await client('POST', '/v1/events', sampleEvent());
    const eventId = created.json.id as string;
    const { context, page } = await h.signedIn(key);
    const importsPage = `${h.stack.baseUrl}/console/events/${eventId}/imports`;
    const tag = unique();
    const header = 'email,first_name,last_name,company,title,language,role';

    await page.goto(importsPage);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Download the CSV template'),
    ]);
    const template = readFileSync((await download.path()) as string, 'utf8');
    expect(template.split(/\r?\n/)[0]).toBe(header);

    // A file-level error is shown on the upload page with its message.
    await page.setInputFiles('#file', csvFile('no-columns.csv', ['email,name', 'x@example.com,X']));
    await page.click('button:text-is("Upload and check")');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('first_name');
    await h.shot(page, '12-import-file-error');

    const good = (n: number) => `person${n}-${tag}@example.com`;
    await page.setInputFiles(
      '#file',
      csvFile('people.csv', [
        header,
        `${good(1)},Ann,One,Acme,CTO,en,speaker`,
        `not-an-email,Bad,Address,,,,`,
        `bob-${tag}@gmial.com,Bob,Typo,,,,`,
        `${good(2)},,Nameless,,,,`,
        `${good(1)},Ann,Again,,,,`,
        `${good(3)},Cid,Three,,,fr,`,
      ]),
    );
    await page.click('button:text-is("Upload and check")');
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    const firstImportId = page.url().split('/').at(-1);
    const totals = await page.textContent('.totals');
    expect(totals).toMatch(/Rows in the file\s*6/);
    expect(totals).toMatch(/Valid, to invite\s*2/);
    expect(totals).toMatch(/With errors \(not invited\)\s*4/);
    expect(totals).toMatch(/Duplicates in the file\s*1/);
    const errorRows = await page.$$eval('table.row-errors tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
    expect(errorRows.map(([row, column]) => `${row}:${column}`)).toEqual(
      expect.arrayContaining(['3:email', '4:email', '5:first_name', '6:email']),
    );
    expect(errorRows.find(([row]) => row === '4')?.[3]).toContain('gmail.com');
    expect(await page.$$eval('table.preview-rows tbody tr', (rows) => rows.length)).toBe(2);
    expect(await page.textContent('button[value=true]')).toContain('Invite 2 people');
    const errorsCsv = await page.request.get(`${importsPage}/${firstImportId}/errors.csv`);
    expect(errorsCsv.status()).toBe(200);
    expect(await errorsCsv.text()).toContain('email_domain_typo');
    await h.shot(page, '13-import-report');
    await page.setViewportSize({ width: 820, height: 1000 });
    await h.shot(page, '18-import-report-tablet');
    await page.setViewportSize({ width: 1280, height: 860 });

    // The corrected file replaces the report; inviting shows progress until the import completes.
    await page.setInputFiles(
      '#file',
      csvFile('people-fixed.csv', [
        header,
        `${good(1)},Ann,One,Acme,CTO,en,speaker`,
        `bob-${tag}@gmail.com,Bob,Typo,,,,`,
        `${good(2)},Dee,Nameless,,,,`,
        `${good(3)},Cid,Three,,,fr,`,
      ]),
    );
    await page.click('button:text-is("Upload corrected file")');
    await page.waitForURL(
      (url) =>
        /\/imports\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(firstImportId as string),
    );
    const importId = page.url().split('/').at(-1);
    expect(await page.$('table.row-errors')).toBeNull();
    await h.shot(page, '14-import-report-clean');
    // A short Postmark outage holds the import in its first phase, so the running page is seen.
    h.stack.postmark.setOutage(3_000);
    await page.click('button:has-text("Invite 4 people")');
    await page.waitForURL(`**/imports/${importId}`);
    await page.waitForSelector('[data-progress]');
    expect(await page.$$eval('[data-progress] label', (labels) => labels.map((l) => l.textContent))).toEqual([
      'Invited and emailed',
      'Processed',
    ]);
    const bar = async (id: string) => [
      await page.getAttribute(id, 'value'),
      await page.getAttribute(id, 'max'),
    ];
    expect(await bar('#import-invited')).toEqual(['0', '4']);
    expect(await bar('#import-progress')).toEqual(['0', '4']);
    await h.shot(page, '15-import-running');
    // The stream fills the first bar (invited + skipped) once the invitations are out, before the
    // page reloads on the `finished` event.
    const invitedNow = () =>
      page.$eval('#import-invited', (p) => (p as unknown as { value: number }).value).catch(() => null);
    await expect.poll(invitedNow, { timeout: 30_000, interval: 50 }).toBe(4);
    // The page reloads itself on the stream's `finished` event.
    await page.waitForSelector('h1:text-is("Import completed")', { timeout: 30_000 });
    expect(await page.textContent('.notice.ok')).toContain('4 of 4 invited, 4 emailed');
    expect(await page.getAttribute('a:text-is("See the invited people")', 'href')).toBe(
      `/console/events/${eventId}/people?status=invited`,
    );
    await h.shot(page, '16-import-completed');

    const stream = await page.request.get(`${importsPage}/${importId}/events`);
    expect(stream.headers()['content-type']).toContain('text/event-stream');
    expect(await stream.text()).toMatch(/event: finished\ndata: .*"status":"completed"/);
    const { json: attendees } = await client('GET', `/v1/events/${eventId}/attendees`);
    expect(attendees.total).toBe(4);
    for (const address of [good(1), good(2), good(3), `bob-${tag}@gmail.com`])
      await expect.poll(() => messagesTo(address).length, { timeout: 20_000 }).toBe(1);

    await page.goto(importsPage);
    const listed = await page.$$eval('main table tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
    expect(listed.map((r) => r[1])).toEqual(['Completed', 'Cancelled']);
    expect(listed[0]?.slice(2, 6)).toEqual(['4', '4', '0', '4 / 4']);
    expect(listed[1]?.slice(2, 6)).toEqual(['6', '2', '4', '—']);
    await h.shot(page, '17-imports-list');
    await context.close();
  });
});
