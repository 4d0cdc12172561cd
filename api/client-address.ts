/**
 * Who the client is, for rate limits: the socket's peer, or, behind trusted proxies, the first
 * untrusted address of `X-Forwarded-For` read from the right. Pure; the middleware is rate-limit.ts.
 */
import { BlockList, isIP } from 'node:net';

/**
 * TRUSTED_PROXIES: comma-separated addresses or CIDRs (`10.0.0.0/8, 2001:db8::/32, 127.0.0.1`).
 * Throws naming the first entry that is neither.
 */
export function parseTrustedProxies(value: string): string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (family === 0 || !prefixOk || extra !== undefined)
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
  }
  return entries;
}

/** The trusted ranges as a BlockList (node:net matches CIDRs natively); null when none are set. */
export function trustedProxyList(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((h) => Number.parseInt(h, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * A plain address from a socket or a forwarded-for entry: brackets, ports and zone ids removed,
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as IPv4. Null when it is no address.
 */
export function normalizeAddress(raw: string | undefined): string | null {
  let text = (raw ?? '').trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.indexOf(':'));
  text = text.replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6) return null;
  const g = ipv6Groups(text);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const [hi = 0, lo = 0] = g.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return text;
}

/**
 * The client: the socket's peer when it is not a trusted proxy; otherwise walk X-Forwarded-For
 * from the right, past trusted hops, to the first untrusted address (what the nearest trusted
 * proxy saw). Entries left of it are the client's own words and are never read.
 */
export function clientAddress(
  socket: string | undefined,
  forwardedFor: string | undefined,
  trusted: BlockList | null,
): string {
  let client = normalizeAddress(socket);
  if (client === null) return 'unknown';
  if (trusted === null || !forwardedFor) return client;
  const hops = forwardedFor.split(',').reverse();
  for (const hop of hops) {
    if (!trusted.check(client, isIP(client) === 4 ? 'ipv4' : 'ipv6')) return client;
    const next = normalizeAddress(hop);
    // A malformed entry written by a trusted proxy: the proxy is all we know.
    if (next === null) return client;
    client = next;
  }
  return client;
}

/** The bucket a limit counts in: an IPv4 address, or an IPv6 address's /64 (one subscriber's block). */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address)
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
