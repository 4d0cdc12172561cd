import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Env } from './env';

/**
 * How to reach Temporal: the address, and for Temporal Cloud or any TLS cluster the client
 * certificate (mTLS) or an API key. Both the client (API) and the worker's native connection take it.
 */
export interface TemporalConnection {
  address: string;
  /** true: TLS with the system's roots; an object: mTLS and/or a private CA. Absent: plain (dev server). */
  tls?: TLSConfig | true;
  /** Sent as a bearer token (Temporal Cloud API keys); implies TLS. */
  apiKey?: string;
}

type TlsEnv = Pick<
  Env,
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'TEMPORAL_TLS_CA'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

const read = (name: string, path: string) => {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
};

/** The connection settings from the environment; fails fast on a missing or unreadable file. */
export function temporalConnection(env: TlsEnv, address: string): TemporalConnection {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca } = env;
  if (Boolean(cert) !== Boolean(key))
    throw new Error(
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (the client certificate and its key)',
    );
  const custom: TLSConfig = {
    ...(cert && key
      ? { clientCertPair: { crt: read('TEMPORAL_TLS_CERT', cert), key: read('TEMPORAL_TLS_KEY', key) } }
      : {}),
    ...(ca ? { serverRootCACertificate: read('TEMPORAL_TLS_CA', ca) } : {}),
    ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
  const customised = Object.keys(custom).length > 0;
  if (env.TEMPORAL_TLS === false && (customised || env.TEMPORAL_API_KEY))
    throw new Error('TEMPORAL_TLS=false contradicts the TLS certificate, CA or API key settings');
  const tls = customised ? custom : env.TEMPORAL_TLS || env.TEMPORAL_API_KEY ? true : undefined;
  return {
    address,
    ...(tls ? { tls } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}
