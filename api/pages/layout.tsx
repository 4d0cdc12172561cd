/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { type LanguageCode, RTL_LANGUAGES } from '../../domain/languages';
import type { Messages } from '../../emails/messages';
import type { PageMessages } from './messages';

/** What every page knows: the reader's language and the event it belongs to. */
export interface PageContext {
  lang: LanguageCode;
  /** The pages' own words, and the emails' where a page says the same thing. */
  m: PageMessages;
  email: Messages;
  csrf: string;
  event: {
    id: string;
    name: string;
    startsAt: Date;
    endsAt: Date;
    timezone: string;
    hasLogo: boolean;
    accentColor: string | null;
    sessions: { id: string; name: string; startsAt: Date; endsAt: Date }[];
  } | null;
}

export function Layout(props: { ctx: PageContext; title: string; scripts?: string[]; children?: Child }) {
  const { ctx } = props;
  const event = ctx.event;
  return (
    <html lang={ctx.lang} dir={RTL_LANGUAGES.has(ctx.lang) ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{event ? `${props.title} · ${event.name}` : props.title}</title>
        <link rel="stylesheet" href="/assets/pages.css" />
        {event?.accentColor ? <link rel="stylesheet" href={`/events/${event.id}/theme.css`} /> : null}
        {(props.scripts ?? []).map((src) => (
          <script key={src} src={src} defer />
        ))}
      </head>
      <body>
        <main>
          <div class="card">
            {event ? (
              <header class="event">
                {event.hasLogo ? <img src={`/events/${event.id}/logo`} alt="" /> : null}
                <span class="name">{event.name}</span>
              </header>
            ) : null}
            {props.children}
          </div>
        </main>
      </body>
    </html>
  );
}

/** A hidden CSRF field for a POST form. */
export const Csrf = (props: { ctx: PageContext }) => (
  <input type="hidden" name="csrf" value={props.ctx.csrf} />
);
