import type { Verdict } from '../protocol/verdict';

/**
 * Padding before encryption, so that a ciphertext's size says which bucket its plaintext is in
 * and nothing finer: a rating, a one-word note and a 200-character note all travel as 256 bytes.
 *
 * A padded plaintext is `length (4 bytes, big-endian) | payload | zero bytes`, exactly as long
 * as the smallest bucket that holds it. Buckets are the powers of two from 256 bytes to
 * `MAX_BUCKET`. The reader is strict: any other shape is refused, so there is one padded form
 * per payload, and it never copies or allocates.
 */
export const MIN_BUCKET = 256;
/** 512 KiB: an envelope of the largest bucket still fits the default 1 MiB frame cap. */
export const MAX_BUCKET = 512 * 1024;
const LENGTH_BYTES = 4;

/** The largest payload that can be padded. */
export const MAX_PAYLOAD = MAX_BUCKET - LENGTH_BYTES;

export const isBucket = (size: number): boolean =>
  Number.isInteger(size) && size >= MIN_BUCKET && size <= MAX_BUCKET && (size & (size - 1)) === 0;

/** The padded size of a payload of this length, or null when it is too large for any bucket. */
export function bucketFor(payloadLength: number): number | null {
  if (!Number.isInteger(payloadLength) || payloadLength < 0 || payloadLength > MAX_PAYLOAD) return null;
  let bucket = MIN_BUCKET;
  while (bucket < payloadLength + LENGTH_BYTES) bucket *= 2;
  return bucket;
}

export function pad(payload: Uint8Array): Verdict<{ padded: Uint8Array }> {
  const bucket = bucketFor(payload.length);
  if (bucket === null) return { ok: false, reason: 'payload too large' };
  const padded = new Uint8Array(bucket);
  new DataView(padded.buffer).setUint32(0, payload.length);
  padded.set(payload, LENGTH_BYTES);
  return { ok: true, padded };
}

/** The payload inside a padded plaintext (a view into it, not a copy). */
export function unpad(padded: Uint8Array): Verdict<{ payload: Uint8Array }> {
  if (!isBucket(padded.length)) return { ok: false, reason: 'padded size is not a bucket' };
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (length > padded.length - LENGTH_BYTES) return { ok: false, reason: 'length exceeds the bucket' };
  if (bucketFor(length) !== padded.length) return { ok: false, reason: 'payload is not in its smallest bucket' };
  for (let i = LENGTH_BYTES + length; i < padded.length; i++) {
    if (padded[i] !== 0) return { ok: false, reason: 'padding is not zero' };
  }
  return { ok: true, payload: padded.subarray(LENGTH_BYTES, LENGTH_BYTES + length) };
}
