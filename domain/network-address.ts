/**
 * Which network addresses a webhook may be sent to: only public unicast ones. Pure (node:net's
 * address parsing only); the API checks an endpoint's URL with it when the endpoint is saved, and
 * the delivery checks the very address it connects to (activities/webhook-http.ts).
 */
import { BlockList, isIP } from 'node:net';

// IPv4 ranges that are not public unicast (IANA special-purpose registry, RFC 6890 and later).
const V4_NOT_PUBLIC: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
];

// Public IPv6 unicast is within 2000::/3; inside it, these are not public (or embed an IPv4
// address that may be private: 6to4, Teredo).
const V6_NOT_PUBLIC_IN_GLOBAL: [string, number][] = [
  ['2001::', 23], // IETF protocol assignments (Teredo 2001::/32, ORCHID, ...)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['3fff::', 20], // documentation
];

const v4 = new BlockList();
for (const [net, prefix] of V4_NOT_PUBLIC) v4.addSubnet(net, prefix, 'ipv4');
const v6Global = new BlockList();
v6Global.addSubnet('2000::', 3, 'ipv6');
const v6NotPublic = new BlockList();
for (const [net, prefix] of V6_NOT_PUBLIC_IN_GLOBAL) v6NotPublic.addSubnet(net, prefix, 'ipv6');

/**
 * Whether `address` (an IPv4 or IPv6 literal, brackets allowed) is a public unicast address. Not
 * public: private, loopback, link-local, unspecified, carrier-grade NAT, multicast, documentation
 * and reserved ranges, unique-local (fc00::/7), IPv4-mapped (::ffff:0:0/96) and NAT64 addresses,
 * and anything that is not an address at all.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // A zone id (fe80::1%eth0) is only ever link-local.
  if (bare.includes('%')) return false;
  const family = isIP(bare);
  if (family === 4) return !v4.check(bare, 'ipv4');
  if (family === 6) return v6Global.check(bare, 'ipv6') && !v6NotPublic.check(bare, 'ipv6');
  return false;
}

/** The host of a URL's hostname as an address literal (brackets removed), or null for a name. */
export function addressLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}
