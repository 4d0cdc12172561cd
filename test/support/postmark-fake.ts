// A local stand-in for Postmark's email API (POST /email, POST /email/batch, GET /messages/outbound),
// built on node:http.
// Status codes, ErrorCodes and messages follow Postmark's docs and the answers its clients are
// tested against, so code that handles real Postmark errors can be exercised offline.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PostmarkFakeOptions {
  serverToken?: string;
  /** 0 (default) picks a free port; the fake binds 127.0.0.1 only. */
  port?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /**
   * The server's message streams by id, with their type. Default: `outbound` (transactional),
   * `broadcast` (broadcasts) and `inbound`, as a Postmark server with a broadcast stream has.
   */
  messageStreams?: Record<string, MessageStreamType>;
  /**
   * What an accepted message keeps: everything (default), or its envelope alone (no bodies and no
   * attachment contents), for benchmarks that send hundreds of thousands of messages: Postmark
   * keeps them on its own machines, the stand-in would keep them on the machine being measured.
   */
  keep?: 'all' | 'envelope';
}

export type MessageStreamType = 'Transactional' | 'Broadcasts' | 'Inbound';

export const DEFAULT_MESSAGE_STREAMS: Readonly<Record<string, MessageStreamType>> = {
  outbound: 'Transactional',
  broadcast: 'Broadcasts',
  inbound: 'Inbound',
};

export interface PostmarkHeader {
  Name: string;
  Value: string;
}

/** An attachment as Postmark takes it: Content is base64. */
export interface PostmarkAttachment {
  Name: string;
  Content: string;
  ContentType: string;
  ContentID?: string | null;
}

export interface FakeMessage {
  MessageID: string;
  To: string;
  Cc?: string;
  Bcc?: string;
  From: string;
  Subject?: string;
  HtmlBody?: string;
  TextBody?: string;
  Tag?: string;
  Metadata?: Record<string, string>;
  MessageStream: string;
  Headers: PostmarkHeader[];
  /** As sent, Content still base64 (decode with Buffer.from(Content, 'base64')). */
  Attachments: PostmarkAttachment[];
  ReceivedAt: string;
}

export type PostmarkEndpoint = '/email' | '/email/batch' | '/messages/outbound';

/** Chances (0..1) that a call meets each fault, drawn per call from a seeded generator. */
export interface FaultRates {
  500?: number;
  429?: number;
  timeout_after_accept?: number;
}

export type PostmarkFailure =
  | { status: 429 | 500 | 503; errorCode?: number; message?: string }
  /** Records the message(s) as accepted, then never answers: the client times out. */
  | { status: 'timeout_after_accept' };

export interface PostmarkErrorBody {
  ErrorCode: number;
  Message: string;
}

export interface PostmarkFake {
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** e.g. 127.0.0.1:PORT, what the postmark client takes as requestHost */
  readonly host: string;
  readonly serverToken: string;
  /** Accepted messages, in order. */
  readonly messages: readonly FakeMessage[];
  /** Calls per endpoint, failed ones included (so retries can be counted). */
  readonly requests: Readonly<Record<PostmarkEndpoint, number>>;
  failNext(n: number, failure: PostmarkFailure): void;
  /** Every message addressed to `email` (To, Cc or Bcc) fails with this Postmark ErrorCode. */
  setRecipientError(email: string, errorCode: number, message?: string): void;
  /** Every call answers 503 for the next `ms` milliseconds. */
  setOutage(ms: number): void;
  /** Every later answer comes this much later (the message is taken at once): 0 stops it. */
  setLatency(ms: number): void;
  /** Random faults on every later call (the same seed gives the same sequence); {} stops them. */
  setFaultRates(rates: FaultRates, seed?: number): void;
  /** Faults given so far, by kind (injected with failNext or drawn from the rates). */
  readonly faults: Readonly<Record<'500' | '429' | '503' | 'timeout_after_accept', number>>;
  reset(): void;
  close(): Promise<void>;
}

