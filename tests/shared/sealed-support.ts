import { createHash } from 'node:crypto';
import type { AeadKey } from '@parley/shared/sealed/envelope';
import type { Random } from '@parley/shared/sealed/webcrypto';

/** Deterministic "random" bytes for known-answer tests: SHA-256 of the seed and a counter. */
export function seededRandom(seed: string): Random {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 32) {
      out.set(createHash('sha256').update(`${seed}/${counter++}`).digest().subarray(0, length - at), at);
    }
    return out;
  };
}

/** An envelope key from known bytes (the real ones are derived and never leave WebCrypto). */
export async function aeadKeyFrom(bytes: Uint8Array): Promise<AeadKey> {
  return { aead: await crypto.subtle.importKey('raw', new Uint8Array(bytes), 'AES-GCM', false, ['encrypt', 'decrypt']) };
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
