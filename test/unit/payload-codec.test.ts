import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env';
import {
  EncryptionCodec,
  newKeyEntry,
  parseKeyring,
  payloadFromJson,
  payloadToJson,
} from '../../config/payload-codec';

const plain = defaultPayloadConverter.toPayload({ email: 'ada@example.org', firstName: 'Ada' });
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString();
const codecOf = (keys: string) => new EncryptionCodec(parseKeyring(keys));

describe('the Temporal payload codec', () => {
  it('round-trips a payload and leaves no plain text in the encrypted one', async () => {
    const codec = codecOf(newKeyEntry('k1'));
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted?.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(encrypted?.metadata?.['encryption-key-id'])).toBe('k1');
    expect(text(encrypted?.data)).not.toContain('ada@example.org');
    expect(JSON.stringify(encrypted?.metadata)).not.toContain('json/plain');
    const [decoded] = await codec.decode([encrypted as never]);
    expect(defaultPayloadConverter.fromPayload(decoded as never)).toEqual({
      email: 'ada@example.org',
      firstName: 'Ada',
    });
  });

  it('encrypts each payload with a fresh nonce', async () => {
    const codec = codecOf(newKeyEntry('k1'));
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('decodes with an older key after rotation and encodes with the current one', async () => {
    const old = newKeyEntry('old');
    const [byOld] = await codecOf(old).encode([plain]);
    const rotated = codecOf(`${newKeyEntry('new')},${old}`);
    const [decoded] = await rotated.decode([byOld as never]);
    expect(defaultPayloadConverter.fromPayload(decoded as never)).toMatchObject({ firstName: 'Ada' });
    const [byNew] = await rotated.encode([plain]);
    expect(text(byNew?.metadata?.['encryption-key-id'])).toBe('new');
    // A key that was dropped no longer decodes what it encrypted.
    await expect(codecOf(newKeyEntry('new')).decode([byOld as never])).rejects.toThrow(/old/);
  });

  it('refuses a tampered ciphertext and a payload under a different key of the same id', async () => {
    const codec = codecOf(newKeyEntry('k1'));
    const [encrypted] = await codec.encode([plain]);
    const data = Buffer.from(encrypted?.data ?? []);
    for (const at of [0, 20, data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      await expect(codec.decode([{ ...encrypted, data: tampered }])).rejects.toThrow(/authentication/);
    }
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 10) }])).rejects.toThrow();
    await expect(codecOf(newKeyEntry('k1')).decode([encrypted as never])).rejects.toThrow(/authentication/);
  });

  it('passes payloads without the encryption encoding through unchanged (histories recorded before)', async () => {
    const codec = codecOf(newKeyEntry('k1'));
    const binary = { metadata: { encoding: Buffer.from('binary/null') } };
    expect(await codec.decode([plain, binary])).toEqual([plain, binary]);
  });

  it('carries payloads through the JSON form of the codec server protocol', async () => {
    const json = payloadToJson(plain);
    expect(json.metadata?.encoding).toBe(Buffer.from('json/plain').toString('base64'));
    expect(defaultPayloadConverter.fromPayload(payloadFromJson(json))).toMatchObject({ firstName: 'Ada' });
  });
});

describe('ROSTER_PAYLOAD_KEYS', () => {
  it('takes several keys, the first one current', () => {
    const ring = parseKeyring(`${newKeyEntry('b')}, ${newKeyEntry('a')}`);
    expect(ring.currentId).toBe('b');
    expect([...ring.keys.keys()]).toEqual(['b', 'a']);
  });

  it.each([
    ['', /no key/],
    ['k1', /<id>:<base64 key>/],
    ['k1:c2hvcnQ=', /not 32 bytes/],
    [`${newKeyEntry('k1')},${newKeyEntry('k1')}`, /twice/],
    [`bad id:${Buffer.alloc(32).toString('base64')}`, /<id>/],
  ])('refuses %j naming the problem, at start', (value, message) => {
    expect(() => parseKeyring(value)).toThrow(message);
    if (value) expect(() => loadEnv({ ROSTER_PAYLOAD_KEYS: value })).toThrow(/ROSTER_PAYLOAD_KEYS/);
  });

  it('defaults the codec endpoint to off and its CORS origins to the local Web UI', () => {
    const env = loadEnv({});
    expect(env.ROSTER_CODEC_TOKEN).toBeUndefined();
    expect(env.ROSTER_CODEC_CORS_ORIGINS).toEqual(['http://localhost:8233', 'http://127.0.0.1:8233']);
    expect(() => loadEnv({ ROSTER_CODEC_TOKEN: 'short' })).toThrow(/ROSTER_CODEC_TOKEN/);
  });
});
