import type { LanguageCode } from '../domain/languages';
import { type RenderedEmail, renderEmail } from './render';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

export interface InvitationEvent {
  name: string;
  startsAt: string;
  timezone: string;
}

/**
 * Renders the invitation once per language with stand-ins for the name and the link, then fills
 * them in per person (React escapes text the same way): thousands of invitations cost one render
 * per language instead of one each. Falls back to a full render if a stand-in did not survive.
 */
export function invitationRenderer(event: InvitationEvent) {
  const NAME = 'Zq7NameStandIn';
  const URL_STAND_IN = 'https://stand-in.invalid/Zq7LinkStandIn';
  const byLocale = new Map<LanguageCode, Promise<RenderedEmail | null>>();
  const props = (locale: LanguageCode, firstName: string, url: string) => ({
    locale,
    firstName,
    eventName: event.name,
    startsAt: event.startsAt,
    timezone: event.timezone,
    url,
  });
  const skeleton = (locale: LanguageCode) => {
    let pending = byLocale.get(locale);
    if (!pending) {
      pending = renderEmail('invitation', props(locale, NAME, URL_STAND_IN)).then((r) =>
        r.html.includes(NAME) && r.html.includes(URL_STAND_IN) && r.text.includes(URL_STAND_IN) ? r : null,
      );
      byLocale.set(locale, pending);
    }
    return pending;
  };
  return async (locale: LanguageCode, firstName: string, url: string): Promise<RenderedEmail> => {
    const base = await skeleton(locale);
    if (!base) return renderEmail('invitation', props(locale, firstName, url));
    const fill = (text: string, name: string, href: string) =>
      text.replaceAll(NAME, () => name).replaceAll(URL_STAND_IN, () => href);
    return {
      subject: fill(base.subject, firstName, url),
      html: fill(base.html, escapeHtml(firstName), escapeHtml(url)),
      text: fill(base.text, firstName, url),
    };
  };
}

/** Renderers of recently used events, most recent last: bounded, so memory stays flat. */
const recent = new Map<string, ReturnType<typeof invitationRenderer>>();
const RECENT_EVENTS = 64;

/**
 * `invitationRenderer` kept per event (by the fields the invitation shows, so an edited event
 * gets a new one): single invites and resends to one event render once per language.
 */
export function sharedInvitationRenderer(event: InvitationEvent) {
  const key = JSON.stringify([event.name, event.startsAt, event.timezone]);
  let renderer = recent.get(key);
  if (renderer) recent.delete(key);
  else renderer = invitationRenderer(event);
  recent.set(key, renderer);
  if (recent.size > RECENT_EVENTS) recent.delete(recent.keys().next().value as string);
  return renderer;
}
