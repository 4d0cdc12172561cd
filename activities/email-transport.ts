import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ServerClient } from 'postmark';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  tag: string;
  metadata: Record<string, string>;
  /** Files sent with the message (the event's .ics: domain/calendar.ts). */
  attachments?: EmailAttachment[];
  /** Postmark message stream; unset: `outbound`, the transactional stream. */
  stream?: string;
  /** Extra message headers (List-Unsubscribe on the broadcast stream). */
  headers?: EmailHeader[];
}

export interface EmailHeader {
  name: string;
  value: string;
}

/** Postmark's transactional stream, which every server has. */
export const TRANSACTIONAL_STREAM = 'outbound';

/** A file of a message: its name, its bytes in base64, its media type. */
export interface EmailAttachment {
  name: string;
  content: string;
  contentType: string;
}

export interface EmailTransport {
  /** Resolves with the provider's message id; throws EmailRejectedError for final refusals. */
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
  /**
   * Up to 500 messages in one call (Postmark's batch endpoint): one result per message, in order.
   * Throws, to be retried, when the call itself fails (429, 5xx, network).
   */
  sendBatch(messages: OutgoingEmail[]): Promise<BatchResult[]>;
  /**
   * The messages the provider took on `stream` (default `outbound`) whose metadata has `key` =
   * `value` (Postmark's message search, which looks at one stream): how a call whose answer never
   * came is settled before anything is sent again.
   */
  findSent(key: string, value: string, stream?: string): Promise<SentMessage[]>;
}

export interface SentMessage {
  messageId: string;
  metadata: Record<string, string>;
}

/** `final`: a refusal that retrying cannot fix (see FINAL_ERROR_CODES). */
export type BatchResult =
  | { ok: true; messageId: string }
  | { ok: false; code: number; message: string; final: boolean };

/** A refusal that retrying cannot fix (inactive recipient, invalid address, ...). */
export class EmailRejectedError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'EmailRejectedError';
  }
}

// Postmark API error codes that mean "this message will never go out as it is".
// https://postmarkapp.com/developer/api/overview#error-codes
const FINAL_ERROR_CODES = new Set([300, 406, 409, 411, 412, 413, 422]);

/** One message as Postmark's API takes it. */
const toPostmark = (message: OutgoingEmail) => ({
  From: message.from,
  To: message.to,
  Subject: message.subject,
  HtmlBody: message.html,
  TextBody: message.text,
  Tag: message.tag,
  Metadata: message.metadata,
  MessageStream: message.stream ?? TRANSACTIONAL_STREAM,
  ...(message.headers?.length
    ? { Headers: message.headers.map((h) => ({ Name: h.name, Value: h.value })) }
    : {}),
  ...(message.attachments?.length
    ? {
        Attachments: message.attachments.map((a) => ({
          Name: a.name,
          Content: a.content,
          ContentType: a.contentType,
          ContentID: null,
        })),
      }
    : {}),
});

/** Postmark's search answers at most 500 per page and 10,000 in all. */
const SEARCH_PAGE = 500;
const SEARCH_LIMIT = 10_000;

export function createPostmarkTransport(
  serverToken: string,
  apiUrl: string,
  timeoutSeconds = 30,
): EmailTransport {
  const url = new URL(apiUrl);
  const client = new ServerClient(serverToken, {
    useHttps: url.protocol === 'https:',
    requestHost: url.host,
    timeout: timeoutSeconds,
  });
  return {
    async send(message) {
      try {
        const result = await client.sendEmail(toPostmark(message));
        return { messageId: result.MessageID };
      } catch (error) {
        const { statusCode, code } = error as { statusCode?: number; code?: number };
        if (statusCode === 422 && code !== undefined && FINAL_ERROR_CODES.has(code)) {
          throw new EmailRejectedError(code, (error as Error).message);
        }
        // 401, 429, 5xx and network faults: retried by Temporal with backoff.
        throw error;
      }
    },
    async sendBatch(messages) {
      if (messages.length === 0) return [];
      // Per-message refusals come back in the 200 answer; a failed call throws (retried by Temporal).
      const results = await client.sendEmailBatch(messages.map(toPostmark));
      return results.map(
        (r): BatchResult =>
          r.ErrorCode === 0
            ? { ok: true, messageId: r.MessageID }
            : { ok: false, code: r.ErrorCode, message: r.Message, final: FINAL_ERROR_CODES.has(r.ErrorCode) },
      );
    },
    async findSent(key, value, stream = TRANSACTIONAL_STREAM) {
      const found: SentMessage[] = [];
      for (let offset = 0; offset < SEARCH_LIMIT; offset += SEARCH_PAGE) {
        // The client passes unknown filter fields through as query parameters (metadata_<key>);
        // without `messagestream` Postmark searches only the transactional stream.
        const filter = { count: SEARCH_PAGE, offset, messagestream: stream, [`metadata_${key}`]: value };
        const page = await client.getOutboundMessages(filter);
        for (const m of page.Messages) found.push({ messageId: m.MessageID, metadata: m.Metadata ?? {} });
        if (page.Messages.length < SEARCH_PAGE) break;
      }
      return found;
    },
  };
}

/**
 * Without a Postmark token, emails land as files a person can open: `<name>.html` in a browser,
 * `<name>.txt`, and `<name>.json` with the envelope and metadata.
 */
export function createOutboxTransport(dir: string): EmailTransport {
  return {
    async send(message) {
      await mkdir(dir, { recursive: true });
      const messageId = randomUUID();
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const base = path.join(dir, `${stamp}-${message.tag}-${messageId.slice(0, 8)}`);
      await writeFile(`${base}.html`, message.html);
      await writeFile(`${base}.txt`, `To: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`);
      // Each attachment beside the message (`<name>-event.ics`), listed without its bytes in the envelope.
      const attachments = message.attachments ?? [];
      for (const a of attachments) {
        await writeFile(`${base}-${path.basename(a.name)}`, Buffer.from(a.content, 'base64'));
      }
      const { html: _html, text: _text, attachments: _files, ...envelope } = message;
      const files = attachments.map((a) => ({ name: a.name, contentType: a.contentType }));
      await writeFile(
        `${base}.json`,
        JSON.stringify({ messageId, ...envelope, ...(files.length ? { attachments: files } : {}) }, null, 2),
      );
      return { messageId };
    },
    async sendBatch(messages) {
      const results: BatchResult[] = [];
      for (const message of messages) results.push({ ok: true, ...(await this.send(message)) });
      return results;
    },
    async findSent(key, value) {
      const names = await readdir(dir).catch(() => [] as string[]);
      const found: SentMessage[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const { messageId, metadata } = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
        if (metadata?.[key] === value) found.push({ messageId, metadata });
      }
      return found;
    },
  };
}
