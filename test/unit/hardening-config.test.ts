import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env';
import { warnIfWeakApiKey } from '../../config/services';

describe('TRUSTED_PROXIES', () => {
  it('trusts no proxy by default and reads a list of addresses and CIDRs', () => {
    expect(loadEnv({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadEnv({ TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
    ]);
  });

  it('fails fast naming a bad entry', () => {
    expect(() => loadEnv({ TRUSTED_PROXIES: '10.0.0.0/8,lb.internal' })).toThrow(
      /TRUSTED_PROXIES.*lb\.internal/,
    );
  });
});

describe('the bootstrap ROSTER_API_KEY', () => {
  const logged = () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { lines, logger: pino({ level: 'info' }, sink) };
  };

  it('is warned about loudly when shorter than 32 characters', () => {
    const { lines, logger } = logged();
    warnIfWeakApiKey('dev-key', logger);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 40, length: 7, minimum: 32 });
    expect(lines[0]).not.toContain('dev-key');
  });

  it('passes silently when long enough', () => {
    const { lines, logger } = logged();
    warnIfWeakApiKey('k'.repeat(32), logger);
    expect(lines).toEqual([]);
  });
});
