import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEndpointUrl, MAX_KEPT_BODY, postWebhook } from '../../activities/webhook-http';
import { loadEnv } from '../../config/env';
import { EncryptionCodec, newKeyEntry, parseKeyring, secretBox } from '../../config/payload-codec';
import { webhookDeliverySettings } from '../../config/services';
import { isPublicAddress } from '../../domain/network-address';
import { DEFAULT_RETRY, failedTooLong, nextAttemptAt, retryDelayMs } from '../../domain/webhooks';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '100.64.0.1',
    '100.127.255.255',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '[::1]',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    '::ffff:127.0.0.1',
    '::ffff:8.8.8.8',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    '2001:db8::1',
    '2002:7f00:1::1',
    'ff02::1',
    'localhost',
    'example.com',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '[2a00:1450::1]',
  ])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkEndpointUrl', () => {
  const strict = { allowPrivateNetworks: false };

  it.each([
    'http://127.0.0.1/hook',
    'http://localhost:8080/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'https://[fd00::1]/hook',
  ])('refuses %s as not allowed', async (url) => {
    expect(await checkEndpointUrl(url, strict)).toMatchObject({ ok: false, problem: 'not_allowed' });
  });

  it('refuses a name when any of its addresses is private (resolved when saved)', async () => {
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    expect(await checkEndpointUrl('https://hooks.example.test/x', { ...strict, resolve })).toMatchObject({
      ok: false,
      problem: 'not_allowed',
    });
    const publicOnly = async () => [{ address: '93.184.215.14', family: 4 }];
    expect(
      await checkEndpointUrl('https://hooks.example.test/x', { ...strict, resolve: publicOnly }),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses a name that does not resolve, another scheme, and credentials in the URL', async () => {
    const resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await checkEndpointUrl('https://nowhere.example.test/', { ...strict, resolve })).toMatchObject({
      problem: 'unresolvable',
    });
    expect(await checkEndpointUrl('ftp://93.184.215.14/', strict)).toMatchObject({ problem: 'invalid' });
    expect(await checkEndpointUrl('https://u:p@93.184.215.14/', strict)).toMatchObject({
      problem: 'invalid',
    });
  });

  it('allows private addresses when WEBHOOK_ALLOW_PRIVATE_NETWORKS is on', async () => {
    expect(await checkEndpointUrl('http://127.0.0.1:9/x', { allowPrivateNetworks: true })).toEqual({
      ok: true,
    });
  });
});

describe('postWebhook', () => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    if (req.url === '/big') {
      res.writeHead(500);
      res.end('x'.repeat(64 * 1024));
    } else res.end('ok');
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('checks the address it connects to: a name that now resolves to a private address is refused (DNS rebinding)', async () => {
    const before = hits;
    const rebound = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await postWebhook(`http://hooks.example.test:${port}/`, {}, '{}', {
      timeoutMs: 2_000,
      allowPrivateNetworks: false,
      resolve: rebound,
    });
    expect(result).toMatchObject({
      ok: false,
      statusCode: null,
      error: expect.stringMatching(/not a public address/),
    });
    expect(hits).toBe(before);
  });

  it('refuses an address literal and localhost without connecting', async () => {
    const before = hits;
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      const result = await postWebhook(`http://${host}:${port}/`, {}, '{}', {
        timeoutMs: 2_000,
        allowPrivateNetworks: false,
      });
      expect(result.ok, host).toBe(false);
    }
    expect(hits).toBe(before);
  });

  it('connects with private networks allowed, and keeps at most 4 KiB of the answer', async () => {
    const rebound = async () => [{ address: '127.0.0.1', family: 4 }];
    const ok = await postWebhook(`http://hooks.example.test:${port}/`, {}, '{}', {
      timeoutMs: 2_000,
      allowPrivateNetworks: true,
      resolve: rebound,
    });
    expect(ok).toMatchObject({ ok: true, statusCode: 200, responseBody: 'ok' });
    const big = await postWebhook(`http://127.0.0.1:${port}/big`, {}, '{}', {
      timeoutMs: 2_000,
      allowPrivateNetworks: true,
    });
    expect(big).toMatchObject({ ok: false, statusCode: 500, error: 'HTTP 500' });
    expect(big.responseBody).toHaveLength(MAX_KEPT_BODY);
  });
});

