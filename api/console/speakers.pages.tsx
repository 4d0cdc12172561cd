/** @jsxImportSource hono/jsx */
/** The event's speakers and moderators: who they are, their profile and status, and an invite link. */
import { Hono } from 'hono';
import type { ConsoleEnv } from './context';
import { EVENT_PATH } from './context';
import { frame, Layout, page } from './layout';
import { attendeeUrl, fullName, PAGE_SIZE, queryString, StatusPill } from './people.pages';
import { consoleEvent, loadEvent, notFoundPage } from './shared';

export const speakersPages = new Hono<ConsoleEnv>();

/** How much of a bio the cards show. */
const BIO_PREVIEW = 220;
const shorten = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n).trimEnd()}…`);
const initials = (first: string, last: string) => `${first.slice(0, 1)}${last.slice(0, 1)}`.toUpperCase();

for (const role of ['speaker', 'moderator'] as const) {
  const plural = `${role}s` as const;
  const title = role === 'speaker' ? 'Speakers' : 'Moderators';
  speakersPages.get(`${EVENT_PATH}/${plural}`, async (c) => {
    const event = await loadEvent(c);
    if (!event) return notFoundPage(c);
    const rawCursor = c.req.query('cursor');
    const cursor = rawCursor && rawCursor.length <= 1000 ? rawCursor : undefined;
    const { data } = await c.var.console.api.GET(`/v1/events/{eventId}/${plural}`, {
      params: {
        path: { eventId: event.id },
        query: { sort: 'name', limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
      },
    });
    const items = data?.items ?? [];
    const here = `/console/events/${event.id}/${plural}`;
    return page(
      c,
      <Layout title={title} section="events" event={consoleEvent(event)} tab={plural} {...frame(c)}>
        <div class="page-head">
          <h1>{title}</h1>
          <a class="button" href={`/console/events/${event.id}/invite?role=${role}`}>
            Invite a {role}
          </a>
        </div>
        <p class="muted">
          {data ? `${data.total.toLocaleString('en')} ${data.total === 1 ? role : plural}` : ''}
        </p>
        {items.length === 0 ? (
          <p class="panel">No {plural} yet.</p>
        ) : (
          <ul class="cards people-cards">
            {items.map((a) => (
              <li class="panel person-card" key={a.id}>
                <div class="person-head">
                  {a.imageUrl ? (
                    <img class="portrait" src={a.imageUrl} alt="" />
                  ) : (
                    <span class="portrait initials" aria-hidden="true">
                      {initials(a.firstName, a.lastName)}
                    </span>
                  )}
                  <div>
                    <h2>
                      <a href={attendeeUrl(event.id, a.id)}>{fullName(a)}</a>
                    </h2>
                    {a.title || a.company ? (
                      <p class="muted">{[a.title, a.company].filter(Boolean).join(', ')}</p>
                    ) : null}
                  </div>
                </div>
                <p>
                  <StatusPill status={a.status} detailedStatus={a.detailedStatus} />
                </p>
                {a.bio ? (
                  <p class="bio" title={a.bio.length > BIO_PREVIEW ? a.bio.slice(0, 1000) : undefined}>
                    {shorten(a.bio, BIO_PREVIEW)}
                  </p>
                ) : (
                  <p class="muted">No bio yet.</p>
                )}
              </li>
            ))}
          </ul>
        )}
        <nav class="pager" aria-label="Pages">
          {cursor ? <a href={here}>First page</a> : null}
          {data?.nextCursor ? (
            <a href={`${here}${queryString({ cursor: data.nextCursor })}`} rel="next">
              Next page
            </a>
          ) : null}
        </nav>
      </Layout>,
    );
  });
}
