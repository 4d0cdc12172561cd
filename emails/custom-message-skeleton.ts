import { randomUUID } from 'node:crypto';
import { type CustomMessage, messageFor } from '../domain/custom-message';
import type { LanguageCode } from '../domain/languages';
import { escapeHtml } from './invitation-skeleton';
import { type RenderedEmail, renderEmail } from './render';

export interface MessageFrame {
  eventName: string;
  accent?: string | null;
}

export type WayIn = { kind: 'invitation' | 'login'; url: string } | null;

/**
 * Renders an organizer's message once per language and kind of link, with a stand-in for the
 * link, then fills the link in per reader: a message to thousands costs a few renders. The
 * stand-in is random per renderer, so no organizer text can contain it; a render where it did
 * not survive falls back to a render of its own. Links are expected to be longer than 80 characters,
 * as Roster's links are.
 */
export function customMessageRenderer(frame: MessageFrame, message: CustomMessage) {
  // Longer than the text part's 80-column wrap, as every real link is (site, event id, 43-character
  // token), so the plain text wraps around the stand-in exactly as around the link.
  const STAND_IN = `https://stand-in.invalid/${randomUUID()}/${randomUUID()}`;
  const skeletons = new Map<string, Promise<RenderedEmail | null>>();
  const props = (locale: LanguageCode, link: WayIn) => ({
    locale,
    eventName: frame.eventName,
    accent: frame.accent ?? null,
    ...messageFor(message, locale),
    link,
  });
  const skeleton = (locale: LanguageCode, kind: 'invitation' | 'login' | null) => {
    const key = `${locale}/${kind ?? 'none'}`;
    let pending = skeletons.get(key);
    if (!pending) {
      const link = kind ? { kind, url: STAND_IN } : null;
      pending = renderEmail('message', props(locale, link)).then((r) =>
        !kind || (r.html.includes(STAND_IN) && r.text.includes(STAND_IN)) ? r : null,
      );
      skeletons.set(key, pending);
    }
    return pending;
  };
  return async (locale: LanguageCode, link: WayIn): Promise<RenderedEmail> => {
    const base = await skeleton(locale, link?.kind ?? null);
    if (!base) return renderEmail('message', props(locale, link));
    if (!link) return base;
    return {
      subject: base.subject,
      html: base.html.replaceAll(STAND_IN, () => escapeHtml(link.url)),
      text: base.text.replaceAll(STAND_IN, () => link.url),
    };
  };
}