export const MAX_BATCH_MESSAGES = 500;
export const MAX_RECIPIENTS = 50;

export const PostmarkErrors = {
  missingToken: {
    ErrorCode: 10,
    Message:
      'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
  },
  invalidToken: { ErrorCode: 10, Message: 'Request does not contain a valid Server token.' },
  jsonRequired: {
    ErrorCode: 409,
    Message: 'Content-Type and Accept headers must be set to application/json, text/json, or text/x-json.',
  },
  invalidJson: { ErrorCode: 402, Message: 'Received invalid JSON input.' },
  tooManyBatchMessages: {
    ErrorCode: 410,
    Message: `Too many batch messages. You may send up to ${MAX_BATCH_MESSAGES} messages per batch.`,
  },
  zeroRecipients: { ErrorCode: 300, Message: 'Zero recipients specified' },
  tooManyRecipients: {
    ErrorCode: 300,
    Message: `Maximum of ${MAX_RECIPIENTS} recipients allowed per email message`,
  },
  noBody: { ErrorCode: 300, Message: 'Provide either email TextBody or HtmlBody or both.' },
  unknownStream: { ErrorCode: 1235, Message: "The 'MessageStream' provided does not exist on this server." },
  inboundStream: {
    ErrorCode: 1236,
    Message:
      "Sending is not supported on the supplied 'MessageStream'. Sending is not possible with Inbound Message Streams.",
  },
  invalidHeaders: {
    ErrorCode: 300,
    Message: "Invalid 'Headers' value: expected an array of { Name, Value }.",
  },
  rateLimited: {
    ErrorCode: 429,
    Message: 'Rate limit exceeded. You are making requests faster than the API allows; slow down and retry.',
  },
  internal: {
    ErrorCode: 0,
    Message:
      "Internal Server Error: This is an issue with Postmark's servers processing your request. In most cases the message is lost during the process, and Postmark is notified so that we can investigate the issue.",
  },
  unavailable: {
    ErrorCode: 100,
    Message: 'The Postmark API is currently unavailable, please try your request later.',
  },
} as const satisfies Record<string, PostmarkErrorBody>;

/** Postmark's total message size limit, attachments included (counted base64-encoded). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

// File types Postmark refuses to attach (from its documented list of forbidden extensions).
const FORBIDDEN_EXTENSIONS = new Set(
  'vbs exe bin bat chm com cpl crt hlp hta inf ins isp jse lnk mdb pcd pif reg scr sct shs vbe vba wsf wsh wsl msc msi msp mst'.split(
    ' ',
  ),
);
// Linear on large files: the alphabet, then at most two pads, in whole 4-character groups.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (value: string) => value.length % 4 === 0 && BASE64.test(value);
// type/subtype with optional parameters: `text/calendar; charset=utf-8; method=PUBLISH`.
const MEDIA_TYPE =
  /^[a-z0-9][\w!#$&^.+-]*\/[a-z0-9][\w!#$&^.+-]*(\s*;\s*[\w!#$&^.+-]+=("[^"]*"|[\w!#$&^.+-]+))*$/i;

const attachmentError = (message: string): PostmarkErrorBody => ({ ErrorCode: 300, Message: message });

/** The attachments of a message as Postmark checks them; an error body for the first bad one. */
function checkAttachments(
  value: unknown,
): { ok: true; list: PostmarkAttachment[] } | { ok: false; error: PostmarkErrorBody } {
  if (value === undefined || value === null) return { ok: true, list: [] };
  if (!Array.isArray(value)) {
    return { ok: false, error: attachmentError("Invalid 'Attachments' value: expected an array.") };
  }
  const list: PostmarkAttachment[] = [];
  for (const item of value) {
    const a = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const { Name, Content, ContentType, ContentID } = a;
    if (typeof Name !== 'string' || Name.trim() === '')
      return { ok: false, error: attachmentError('Attachment name is required.') };
    if (typeof Content !== 'string' || Content === '')
      return { ok: false, error: attachmentError('Zero-sized attachments not allowed.') };
    if (!isBase64(Content))
      return { ok: false, error: attachmentError(`Invalid attachment content for '${Name}': not Base64.`) };
    if (typeof ContentType !== 'string' || !MEDIA_TYPE.test(ContentType.trim()))
      return { ok: false, error: attachmentError(`Invalid attachment content type for '${Name}'.`) };
    const extension = /\.([^.]+)$/.exec(Name)?.[1]?.toLowerCase();
    if (extension && FORBIDDEN_EXTENSIONS.has(extension))
      return { ok: false, error: attachmentError(`Forbidden attachment type: '${Name}'.`) };
    list.push({ Name, Content, ContentType, ...(typeof ContentID === 'string' ? { ContentID } : {}) });
  }
  return { ok: true, list };
}

