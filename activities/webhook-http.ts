/**
 * One webhook POST, safe against server-side request forgery: only http(s); the host is resolved
 * here and only public addresses are connected to (the check runs on the very address the socket
 * connects to, so a name that resolved to a public address when the endpoint was saved and to a
 * private one now, DNS rebinding, is refused); no redirect is followed (a 3xx is a failed
 * attempt); the whole attempt, connect to last byte, is bounded by a timeout; at most
 * MAX_KEPT_BODY bytes of the answer are read, for the delivery log, and the rest is dropped.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressLiteral, isPublicAddress } from '../domain/network-address';

/** Bytes of an endpoint's answer kept for the delivery log. */
export const MAX_KEPT_BODY = 4096;

export interface PostOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  /** How names are resolved (node:dns lookup by default); tests pass their own resolver. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

/** The endpoint's address is not a public one (and private networks are not allowed). */
export class AddressNotAllowedError extends Error {
  constructor(host: string, address?: string) {
    super(
      address
        ? `${host} resolves to ${address}, which is not a public address`
        : `${host} has no public address`,
    );
    this.name = 'AddressNotAllowedError';
  }
}

const defaultResolve = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * The addresses of `hostname` that may be connected to: all of them with private networks
 * allowed, else the public ones; throws AddressNotAllowedError when none is left.
 */
export async function allowedAddresses(
  hostname: string,
  options: Pick<PostOptions, 'allowPrivateNetworks' | 'resolve'>,
): Promise<LookupAddress[]> {
  const literal = addressLiteral(hostname);
  const addresses = literal
    ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
    : await (options.resolve ?? defaultResolve)(hostname);
  if (options.allowPrivateNetworks) return addresses;
  const allowed = addresses.filter((a) => isPublicAddress(a.address));
  if (allowed.length === 0) throw new AddressNotAllowedError(hostname, addresses[0]?.address);
  return allowed;
}

export type UrlCheck =
  | { ok: true }
  | { ok: false; problem: 'not_allowed' | 'unresolvable' | 'invalid'; detail: string };

/**
 * Whether an endpoint URL may be saved: http(s), no credentials in it, and (unless private
 * networks are allowed) a host that is, or resolves only to, public addresses. Checked again at
 * every delivery, on the address connected to.
 */
export async function checkEndpointUrl(
  url: string,
  options: Pick<PostOptions, 'allowPrivateNetworks' | 'resolve'>,
): Promise<UrlCheck> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, problem: 'invalid', detail: 'The URL is not valid.' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return { ok: false, problem: 'invalid', detail: 'Only http and https URLs are allowed.' };
  if (target.username || target.password)
    return {
      ok: false,
      problem: 'invalid',
      detail: 'Credentials do not belong in the URL: receivers verify the signature instead.',
    };
  if (options.allowPrivateNetworks) return { ok: true };
  const literal = addressLiteral(target.hostname);
  let addresses: LookupAddress[];
  try {
    addresses = literal
      ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
      : await (options.resolve ?? defaultResolve)(target.hostname);
  } catch {
    return { ok: false, problem: 'unresolvable', detail: `The host ${target.hostname} does not resolve.` };
  }
  const refused = addresses.find((a) => !isPublicAddress(a.address));
  if (refused || addresses.length === 0) {
    return {
      ok: false,
      problem: 'not_allowed',
      detail: `${target.hostname} is or resolves to ${refused?.address ?? 'no address'}, which is not a public address: webhooks go only to public addresses.`,
    };
  }
  return { ok: true };
}

/** The socket's lookup: resolves, keeps only the allowed addresses, and hands those to connect. */
function checkedLookup(options: PostOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    allowedAddresses(hostname, options).then(
      (addresses) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const fitting = family ? addresses.filter((a) => a.family === family) : addresses;
        if (fitting.length === 0) {
          callback(new AddressNotAllowedError(hostname), '', 0);
          return;
        }
        if (lookupOptions.all) callback(null, fitting);
        else callback(null, fitting[0]?.address as string, fitting[0]?.family as number);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** POSTs `body` to `url` with `headers`; never throws: every failure is a result. */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: PostOptions,
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string, statusCode: number | null = null, responseBody: string | null = null) => ({
    ok: false,
    statusCode,
    durationMs: elapsed(),
    error,
    responseBody,
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return fail('not a valid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return fail('only http and https');
  // An address literal skips the socket's lookup: it is checked here instead.
  const literal = addressLiteral(target.hostname);
  if (literal && !options.allowPrivateNetworks && !isPublicAddress(literal))
    return fail(new AddressNotAllowedError(target.hostname, literal).message);

  const client = target.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: checkedLookup(options),
      // A fresh connection per attempt: a pooled socket could skip the address check.
      agent: false,
    });
    const timer = setTimeout(
      () => finish(fail(`no answer within ${options.timeoutMs} ms (timeout)`)),
      options.timeoutMs,
    );
    request.on('error', (error) => finish(fail(error.message || String(error))));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      const done = () => {
        // PostgreSQL text holds no NUL characters.
        const text = chunks.length ? Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', '') : null;
        if (status >= 200 && status < 300) {
          finish({ ok: true, statusCode: status, durationMs: elapsed(), error: null, responseBody: text });
        } else if (status >= 300 && status < 400) {
          finish(fail(`redirect to ${response.headers.location ?? 'nowhere'} not followed`, status, text));
        } else finish(fail(`HTTP ${status}`, status, text));
      };
      response.on('data', (chunk: Buffer) => {
        if (kept < MAX_KEPT_BODY) {
          const part = chunk.subarray(0, MAX_KEPT_BODY - kept);
          chunks.push(part);
          kept += part.length;
        }
        // Enough kept: the answer is complete as far as this attempt cares.
        if (kept >= MAX_KEPT_BODY) done();
      });
      response.on('end', done);
      response.on('error', (error) => finish(fail(error.message, status)));
    });
    request.end(body);
  });
}
