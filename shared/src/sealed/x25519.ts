import { hexToBytes } from '@noble/hashes/utils.js';
import type { Verdict } from '../protocol/verdict';
import { concatBytes, fromBase64Url, isAllZero } from './bytes';
import { subtle, type CryptoKeyLike } from './webcrypto';

/**
 * X25519 in WebCrypto (Node ≥ 20, Chromium: `e2e/sealed-webcrypto`). A device's key
 * pair is derived from a seed (itself derived from the device's link secret), so every device
 * holding the same resume link has the same key pair and nothing private is stored anywhere.
 */
export const X25519_KEY_BYTES = 32;

/** PKCS #8 wrapping of a raw X25519 private key (RFC 8410): the only import WebCrypto offers for one. */
const PKCS8_PREFIX = hexToBytes('302e020100300506032b656e04220420');

export interface X25519KeyPair {
  /** the 32-byte public key, sent to the partner through the server */
  publicKey: Uint8Array;
  privateKey: CryptoKeyLike;
}

export async function x25519FromSeed(seed: Uint8Array): Promise<X25519KeyPair> {
  if (seed.length !== X25519_KEY_BYTES) throw new RangeError('an X25519 seed is 32 bytes');
  const pkcs8 = concatBytes(PKCS8_PREFIX, seed);
  // Extractable once, only to read the public key out of its JWK (WebCrypto has no other way
  // to get the public half of an imported private key); the key kept is not extractable.
  const extractable = await subtle().importKey('pkcs8', pkcs8, { name: 'X25519' }, true, ['deriveBits']);
  const jwk = await subtle().exportKey('jwk', extractable);
  const publicKey = fromBase64Url(jwk.x, X25519_KEY_BYTES);
  if (!publicKey.ok) throw new Error('WebCrypto returned no X25519 public key');
  const privateKey = await subtle().importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  return { publicKey: publicKey.bytes, privateKey };
}

export type AgreementProblem = 'not a public key' | 'weak public key';

/**
 * The shared secret with a partner's public key. A low-order public key (one that forces the
 * all-zero secret whatever our private key is) is refused, as RFC 7748 §6.1 allows and WebCrypto
 * requires; checked here too, in case an implementation returns zeros instead.
 */
export async function x25519Agree(own: CryptoKeyLike, partnerPublic: unknown): Promise<Verdict<{ secret: Uint8Array }, AgreementProblem>> {
  if (!(partnerPublic instanceof Uint8Array) || partnerPublic.length !== X25519_KEY_BYTES) return { ok: false, reason: 'not a public key' };
  let peer: CryptoKeyLike;
  try {
    peer = await subtle().importKey('raw', partnerPublic, { name: 'X25519' }, true, []);
  } catch {
    return { ok: false, reason: 'not a public key' };
  }
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: peer }, own, 256));
  } catch {
    return { ok: false, reason: 'weak public key' };
  }
  return isAllZero(secret) ? { ok: false, reason: 'weak public key' } : { ok: true, secret };
}
