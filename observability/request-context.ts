/**
 * The request a piece of work belongs to: one id per HTTP request, kept in AsyncLocalStorage for
 * everything that request runs (log lines, the Temporal calls it makes), and per activity
 * execution in a worker (read from the Temporal header its workflow passed on).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request the current code runs for, if any. */
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

/** Runs `fn` as part of the request `requestId`. */
export const withRequestId = <T>(requestId: string, fn: () => T): T => storage.run({ requestId }, fn);

/** What an id taken from a client or a proxy may look like: short, printable, nothing to inject. */
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * This request's id: the `X-Request-Id` a trusted proxy sent (it is the proxy's id, so logs on
 * both sides match), otherwise a new one. A client's own header is never believed: ids are
 * what ties log lines together, and a client must not be able to splice its lines into another's.
 */
export function requestIdFor(header: string | undefined, fromTrustedProxy: boolean): string {
  const offered = header?.trim();
  if (fromTrustedProxy && offered && ACCEPTABLE.test(offered)) return offered;
  return randomUUID();
}

/** A request id from a Temporal header, checked like one from a proxy. */
export const acceptableRequestId = (value: unknown): string | undefined =>
  typeof value === 'string' && ACCEPTABLE.test(value) ? value : undefined;
