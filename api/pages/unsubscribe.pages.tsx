/** @jsxImportSource hono/jsx */
/**
 * The List-Unsubscribe link of bulk emails (domain/list-unsubscribe.ts): a GET shows what it does
 * and asks, in the reader's language; a POST unsubscribes, from the page's button or from a
 * mailbox provider's one-click request (RFC 8058: `List-Unsubscribe=One-Click`, the token in the
 * URL, no cookie, answered without a redirect). Both call the public API's routine.
 */
import { Hono } from 'hono';
import { parseLanguage } from '../../domain/languages';
import type { AppEnv } from '../context';
import { type UnsubscribeOwner, unsubscribe, unsubscribeOwner } from '../shared/unsubscribe';
import { type C, EVENT, html, loadEvent, notFoundPage, pageContext } from './context';
import { fill, MessagePage, TokenActionPage } from './views';

export const unsubscribePages = new Hono<AppEnv>();

/** The page's context, in the link owner's language; null owner when the token is not this event's. */
async function owned(c: C, token: string) {
  const event = await loadEvent(c);
  const owner: UnsubscribeOwner | null =
    event && token ? await unsubscribeOwner(c.var.deps, c.var.em, token) : null;
  const mine = owner && event && owner.event_id === event.id ? owner : null;
  const ctx = await pageContext(c, event, mine ? parseLanguage(mine.language) : undefined);
  return { event, owner: mine, ctx };
}

unsubscribePages.get(`${EVENT}/unsubscribe`, async (c) => {
  const token = c.req.query('token') ?? '';
  const { event, owner, ctx } = await owned(c, token);
  if (!event || !owner) return notFoundPage(c, ctx);
  return html(
    c,
    <TokenActionPage
      ctx={ctx}
      title={ctx.m.unsubscribeTitle}
      body={fill(ctx, ctx.m.unsubscribeBody, { email: owner.email })}
      action={`/events/${event.id}/unsubscribe`}
      token={token}
      button={ctx.m.unsubscribeConfirm}
    />,
  );
});

unsubscribePages.post(`${EVENT}/unsubscribe`, async (c) => {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const fromForm = typeof form.token === 'string' ? form.token : '';
  const token = c.req.query('token') ?? fromForm;
  const { event, owner, ctx } = await owned(c, token);
  if (!event || !owner) return notFoundPage(c, ctx);
  await unsubscribe(c.var.deps, c.var.em, token);
  return html(
    c,
    <MessagePage
      ctx={ctx}
      title={ctx.m.unsubscribedTitle}
      body={fill(ctx, ctx.m.unsubscribedBody, { email: owner.email })}
    />,
  );
});
