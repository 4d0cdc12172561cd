import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env';
import { temporalConnection } from '../../config/temporal-connection';

const dir = mkdtempSync(join(tmpdir(), 'roster-tls-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const cert = file('client.pem', 'CERT');
const key = file('client.key', 'KEY');
const ca = file('ca.pem', 'CA');
const env = (vars: Record<string, string>) =>
  loadEnv({
    TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    ROSTER_PAYLOAD_KEYS: `k1:${'A'.repeat(43)}=`,
    ...vars,
  });

describe('Temporal connection settings (Temporal Cloud, TLS clusters)', () => {
  it('connects in plain text when nothing asks for TLS (the dev server)', () => {
    expect(temporalConnection(env({}), 'localhost:7233')).toEqual({ address: 'localhost:7233' });
  });

  it('uses mTLS with the client certificate and key files, a private CA and a server name', () => {
    const settings = temporalConnection(
      env({
        TEMPORAL_TLS_CERT: cert,
        TEMPORAL_TLS_KEY: key,
        TEMPORAL_TLS_CA: ca,
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }),
      'temporal:7233',
    );
    expect(settings.tls).toEqual({
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      serverRootCACertificate: Buffer.from('CA'),
      serverNameOverride: 'temporal.internal',
    });
    expect(settings.apiKey).toBeUndefined();
  });

  it('sends an API key over TLS (Temporal Cloud), and TLS alone with TEMPORAL_TLS=true', () => {
    expect(temporalConnection(env({ TEMPORAL_API_KEY: 'secret-key' }), 'a:7233')).toEqual({
      address: 'a:7233',
      tls: true,
      apiKey: 'secret-key',
    });
    expect(temporalConnection(env({ TEMPORAL_TLS: 'true' }), 'a:7233')).toEqual({
      address: 'a:7233',
      tls: true,
    });
  });

  it('fails fast with the reason: a certificate without its key, an unreadable file, TLS off with TLS settings', () => {
    expect(() => temporalConnection(env({ TEMPORAL_TLS_CERT: cert }), 'a:1')).toThrow(/go together/);
    expect(() =>
      temporalConnection(env({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: join(dir, 'missing.key') }), 'a:1'),
    ).toThrow(/TEMPORAL_TLS_KEY: cannot read .*missing\.key \(ENOENT\)/);
    expect(() => temporalConnection(env({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }), 'a:1')).toThrow(
      /contradicts/,
    );
  });
});
