/**
 * Organizer-written messages (a reminder's own text, a bulk `send_message`): what one is, its
 * limits, which text each reader gets, who may receive one, and how its plain-text body becomes
 * paragraphs and links. Pure: the API's schema, the email template and the sending activity ask here.
 */
import type { Status } from './attendee-lifecycle';
import { LANGUAGE_CODES, type LanguageCode } from './languages';

export const MESSAGE_SUBJECT_MAX = 200;
export const MESSAGE_BODY_MAX = 10_000;

/** One language's text: a one-line subject and a plain-text body (blank lines part paragraphs). */
export interface MessageText {
  subject: string;
  body: string;
}

export interface CustomMessage extends MessageText {
  /** The text for readers of a language; everyone else gets the top-level subject and body. */
  perLanguage?: Partial<Record<LanguageCode, MessageText>>;
  /** Add the reader's own way in: a login link, or the invitation link for invitees (default false). */
  includeLoginLink?: boolean;
}

/** The text a reader of `language` gets: its own translation where the organizer wrote one. */
export function messageFor(message: CustomMessage, language: LanguageCode): MessageText {
  const own = message.perLanguage?.[language];
  return own ? { subject: own.subject, body: own.body } : { subject: message.subject, body: message.body };
}

/** The languages a message has text of its own for (fewer renders: every other reader shares one). */
export function messageLanguages(message: CustomMessage): LanguageCode[] {
  return Object.keys(message.perLanguage ?? {}).filter(isLanguageCode);
}

const LANGUAGE_SET: ReadonlySet<string> = new Set(LANGUAGE_CODES);
export const isLanguageCode = (code: string): code is LanguageCode => LANGUAGE_SET.has(code);

export interface MessageIssue {
  /** Dotted path inside the message: `subject`, `perLanguage.de.body`, `perLanguage.xx`. */
  path: string;
  code: string;
  message: string;
}

// Tab, line feed and carriage return are text; every other control character is not (and NUL
// cannot even be stored in PostgreSQL's jsonb).
const CONTROLS = /\p{Cc}/u;
const LINE_SEPARATORS = /[\u2028\u2029]/u;

export const isOneLine = (subject: string) => !CONTROLS.test(subject) && !LINE_SEPARATORS.test(subject);
export const isPlainText = (body: string) => !CONTROLS.test(body.replace(/[\t\n\r]/g, ''));

/** The messages of each rule, shared with the API's schema so both say the same. */
export const MESSAGE_RULES = {
  subjectEmpty: 'The subject must not be empty.',
  subjectTooLong: `The subject has at most ${MESSAGE_SUBJECT_MAX} characters.`,
  subjectNotOneLine: 'The subject is one line, without line breaks or other control characters.',
  bodyEmpty: 'The body must not be empty.',
  bodyTooLong: `The body has at most ${MESSAGE_BODY_MAX.toLocaleString('en')} characters.`,
  bodyNotPlainText: 'The body is plain text, without control characters other than line breaks and tabs.',
} as const;

/** What is wrong with one subject (already trimmed), or null. */
export function subjectIssue(subject: string): Omit<MessageIssue, 'path'> | null {
  if (subject.length === 0) return { code: 'too_small', message: MESSAGE_RULES.subjectEmpty };
  if (subject.length > MESSAGE_SUBJECT_MAX) return { code: 'too_big', message: MESSAGE_RULES.subjectTooLong };
  if (!isOneLine(subject)) return { code: 'invalid_characters', message: MESSAGE_RULES.subjectNotOneLine };
  return null;
}

/** What is wrong with one body (already trimmed), or null. */
export function bodyIssue(body: string): Omit<MessageIssue, 'path'> | null {
  if (body.length === 0) return { code: 'too_small', message: MESSAGE_RULES.bodyEmpty };
  if (body.length > MESSAGE_BODY_MAX) return { code: 'too_big', message: MESSAGE_RULES.bodyTooLong };
  if (!isPlainText(body)) return { code: 'invalid_characters', message: MESSAGE_RULES.bodyNotPlainText };
  return null;
}

export const unknownLanguageIssue = (code: string): Omit<MessageIssue, 'path'> => ({
  code: 'unknown_language',
  message: `"${code}" is not one of Roster's languages (${LANGUAGE_CODES.join(', ')}).`,
});

