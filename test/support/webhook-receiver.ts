// A webhook receiver for tests: a node:http server on 127.0.0.1 that records every request and
// answers as the test says (a status, a delay, a redirect), per path.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The parsed payload `{ id, type, createdAt, data }`. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON payloads
  payload: any;
  receivedAt: number;
}

export interface Answer {
  status?: number;
  /** Waits this long before answering (longer than the attempt timeout: the sender gives up). */
  delayMs?: number;
  body?: string;
  headers?: Record<string, string>;
}

/** How a path answers its n-th request (1-based); absent: 200 "ok". */
export type Responder = (n: number, request: ReceivedWebhook) => Answer;

export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const responders = new Map<string, Responder>();
  const counts = new Map<string, number>();
  const pending = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      payload = undefined;
    }
    const request = { path, headers, body, payload, receivedAt: Date.now() };
    received.push(request);
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const answer = responders.get(path)?.(n, request) ?? {};
    pending.add(res);
    res.on('close', () => pending.delete(res));
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
    res.end(answer.body ?? 'ok');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    /** A URL of this receiver; `path` names an endpoint, to tell them apart. */
    url: (path: string) => `${base}${path}`,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    respond(path: string, responder: Responder) {
      responders.set(path, responder);
    },
    async close() {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** Verifies a received request with the standardwebhooks package; answers the payload or throws. */
export function verify(secret: string, request: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': request.headers['webhook-id'] ?? '',
    'webhook-timestamp': request.headers['webhook-timestamp'] ?? '',
    'webhook-signature': request.headers['webhook-signature'] ?? '',
  });
}
