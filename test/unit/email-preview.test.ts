import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../domain/languages';
import { createEmailPreviewApp, PREVIEW_KINDS } from '../../emails/preview';

const app = createEmailPreviewApp();

describe('email preview (npm run email:preview)', () => {
  it('links every template in every language', async () => {
    const index = await (await app.request('/')).text();
    expect(PREVIEW_KINDS).toHaveLength(6);
    for (const kind of PREVIEW_KINDS)
      for (const { code } of LANGUAGES) expect(index).toContain(`href="/email/${kind}/${code}"`);
  });

  it('shows a template in a language: subject, the HTML part in a sandboxed frame, the text part', async () => {
    const res = await app.request('/email/invitation/de');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<iframe title="HTML part" sandbox srcdoc="');
    expect(page).toContain('Roster Summit 2026');
    const raw = await (await app.request('/email/reminder/ja/raw')).text();
    expect(raw).toMatch(/<html[^>]*lang="ja"/);
    expect((await app.request('/email/nope/en')).status).toBe(404);
    expect((await app.request('/email/invitation/xx')).status).toBe(404);
  });
});
