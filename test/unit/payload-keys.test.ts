import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env';
import { newKeyEntry } from '../../config/payload-codec';
import { createPayloadCodec } from '../../config/services';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-keys-'));
  dirs.push(dir);
  return path.join(dir, 'data');
};
const payload = defaultPayloadConverter.toPayload({ email: 'ada@example.org' });

describe('the payload key of a deployment', () => {
  it('is generated once for the embedded dev server, kept 0600 in ROSTER_DATA_DIR, and reused on the next start', async () => {
    const env = loadEnv({ ROSTER_DATA_DIR: dataDir() });
    const first = createPayloadCodec(env, logger, { embedded: true });
    const file = path.join(env.ROSTER_DATA_DIR, 'payload-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = readFileSync(file, 'utf8');
    const encrypted = await first.encode([payload]);
    const second = createPayloadCodec(env, logger, { embedded: true });
    expect(readFileSync(file, 'utf8')).toBe(before);
    const [decoded] = await second.decode(encrypted);
    expect(defaultPayloadConverter.fromPayload(decoded as never)).toEqual({ email: 'ada@example.org' });
  });

  it('tightens a key file that others could read', () => {
    const env = loadEnv({ ROSTER_DATA_DIR: dataDir() });
    createPayloadCodec(env, logger, { embedded: true });
    const file = path.join(env.ROSTER_DATA_DIR, 'payload-keys');
    chmodSync(file, 0o644);
    createPayloadCodec(env, logger, { embedded: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('comes from ROSTER_PAYLOAD_KEYS when set, and no file is written', async () => {
    const dir = dataDir();
    const entry = newKeyEntry('ops');
    const env = loadEnv({
      ROSTER_DATA_DIR: dir,
      ROSTER_PAYLOAD_KEYS: entry,
      TEMPORAL_ADDRESS: 'temporal:7233',
    });
    const codec = createPayloadCodec(env, logger, { embedded: false });
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('ops');
    expect(() => statSync(path.join(dir, 'payload-keys'))).toThrow();
  });

  it('is required against a shared Temporal: no key, no start, with a message that says what to set', () => {
    const dir = dataDir();
    const env = loadEnv({ ROSTER_DATA_DIR: dir, TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(() => createPayloadCodec(env, logger, { embedded: false })).toThrow(
      /ROSTER_PAYLOAD_KEYS is required with TEMPORAL_ADDRESS/,
    );
  });
});
