/**
 * The uploaded CSV as a stream of text: the request body itself (text/csv) or the multipart field
 * `file`, counted against the size limit and decoded as strict UTF-8 on the way, never buffered whole.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import chardet from 'chardet';
import { MAX_IMPORT_BYTES } from '../../domain/csv-import';
import { ProblemError } from '../problem';

/** Media types a browser or a script sends a CSV file as. */
const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel']);

const MiB = 1024 * 1024;

export const tooLarge = (maxBytes: number) =>
  new ProblemError(
    413,
    'file_too_large',
    `The file is larger than ${Math.round(maxBytes / MiB)} MiB; split it into smaller files.`,
  );

export const emptyFile = () =>
  new ProblemError(422, 'empty_file', 'The file is empty: it has no header and no rows.');

/** The file's bytes, as they arrive. */
export async function openUpload(
  req: Request,
  maxBytes = MAX_IMPORT_BYTES,
): Promise<AsyncIterable<Uint8Array>> {
  const contentType = req.headers.get('content-type') ?? '';
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  if (CSV_TYPES.has(mediaType)) {
    if (!req.body) throw emptyFile();
    return req.body;
  }
  if (mediaType === 'multipart/form-data') {
    if (!req.body) throw missingFilePart();
    return multipartFile(req.body, contentType, maxBytes);
  }
  throw new ProblemError(
    415,
    'unsupported_media_type',
    'Send the CSV file as the body with Content-Type: text/csv, or as the field `file` of multipart/form-data.',
  );
}

const missingFilePart = () =>
  new ProblemError(422, 'validation_failed', 'The multipart body has no field `file`.', [
    { path: 'file', code: 'missing_field', message: 'Attach the CSV file as the field `file`.' },
  ]);

/** Resolves with the stream of the multipart field `file` as soon as its part begins. */
function multipartFile(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  maxBytes: number,
): Promise<AsyncIterable<Uint8Array>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // One byte over the limit is enough to know the file is too large.
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { files: 1, fileSize: maxBytes + 1 },
      });
    } catch (error) {
      reject(
        new ProblemError(
          400,
          'malformed_request',
          `The multipart body cannot be read: ${(error as Error).message}`,
        ),
      );
      return;
    }
    let found = false;
    parser.on('file', (name, stream) => {
      if (name !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      resolve(stream);
    });
    parser.on('error', (error) => {
      if (!found)
        reject(
          new ProblemError(400, 'malformed_request', `The multipart body cannot be read: ${String(error)}`),
        );
    });
    parser.on('close', () => {
      if (!found) reject(missingFilePart());
    });
    Readable.fromWeb(body as NodeReadableStream<Uint8Array>).pipe(parser);
  });
}

/** Names the likely encoding of bytes that are not UTF-8 (Windows-1252, ISO-8859-1, Shift_JIS, …). */
export function likelyEncoding(sample: Uint8Array): string | null {
  const name = chardet.detect(sample);
  return name && !/^(utf-8|ascii)$/i.test(name) ? name : null;
}

function notUtf8(sample: Uint8Array, offset: number): ProblemError {
  const encoding = likelyEncoding(sample);
  const looks = encoding
    ? `it looks like ${encoding}`
    : 'it looks like an 8-bit encoding such as windows-1252';
  return new ProblemError(
    422,
    'not_utf8',
    `The file is not valid UTF-8 (${looks}; first bad byte near byte ${offset}). Save it as "CSV UTF-8" and upload it again.`,
    [{ path: 'file', code: 'not_utf8', message: encoding ?? 'unknown' }],
  );
}

/**
 * Strict UTF-8 text of a byte stream, chunk by chunk. A UTF-8 byte-order mark is dropped; a byte
 * sequence that is not UTF-8 stops it with 422 not_utf8 naming the likely encoding; more than
 * `maxBytes` stops it with 413.
 */
export async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>, maxBytes = MAX_IMPORT_BYTES) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let last: Uint8Array = new Uint8Array();
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw notUtf8(chunk, bytes - chunk.byteLength);
    }
    last = chunk;
    if (text !== '') yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw notUtf8(last, bytes - last.byteLength);
  }
  if (rest !== '') yield rest;
}
