import { describe, expect, it } from 'vitest';
import {
  addressBucket,
  clientAddress,
  normalizeAddress,
  parseTrustedProxies,
  trustedProxyList,
} from '../../api/client-address';

const trusted = trustedProxyList(parseTrustedProxies('10.0.0.0/8, 192.168.1.7, 2001:db8:ffff::/48'));

describe('parseTrustedProxies', () => {
  it('accepts addresses and CIDRs of both families, ignoring blanks', () => {
    expect(parseTrustedProxies(' 10.0.0.0/8 ,, ::1, 2001:db8::/32 ')).toEqual([
      '10.0.0.0/8',
      '::1',
      '2001:db8::/32',
    ]);
    expect(parseTrustedProxies('')).toEqual([]);
  });

  it.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', '2001:db8::/129', '10.0.0.0/'])(
    'refuses %j',
    (entry) => {
      expect(() => parseTrustedProxies(entry)).toThrow(entry);
    },
  );
});

describe('normalizeAddress', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['203.0.113.9:5123', '203.0.113.9'],
    ['fe80::1%eth0', 'fe80::1'],
    [' 198.51.100.2 ', '198.51.100.2'],
    ['unknown', null],
    ['', null],
  ])('reads %j as %j', (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});

describe('clientAddress', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('::ffff:10.0.0.5', '1.2.3.4', null)).toBe('10.0.0.5');
  });

  it('is the socket peer when the peer is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.5', '1.2.3.4', trusted)).toBe('203.0.113.5');
  });

  it('walks X-Forwarded-For from the right past trusted hops to the first untrusted address', () => {
    // The client forged "6.6.6.6"; the first proxy appended what it saw (198.51.100.7).
    expect(clientAddress('10.0.0.5', '6.6.6.6, 198.51.100.7, 192.168.1.7', trusted)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:10.1.2.3', '2001:db8:1:2::99', trusted)).toBe('2001:db8:1:2::99');
    expect(clientAddress('2001:db8:ffff:1::1', '[2001:db8:9::1]:1234', trusted)).toBe('2001:db8:9::1');
  });

  it('is the leftmost hop when every hop is trusted, and the last trusted hop when an entry is malformed', () => {
    expect(clientAddress('10.0.0.5', '10.9.9.9, 10.0.0.6', trusted)).toBe('10.9.9.9');
    expect(clientAddress('10.0.0.5', 'garbage, 10.0.0.6', trusted)).toBe('10.0.0.6');
    expect(clientAddress('10.0.0.5', undefined, trusted)).toBe('10.0.0.5');
  });

  it('is "unknown" without a socket address', () => {
    expect(clientAddress(undefined, '1.2.3.4', trusted)).toBe('unknown');
  });
});

describe('addressBucket', () => {
  it('keeps IPv4 addresses and puts IPv6 addresses in their /64', () => {
    expect(addressBucket('198.51.100.7')).toBe('198.51.100.7');
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('unknown')).toBe('unknown');
  });
});
