/**
 * The part of WebCrypto (`globalThis.crypto`, in browsers and in Node ≥ 20) that sealed rooms
 * use, typed here because `shared` compiles without the DOM or Node libraries. Only this module
 * touches `globalThis.crypto`; every other sealed module goes through `subtle` and `Random`.
 */

/** An opaque WebCrypto key. Keys made here are non-extractable unless a comment says why. */
export interface CryptoKeyLike {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: unknown;
  readonly usages: readonly string[];
}

type Algorithm = string | { readonly name: string; readonly [field: string]: unknown };

export interface SubtleLike {
  importKey(format: 'raw' | 'pkcs8', keyData: Uint8Array, algorithm: Algorithm, extractable: boolean, usages: string[]): Promise<CryptoKeyLike>;
  exportKey(format: 'jwk', key: CryptoKeyLike): Promise<{ x?: string }>;
  exportKey(format: 'raw', key: CryptoKeyLike): Promise<ArrayBuffer>;
  deriveBits(algorithm: Algorithm, baseKey: CryptoKeyLike, length: number): Promise<ArrayBuffer>;
  deriveKey(algorithm: Algorithm, baseKey: CryptoKeyLike, derivedKeyType: Algorithm, extractable: boolean, usages: string[]): Promise<CryptoKeyLike>;
  encrypt(algorithm: Algorithm, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: Algorithm, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  sign(algorithm: Algorithm, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: Algorithm, key: CryptoKeyLike, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

interface CryptoLike {
  readonly subtle: SubtleLike;
  getRandomValues(array: Uint8Array): Uint8Array;
}

function webCrypto(): CryptoLike {
  const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
  // Browsers hide `crypto.subtle` outside secure contexts (plain http on a non-local host).
  if (!crypto?.subtle) throw new Error('WebCrypto is not available (sealed rooms need https or localhost)');
  return crypto;
}

export const subtle = (): SubtleLike => webCrypto().subtle;

/** A source of random bytes; tests pass a seeded one, everything else uses the default. */
export type Random = (length: number) => Uint8Array;

/** getRandomValues fills at most 65536 bytes per call; nothing here asks for more than 64. */
export const cryptoRandom: Random = (length) => webCrypto().getRandomValues(new Uint8Array(length));