const invalidAddress = (field: string, value: string): PostmarkErrorBody => ({
  ErrorCode: 300,
  Message: `Invalid '${field}' address: '${value}'.`,
});

const inactive = (addresses: string[]): PostmarkErrorBody => ({
  ErrorCode: 406,
  // The postmark client reads the addresses out of "Found inactive addresses: ... Inactive".
  Message: `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${addresses.join(', ')}. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.`,
});

function recipientError(code: number, addresses: string[]): PostmarkErrorBody {
  if (code === 406) return inactive(addresses);
  if (code === 300) return invalidAddress('To', addresses.join(', '));
  if (code === 405) return { ErrorCode: 405, Message: 'Not allowed to send: you have run out of credits.' };
  return { ErrorCode: code, Message: `Recipient rejected: ${addresses.join(', ')}.` };
}

// Postmark's published mailbox and domain patterns; a domain also needs a dot ('foo@example' is refused).
const MAILBOX = /^[a-z0-9.!#$%&'`*+\-/=^_{}|~]+$/i;
const DOMAIN = /^((\.)?[a-z0-9-])+$/i;

/** "Name <a@b.c>" or "a@b.c" → the address, or undefined when Postmark would refuse it. */
function parseAddress(entry: string): string | undefined {
  const address = (/<([^>]*)>\s*$/.exec(entry)?.[1] ?? entry).trim();
  const at = address.lastIndexOf('@');
  const mailbox = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 1 || !MAILBOX.test(mailbox) || !DOMAIN.test(domain) || !domain.includes('.')) return undefined;
  return address.toLowerCase();
}

/** Splits an address list on commas outside quoted display names. */
function splitList(list: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of list) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

type Outcome = { ok: true; message: FakeMessage } | { ok: false; error: PostmarkErrorBody };

const isJsonType = (value: string | undefined) => /^(application|text)\/(x-)?json\b/i.test(value ?? '');
const acceptsJson = (value: string | undefined) =>
  value === undefined || /json|\*\/\*|application\/\*/i.test(value);

/** A message without its bodies and attachment contents (names and types stay, for searches). */
const envelope = ({ HtmlBody: _html, TextBody: _text, Attachments, ...rest }: FakeMessage): FakeMessage => ({
  ...rest,
  Attachments: Attachments.map((a) => ({ ...a, Content: '' })),
});

