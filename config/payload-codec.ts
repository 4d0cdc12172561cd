/**
 * Encrypts every payload Roster sends to Temporal (AES-256-GCM), so names, email addresses and
 * anything else in workflow inputs and results are ciphertext in Temporal's history. The layout
 * follows Temporal's encryption sample: the whole serialized payload is encrypted, and the
 * envelope's metadata names the encoding and the key id, so keys can rotate (several keys
 * decode, the first one encodes). Payloads without that encoding pass through as they are:
 * histories recorded before encryption still replay.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
// A CommonJS module: Node's ESM loader gives it as one default export.
import proto from '@temporalio/proto';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[\w.-]{1,64}$/;

export interface Keyring {
  /** The key new payloads are encrypted with. */
  currentId: string;
  /** Imported once: a cipher made from a KeyObject costs a third of one made from raw bytes. */
  keys: Map<string, KeyObject>;
}

/**
 * Parses `id:base64key[,id:base64key...]` (ROSTER_PAYLOAD_KEYS): 32-byte keys, the first one
 * current. Throws a message that names the problem, never a key.
 */
export function parseKeyring(text: string): Keyring {
  const keys = new Map<string, KeyObject>();
  let currentId: string | undefined;
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id))
      throw new Error('each key is "<id>:<base64 key>", the id of letters, digits, . _ -');
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) throw new Error(`key "${id}" is not 32 bytes in base64`);
    if (keys.has(id)) throw new Error(`key id "${id}" appears twice`);
    keys.set(id, createSecretKey(key));
    currentId ??= id;
  }
  if (!currentId) throw new Error('no key given');
  return { currentId, keys };
}

/** A fresh keyring entry, `<id>:<base64 key>`, e.g. for a generated key file. */
export function newKeyEntry(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * Short secrets kept in the database (webhook signing secrets), sealed with the payload keys:
 * `<key id>:<base64 of iv | ciphertext | tag>`, AES-256-GCM, bound to `context` (the row's id) as
 * associated data so a sealed value cannot be moved to another row.
 */
export interface SecretBox {
  seal(plain: string, context: string): string;
  /** Throws when no key of the ring opens it (a removed key) or it was tampered with. */
  open(sealed: string, context: string): string;
}

export function secretBox(keyring: Keyring): SecretBox {
  return {
    seal(plain, context) {
      const key = keyring.keys.get(keyring.currentId) as KeyObject;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${keyring.currentId}:${data.toString('base64')}`;
    },
    open(sealed, context) {
      const colon = sealed.indexOf(':');
      const keyId = sealed.slice(0, Math.max(colon, 0));
      const key = keyring.keys.get(keyId);
      if (!key) throw new Error(`No payload key with id "${keyId}" to open a stored secret`);
      const data = Buffer.from(sealed.slice(colon + 1), 'base64');
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('A stored secret is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new Error(`A stored secret failed authentication (key "${keyId}")`);
      }
    },
  };
}

export class EncryptionCodec implements PayloadCodec {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** Seals secrets kept in the database with the same keys (see SecretBox). */
  secretBox(): SecretBox {
    return secretBox(this.#keyring);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { currentId, keys } = this.#keyring;
    const key = keys.get(currentId) as KeyObject;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = PayloadMessage.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
          [METADATA_KEY_ID]: Buffer.from(currentId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[METADATA_KEY_ID];
      const keyId = idBytes ? Buffer.from(idBytes).toString() : '';
      const key = this.#keyring.keys.get(keyId);
      if (!key) throw new ValueError(`No payload key with id "${keyId}"`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('Encrypted payload is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([
          decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new ValueError(`Encrypted payload failed authentication (key "${keyId}")`);
      }
      return PayloadMessage.decode(plain) as Payload;
    });
  }
}

/** A payload in the JSON form of Temporal's codec server protocol: base64 metadata values and data. */
export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function payloadToJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}
