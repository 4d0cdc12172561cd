/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { CC, ConsoleRequest, Flash } from './context';

/** The event a page belongs to: its tabs depend on it (Access only on closed events). */
export interface ConsoleEvent {
  id: string;
  name: string;
  closed: boolean;
}

export type Tab =
  | 'overview'
  | 'people'
  | 'speakers'
  | 'moderators'
  | 'invite'
  | 'imports'
  | 'access'
  | 'reminders';

const EVENT_TABS: { tab: Tab; label: string; path: string; closedOnly?: boolean }[] = [
  { tab: 'overview', label: 'Overview', path: '' },
  { tab: 'people', label: 'All users', path: '/people' },
  { tab: 'speakers', label: 'Speakers', path: '/speakers' },
  { tab: 'moderators', label: 'Moderators', path: '/moderators' },
  { tab: 'invite', label: 'Invite', path: '/invite' },
  { tab: 'imports', label: 'Bulk invite', path: '/imports' },
  { tab: 'access', label: 'Event access', path: '/access', closedOnly: true },
  { tab: 'reminders', label: 'Reminders', path: '/reminders' },
];

export type Section = 'events' | 'webhooks';

export interface LayoutProps {
  title: string;
  /** Absent on the sign-in page. */
  ctx?: Pick<ConsoleRequest, 'csrf' | 'flash'>;
  section?: Section;
  event?: ConsoleEvent;
  tab?: Tab;
  /** Extra scripts of this page, served under /console/assets/. */
  scripts?: string[];
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const { ctx, event } = props;
  return (
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {ctx ? <meta name="csrf-token" content={ctx.csrf} /> : null}
        <title>{event ? `${props.title} · ${event.name} · Roster` : `${props.title} · Roster`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
        {(props.scripts ?? []).map((name) => (
          <script key={name} src={`/console/assets/${name}`} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/console">
            Roster
          </a>
          {ctx ? (
            <nav aria-label="Organization">
              <a href="/console/events" aria-current={props.section === 'events' ? 'page' : undefined}>
                Events
              </a>
              <a href="/console/webhooks" aria-current={props.section === 'webhooks' ? 'page' : undefined}>
                Webhooks
              </a>
              <a href="/docs">API reference</a>
              <form method="post" action="/console/sign-out" class="inline">
                <input type="hidden" name="csrf" value={ctx.csrf} />
                <button type="submit" class="link">
                  Sign out
                </button>
              </form>
            </nav>
          ) : null}
        </header>
        {event ? (
          <nav class="tabs" aria-label="Event">
            <span class="event-name">{event.name}</span>
            {EVENT_TABS.filter((t) => !t.closedOnly || event.closed).map((t) => (
              <a
                key={t.tab}
                href={`/console/events/${event.id}${t.path}`}
                aria-current={props.tab === t.tab ? 'page' : undefined}
              >
                {t.label}
              </a>
            ))}
          </nav>
        ) : null}
        <main id="main">
          {ctx?.flash ? <FlashNotice flash={ctx.flash} /> : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export const FlashNotice = (props: { flash: Flash }) => (
  <p class={`notice ${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
    {props.flash.text}
  </p>
);

/** A hidden CSRF field for a POST form. */
export const Csrf = (props: { c: CC }) => (
  <input type="hidden" name="csrf" value={props.c.var.console.csrf} />
);

/** A whole page as HTML. */
export const page = (c: CC, body: JSX.Element, status: 200 | 404 | 409 | 422 = 200) =>
  c.html(`<!doctype html>${String(body)}`, status);

/** The layout's props for a page of this request. */
export const frame = (c: CC) => ({ ctx: c.var.console });