describe('the retry schedule', () => {
  const none = () => 0.5;

  it('doubles from the initial wait up to the maximum, with jitter of at most 10 %', () => {
    const schedule = { initialMs: 1_000, maxIntervalMs: 5_000, windowMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(schedule, n, none))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
    expect(retryDelayMs(schedule, 1, () => 0)).toBe(900);
    expect(retryDelayMs(schedule, 1, () => 1)).toBe(1_100);
  });

  it('tries for three days by default, then gives up', () => {
    const from = new Date('2027-01-01T00:00:00Z');
    const day = 86_400_000;
    expect(nextAttemptAt(DEFAULT_RETRY, 1, from, from, none)?.getTime()).toBe(from.getTime() + 5_000);
    const late = new Date(from.getTime() + 3 * day - 10 * 60_000);
    expect(nextAttemptAt(DEFAULT_RETRY, 30, from, late, none)).toBeNull();
    const earlier = new Date(from.getTime() + 2 * day);
    expect(nextAttemptAt(DEFAULT_RETRY, 30, from, earlier, none)?.getTime()).toBe(
      earlier.getTime() + 3_600_000,
    );
  });

  it('counts an endpoint as failing too long from the set time', () => {
    const since = new Date('2027-01-01T00:00:00Z');
    expect(failedTooLong(since, new Date('2027-01-05T23:59:59Z'), 5 * 86_400_000)).toBe(false);
    expect(failedTooLong(since, new Date('2027-01-06T00:00:00Z'), 5 * 86_400_000)).toBe(true);
  });
});

describe('secretBox', () => {
  it('seals a secret with the payload keys, opens it for its row only, and after a key rotation', () => {
    const first = newKeyEntry('k1');
    const box = secretBox(parseKeyring(first));
    const sealed = box.seal('whsec_abc', 'row-1');
    expect(sealed.startsWith('k1:')).toBe(true);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed, 'row-1')).toBe('whsec_abc');
    expect(() => box.open(sealed, 'row-2')).toThrow(/authentication/);
    const rotated = secretBox(parseKeyring(`${newKeyEntry('k2')},${first}`));
    expect(rotated.open(sealed, 'row-1')).toBe('whsec_abc');
    expect(rotated.seal('x', 'r').startsWith('k2:')).toBe(true);
    expect(() => secretBox(parseKeyring(newKeyEntry('k3'))).open(sealed, 'row-1')).toThrow(/k1/);
  });
});

describe('the WEBHOOK_* settings', () => {
  it('default to no private networks, 10 s attempts, 5 s doubling to an hour for 72 hours, disabled after 5 days', () => {
    const env = loadEnv({});
    expect(env.WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    const settings = webhookDeliverySettings(env, new EncryptionCodec(parseKeyring(newKeyEntry('k'))));
    expect(settings).toMatchObject({
      allowPrivateNetworks: false,
      attemptTimeoutMs: 10_000,
      retry: DEFAULT_RETRY,
      disableAfterMs: 5 * 86_400_000,
    });
  });

  it('takes short schedules for tests and refuses nonsense', () => {
    const env = loadEnv({
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_ATTEMPT_TIMEOUT_MS: '500',
      WEBHOOK_RETRY_INITIAL_MS: '50',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '400',
      WEBHOOK_RETRY_WINDOW_HOURS: '0.5',
      WEBHOOK_DISABLE_AFTER_DAYS: '0.0001',
    });
    const settings = webhookDeliverySettings(env, new EncryptionCodec(parseKeyring(newKeyEntry('k'))));
    expect(settings).toMatchObject({
      allowPrivateNetworks: true,
      attemptTimeoutMs: 500,
      retry: { initialMs: 50, maxIntervalMs: 400, windowMs: 1_800_000 },
      disableAfterMs: 8_640,
    });
    expect(() => loadEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_NETWORKS/,
    );
    expect(() => loadEnv({ WEBHOOK_ATTEMPT_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_ATTEMPT_TIMEOUT_MS/);
    expect(() => loadEnv({ WEBHOOK_DISABLE_AFTER_DAYS: '-1' })).toThrow(/WEBHOOK_DISABLE_AFTER_DAYS/);
  });
});