/**
 * Every problem of a message as the API would answer it (the zod schema in
 * api/shared/custom-message.schema.ts applies the same rules); an empty list when it is valid.
 * Texts are checked as given: callers trim first, as the schema does.
 */
export function messageIssues(message: CustomMessage): MessageIssue[] {
  const issues: MessageIssue[] = [];
  const check = (prefix: string, text: MessageText) => {
    const subject = subjectIssue(text.subject);
    if (subject) issues.push({ path: `${prefix}subject`, ...subject });
    const body = bodyIssue(text.body);
    if (body) issues.push({ path: `${prefix}body`, ...body });
  };
  check('', message);
  for (const [code, text] of Object.entries(message.perLanguage ?? {})) {
    if (!isLanguageCode(code)) issues.push({ path: `perLanguage.${code}`, ...unknownLanguageIssue(code) });
    else if (text) check(`perLanguage.${code}.`, text);
  }
  return issues;
}

/** Why an attendee gets no organizer message; the sender adds `bounced` and `not_found`. */
export type MessageSkipReason =
  | 'removed'
  | 'status_unregistered'
  | 'status_blocked'
  | 'bounced'
  | 'not_found';

/** Who may receive an organizer message, by status: anyone still on the list, except blocked people. */
export function mayReceiveMessage(status: Status): boolean {
  return status !== 'unregistered' && status !== 'blocked';
}

/** The reason an attendee row gets no organizer message, or null when it may get one. */
export function messageSkipReason(attendee: {
  status: Status;
  removed: boolean;
  emailUndeliverable: boolean;
}): MessageSkipReason | null {
  if (attendee.removed) return 'removed';
  if (!mayReceiveMessage(attendee.status)) return `status_${attendee.status}` as MessageSkipReason;
  if (attendee.emailUndeliverable) return 'bounced';
  return null;
}

/**
 * The reader's way in that a message with `includeLoginLink` carries: registered and attended
 * people of magic-link events get a login link, invitees their invitation (registration) link;
 * nobody on SSO events (they sign in through their organization), and nobody whose address
 * still awaits confirmation (a login link would not let them in).
 */
export function wayInFor(
  attendee: { status: Status; awaitingConfirmation: boolean },
  loginMode: 'magic_link' | 'sso',
): 'invitation' | 'login' | null {
  if (loginMode !== 'magic_link' || attendee.awaitingConfirmation) return null;
  if (attendee.status === 'invited') return 'invitation';
  if (attendee.status === 'registered' || attendee.status === 'attended') return 'login';
  return null;
}

/** A run of a body line: plain text, or an http(s) link. */
export type Segment = { text: string } | { url: string };
/** A paragraph is lines; a line is segments. */
export type Paragraph = Segment[][];

// A candidate link: http:// or https:// up to whitespace or a character that cannot end a URL
// in running text. Anything else (javascript:, data:, mailto:, bare domains) stays text.
const LINK = /\bhttps?:\/\/[^\s<>"'`\u00a0\u2028\u2029]+/giu;
const TRAILING = /[.,;:!?*'"’”»)\]}]+$/u;

/** Trailing punctuation belongs to the sentence, not the link; a closing bracket stays if it closes one inside. */
function trimLink(candidate: string): string {
  let url = candidate;
  for (;;) {
    const trailing = TRAILING.exec(url);
    if (!trailing) return url;
    const last = url.slice(-1);
    const opener = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : null;
    if (opener && url.split(opener).length > url.split(last).length - 1) return url;
    url = url.slice(0, -1);
  }
}

function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** One line's text and links, in order. */
export function linkify(line: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const match of line.matchAll(LINK)) {
    const url = trimLink(match[0]);
    if (!isWebUrl(url)) continue;
    const start = match.index;
    if (start > at) segments.push({ text: line.slice(at, start) });
    segments.push({ url });
    at = start + url.length;
  }
  if (at < line.length) segments.push({ text: line.slice(at) });
  return segments;
}

/** The body's paragraphs (split at blank lines), their lines, and each line's links. */
export function paragraphs(body: string): Paragraph[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n(?:[ \t]*\n)+/)
    .map((block) => block.replace(/^\n+|\n+$/g, ''))
    .filter((block) => block.trim() !== '')
    .map((block) => block.split('\n').map(linkify));
}

/** The first words of a body, on one line, for an inbox preview. */
export function previewOf(body: string, max = 140): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