export async function startPostmarkFake(options: PostmarkFakeOptions = {}): Promise<PostmarkFake> {
  const serverToken = options.serverToken ?? 'test-server-token';
  let latencyMs = options.latencyMs ?? 0;
  const messages: FakeMessage[] = [];
  const requests: Record<PostmarkEndpoint, number> = {
    '/email': 0,
    '/email/batch': 0,
    '/messages/outbound': 0,
  };
  const faults = { '500': 0, '429': 0, '503': 0, timeout_after_accept: 0 };
  const failures: PostmarkFailure[] = [];
  let rates: FaultRates = {};
  let random = mulberry32(1);
  const recipientErrors = new Map<string, { code: number; message?: string }>();
  let outageUntil = 0;
  const streams = new Map(Object.entries(options.messageStreams ?? DEFAULT_MESSAGE_STREAMS));
  const envelopeOnly = options.keep === 'envelope';

  function validate(input: unknown): Outcome {
    const m = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const str = (key: string) => (typeof m[key] === 'string' ? (m[key] as string) : undefined);
    const from = str('From') ?? '';
    if (from.trim() === '' || !parseAddress(from)) return { ok: false, error: invalidAddress('From', from) };

    const recipients: string[] = [];
    for (const field of ['To', 'Cc', 'Bcc']) {
      for (const entry of splitList(str(field) ?? '')) {
        const address = parseAddress(entry);
        if (!address) return { ok: false, error: invalidAddress(field, entry) };
        recipients.push(address);
      }
    }
    if (recipients.length === 0) return { ok: false, error: PostmarkErrors.zeroRecipients };
    if (recipients.length > MAX_RECIPIENTS) return { ok: false, error: PostmarkErrors.tooManyRecipients };
    if (!str('HtmlBody') && !str('TextBody')) return { ok: false, error: PostmarkErrors.noBody };
    // Every message goes on a stream of the server; none given is the default transactional `outbound`.
    const stream = str('MessageStream') ?? 'outbound';
    const streamType = streams.get(stream);
    if (!streamType) return { ok: false, error: PostmarkErrors.unknownStream };
    if (streamType === 'Inbound') return { ok: false, error: PostmarkErrors.inboundStream };
    const headers = m.Headers;
    if (
      headers !== undefined &&
      headers !== null &&
      (!Array.isArray(headers) ||
        !headers.every(
          (h) =>
            typeof h === 'object' &&
            h !== null &&
            typeof (h as PostmarkHeader).Name === 'string' &&
            (h as PostmarkHeader).Name.trim() !== '' &&
            typeof (h as PostmarkHeader).Value === 'string',
        ))
    )
      return { ok: false, error: PostmarkErrors.invalidHeaders };
    const attachments = checkAttachments(m.Attachments);
    if (!attachments.ok) return attachments;
    const size =
      (str('HtmlBody')?.length ?? 0) +
      (str('TextBody')?.length ?? 0) +
      attachments.list.reduce((sum, a) => sum + a.Content.length, 0);
    if (size > MAX_MESSAGE_BYTES) {
      return { ok: false, error: attachmentError('The message exceeds the 10 MB size limit.') };
    }

    const metadata = m.Metadata;
    if (metadata !== undefined && metadata !== null) {
      if (typeof metadata !== 'object' || Array.isArray(metadata)) {
        return {
          ok: false,
          error: { ErrorCode: 300, Message: "Invalid 'Metadata' value: expected an object." },
        };
      }
      for (const [key, value] of Object.entries(metadata)) {
        if (typeof value !== 'string') {
          return {
            ok: false,
            error: {
              ErrorCode: 300,
              Message: `Invalid 'Metadata' value for '${key}': values must be strings.`,
            },
          };
        }
      }
    }

    // Configured recipient errors fail the whole message, as Postmark does for inactive recipients.
    const failing = recipients.filter((r) => recipientErrors.has(r));
    const first = failing[0] && recipientErrors.get(failing[0]);
    if (first) {
      return {
        ok: false,
        error: first.message
          ? { ErrorCode: first.code, Message: first.message }
          : recipientError(first.code, failing),
      };
    }

    return {
      ok: true,
      message: {
        MessageID: randomUUID(),
        To: str('To') ?? '',
        ...(str('Cc') ? { Cc: str('Cc') } : {}),
        ...(str('Bcc') ? { Bcc: str('Bcc') } : {}),
        From: from,
        Subject: str('Subject'),
        HtmlBody: str('HtmlBody'),
        TextBody: str('TextBody'),
        Tag: str('Tag'),
        Metadata: (metadata ?? undefined) as Record<string, string> | undefined,
        MessageStream: stream,
        Headers: Array.isArray(headers) ? (headers as PostmarkHeader[]) : [],
        Attachments: attachments.list,
        ReceivedAt: new Date().toISOString(),
      },
    };
  }

  // Accepts a valid message (records it) and returns the per-message answer Postmark gives.
  function submit(input: unknown): { ok: boolean; body: object } {
    const outcome = validate(input);
    if (!outcome.ok) return { ok: false, body: outcome.error };
    messages.push(envelopeOnly ? envelope(outcome.message) : outcome.message);
    const { To, Cc, Bcc, MessageID, ReceivedAt } = outcome.message;
    return {
      ok: true,
      body: {
        To,
        ...(Cc ? { Cc } : {}),
        ...(Bcc ? { Bcc } : {}),
        SubmittedAt: ReceivedAt,
        MessageID,
        ErrorCode: 0,
        Message: 'OK',
      },
    };
  }

  // A timeout after accept only makes sense where something is accepted: the send endpoints.
  function drawFault(path: PostmarkEndpoint): PostmarkFailure | undefined {
    const roll = random();
    let edge = 0;
    for (const status of [500, 429, 'timeout_after_accept'] as const) {
      edge += rates[status] ?? 0;
      if (roll >= edge) continue;
      if (status !== 'timeout_after_accept') return { status };
      return path === '/messages/outbound' ? undefined : { status };
    }
    return undefined;
  }

  /** Outbound message search: newest first, with Postmark's filters, one metadata_<key> at a time. */
  function search(params: URLSearchParams): [number, object] {
    const count = Number(params.get('count'));
    const offset = Number(params.get('offset'));
    if (
      !params.has('count') ||
      !params.has('offset') ||
      !Number.isInteger(count) ||
      !Number.isInteger(offset)
    )
      return [422, { ErrorCode: 1, Message: 'The count and offset parameters are required.' }];
    if (count < 1 || count > 500 || offset < 0 || count + offset > 10_000)
      return [422, { ErrorCode: 1, Message: 'Count must be 1..500, and count + offset at most 10,000.' }];
    const metadata = [...params].filter(([key]) => key.startsWith('metadata_'));
    if (metadata.length > 1)
      return [422, { ErrorCode: 1, Message: 'You can only search by one metadata field at a time.' }];
    const recipient = params.get('recipient')?.toLowerCase();
    const matches = messages
      .filter(
        (m) =>
          (!recipient || [m.To, m.Cc, m.Bcc].some((list) => list?.toLowerCase().includes(recipient))) &&
          (!params.has('tag') || m.Tag === params.get('tag')) &&
          (!params.has('fromemail') ||
            m.From.toLowerCase().includes(params.get('fromemail')?.toLowerCase() ?? '')) &&
          (!params.has('subject') || m.Subject === params.get('subject')) &&
          // Without `messagestream`, Postmark searches the default transactional stream only.
          m.MessageStream === (params.get('messagestream') ?? 'outbound') &&
          metadata.every(([key, value]) => m.Metadata?.[key.slice('metadata_'.length)] === value),
      )
      .reverse();
    const list = (value: string | undefined) =>
      splitList(value ?? '').map((entry) => ({ Email: parseAddress(entry) ?? entry, Name: '' }));
    return [
      200,
      {
        TotalCount: matches.length,
        Messages: matches.slice(offset, offset + count).map((m) => ({
          Tag: m.Tag ?? '',
          MessageID: m.MessageID,
          MessageStream: m.MessageStream,
          To: list(m.To),
          Cc: list(m.Cc),
          Bcc: list(m.Bcc),
          Recipients: [...list(m.To), ...list(m.Cc), ...list(m.Bcc)].map((r) => r.Email),
          ReceivedAt: m.ReceivedAt,
          From: m.From,
          Subject: m.Subject ?? '',
          Attachments: m.Attachments.map((a) => a.Name),
          Status: 'Sent',
          TrackOpens: false,
          TrackLinks: 'None',
          Metadata: m.Metadata ?? {},
          Sandboxed: false,
        })),
      },
    ];
  }

  function answer(res: ServerResponse, status: number, body: unknown) {
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/$/, '') as PostmarkEndpoint;
    if (path !== '/email' && path !== '/email/batch' && path !== '/messages/outbound') {
      return answer(res, 404, { ErrorCode: 0, Message: `No endpoint at ${req.method} ${req.url}.` });
    }
    if (req.method !== (path === '/messages/outbound' ? 'GET' : 'POST'))
      return answer(res, 405, { ErrorCode: 0, Message: 'The requested method is not allowed.' });
    requests[path] += 1;
    const body = await readBody(req);

    // Outages and injected faults sit in front of the API, before any check of the request.
    if (Date.now() < outageUntil) {
      faults['503'] += 1;
      return answer(res, 503, PostmarkErrors.unavailable);
    }
    const failure = failures.shift() ?? drawFault(path);
    if (failure) faults[String(failure.status) as keyof typeof faults] += 1;
    if (failure && failure.status !== 'timeout_after_accept') {
      const base =
        failure.status === 429
          ? PostmarkErrors.rateLimited
          : failure.status === 500
            ? PostmarkErrors.internal
            : PostmarkErrors.unavailable;
      return answer(res, failure.status, {
        ErrorCode: failure.errorCode ?? base.ErrorCode,
        Message: failure.message ?? base.Message,
      });
    }

    const token = req.headers['x-postmark-server-token'];
    if (typeof token !== 'string' || token.trim() === '')
      return answer(res, 401, PostmarkErrors.missingToken);
    if (token.trim() !== serverToken) return answer(res, 401, PostmarkErrors.invalidToken);
    if (!isJsonType(req.headers['content-type']) || !acceptsJson(req.headers.accept)) {
      return answer(res, 415, PostmarkErrors.jsonRequired);
    }

    if (path === '/messages/outbound') return answer(res, ...search(url.searchParams));

    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return answer(res, 422, PostmarkErrors.invalidJson);
    }

    let status: number;
    let result: unknown;
    if (path === '/email') {
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return answer(res, 422, PostmarkErrors.invalidJson);
      }
      const sent = submit(payload);
      [status, result] = [sent.ok ? 200 : 422, sent.body];
    } else {
      if (!Array.isArray(payload)) return answer(res, 422, PostmarkErrors.invalidJson);
      if (payload.length > MAX_BATCH_MESSAGES) return answer(res, 422, PostmarkErrors.tooManyBatchMessages);
      // Per-message failures are reported in the array; the batch itself still answers 200.
      [status, result] = [200, payload.map((m) => submit(m).body)];
    }

    // Accepted and recorded, but the answer never leaves: the client's retry makes a duplicate.
    if (failure?.status === 'timeout_after_accept') return;
    answer(res, status, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { ErrorCode: 0, Message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    serverToken,
    messages,
    requests,
    failNext(n, failure) {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    setRecipientError(email, errorCode, message) {
      recipientErrors.set(email.trim().toLowerCase(), { code: errorCode, message });
    },
    setOutage(ms) {
      outageUntil = Date.now() + ms;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFaultRates(next, seed = 1) {
      rates = next;
      random = mulberry32(seed);
    },
    faults,
    reset() {
      messages.length = 0;
      for (const key of Object.keys(requests) as PostmarkEndpoint[]) requests[key] = 0;
      for (const key of Object.keys(faults) as (keyof typeof faults)[]) faults[key] = 0;
      rates = {};
      failures.length = 0;
      recipientErrors.clear();
      outageUntil = 0;
      latencyMs = options.latencyMs ?? 0;
    },
    close() {
      // Unanswered (timed-out) requests would otherwise keep the server open.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** A small seeded generator, so a run's faults can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
