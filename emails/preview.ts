/**
 * Every email in every language, as a page of its own (`npm run email:preview`): each template's
 * PreviewProps rendered through renderEmail, the HTML and the text part side by side.
 */
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { LANGUAGES, type LanguageCode } from '../domain/languages';
import { PreviewProps as customMessage } from './custom-message';
import { PreviewProps as importFinished } from './import-finished';
import { PreviewProps as invitation } from './invitation';
import { PreviewProps as loginLink } from './login-link';
import { PreviewProps as registrationConfirmation } from './registration-confirmation';
import { PreviewProps as reminder } from './reminder';
import { type EmailName, type EmailProps, renderEmail } from './render';

const PREVIEWS: { [N in EmailName]: EmailProps[N] } = {
  invitation,
  registration_confirmation: registrationConfirmation,
  login_link: loginLink,
  reminder,
  import_finished: importFinished,
  message: customMessage,
};

export const PREVIEW_KINDS = Object.keys(PREVIEWS) as EmailName[];

const isKind = (kind: string): kind is EmailName => kind in PREVIEWS;
const isLocale = (code: string): code is LanguageCode => LANGUAGES.some((l) => l.code === code);

const preview = <N extends EmailName>(kind: N, locale: LanguageCode) =>
  renderEmail(kind, { ...PREVIEWS[kind], locale });

export function createEmailPreviewApp() {
  const app = new Hono();

  app.get('/', async (c) => {
    const rows = await Promise.all(
      PREVIEW_KINDS.map(async (kind) => {
        const cells = LANGUAGES.map(
          (l) => html`<a href="/email/${kind}/${l.code}" title="${l.name}">${l.code}</a>`,
        );
        return html`<tr><th>${kind}</th><td>${cells}</td></tr>`;
      }),
    );
    return c.html(html`<!doctype html>
      <html lang="en">
        <head><meta charset="utf-8" /><title>Roster emails</title>
          <style>body{font:15px system-ui;margin:2rem}td a{margin-right:.6rem}th{text-align:left;padding-right:1rem}</style>
        </head>
        <body><h1>Roster emails</h1><p>Every template in every language, from its PreviewProps.</p>
          <table>${rows}</table></body>
      </html>`);
  });

  app.get('/email/:kind/:locale', async (c) => {
    const { kind, locale } = c.req.param();
    if (!isKind(kind) || !isLocale(locale)) return c.text('No such email or language.', 404);
    const email = await preview(kind, locale);
    return c.html(html`<!doctype html>
      <html lang="en">
        <head><meta charset="utf-8" /><title>${kind} (${locale})</title>
          <style>body{font:15px system-ui;margin:1rem}iframe{width:100%;height:70vh;border:1px solid #ccc}
            pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style>
        </head>
        <body><p><a href="/">All emails</a> · ${kind} · ${locale}</p>
          <h1>${email.subject}</h1>
          <iframe title="HTML part" sandbox srcdoc="${email.html}"></iframe>
          <h2>Text part</h2><pre>${email.text}</pre>
          <p><a href="/email/${kind}/${locale}/raw">The HTML alone</a></p></body>
      </html>`);
  });

  app.get('/email/:kind/:locale/raw', async (c) => {
    const { kind, locale } = c.req.param();
    if (!isKind(kind) || !isLocale(locale)) return c.text('No such email or language.', 404);
    return c.html(raw((await preview(kind, locale)).html));
  });

  return app;
}
