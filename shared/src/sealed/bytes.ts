import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { Verdict } from '../protocol/verdict';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((char, value) => [char, value]));

/** base64url without padding (RFC 4648 §5), as link fragments and tokens carry it. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/**
 * Strict base64url of exactly `length` bytes: no padding, no other characters, and the unused
 * low bits of the last character zero, so every value has one spelling.
 */
export function fromBase64Url(text: unknown, length: number): Verdict<{ bytes: Uint8Array }> {
  if (typeof text !== 'string' || text.length !== Math.ceil((length * 8) / 6)) return { ok: false, reason: 'wrong length' };
  const bytes = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const char of text) {
    const value = VALUE.get(char);
    if (value === undefined) return { ok: false, reason: 'not base64url' };
    acc = (acc << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return { ok: false, reason: 'not canonical base64url' };
  return { ok: true, bytes };
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export const utf8Bytes = (text: string): Uint8Array => utf8ToBytes(text);

/**
 * An unambiguous encoding of a label and its parameters, for HKDF `info` and MAC inputs:
 * each part is a 2-byte big-endian length and its bytes (strings as UTF-8, numbers as
 * decimal), so ("ab", "c") and ("a", "bc") never collide.
 */
export function encodeParts(...parts: (string | number | Uint8Array)[]): Uint8Array {
  const encoded = parts.map((part) => (part instanceof Uint8Array ? part : utf8ToBytes(String(part))));
  const out = new Uint8Array(encoded.reduce((sum, part) => sum + 2 + part.length, 0));
  let at = 0;
  for (const part of encoded) {
    if (part.length > 0xffff) throw new RangeError('a part of an encoding is longer than 65535 bytes');
    out[at] = part.length >> 8;
    out[at + 1] = part.length & 0xff;
    out.set(part, at + 2);
    at += 2 + part.length;
  }
  return out;
}

export const isAllZero = (bytes: Uint8Array): boolean => bytes.every((byte) => byte === 0);

/** Whether two byte strings are the same bytes (not constant-time: for public data only). */
export const sameBytes = (x: Uint8Array, y: Uint8Array): boolean => x.length === y.length && x.every((byte, i) => byte === y[i]);

/** The part of `TextDecoder` (browsers and Node) used here; typed because `shared` compiles without the DOM or Node libraries. */
type FatalUtf8Decoder = new (label: 'utf-8', options: { fatal: true }) => { decode(bytes: Uint8Array): string };
const strictUtf8 = new (Reflect.get(globalThis, 'TextDecoder') as FatalUtf8Decoder)('utf-8', { fatal: true });

/** Strict UTF-8 of untrusted bytes: the text, or null for anything that is not UTF-8. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
