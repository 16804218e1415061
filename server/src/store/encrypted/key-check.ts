import { ConfigError } from '../../config';
import type { EncryptionStore } from '../encryption-store';
import { CipherError, DataCipher, SEALED_TEXT_PREFIX, sealContext } from './cipher';

/** A wrong or missing DATA_KEY: start-up stops with this one line, before any data is read. */
export class DataKeyError extends ConfigError {}

const KEY_CHECK_PLAINTEXT = Buffer.from('parley data key check v1', 'utf8');

export const dataKeyMessages = {
  mismatch: 'DATA_KEY does not match the key this data was encrypted with',
  mismatchEither: 'DATA_KEY does not match the key this data was encrypted with (nor does DATA_KEY_PREVIOUS)',
  missing: 'DATA_KEY is not set, but this data is encrypted: set DATA_KEY to the key it was encrypted with',
  plaintext:
    'DATA_KEY is set, but the stored data is not encrypted yet: stop Parley and run `npm run rotate-key` with DATA_KEY set to encrypt it first',
} as const;

export const sealKeyCheck = (cipher: DataCipher): Uint8Array => cipher.seal(KEY_CHECK_PLAINTEXT, sealContext.keyCheck);

/** True if the value was sealed by the cipher's current or previous key. */
export function opensKeyCheck(cipher: DataCipher, value: Uint8Array): boolean {
  try {
    return Buffer.from(cipher.open(value, sealContext.keyCheck)).equals(KEY_CHECK_PLAINTEXT);
  } catch (error) {
    if (error instanceof CipherError) return false;
    throw error;
  }
}

export interface DataKeys {
  current: Buffer | null;
  previous: Buffer | null;
}

/**
 * Run at start-up, before any other read: checks the configured key against the stored key
 * check and answers the cipher to wrap the stores with (null: run unencrypted). Writes
 * nothing except the key check of a fresh, empty database. Throws `DataKeyError` when:
 *
 * - the key (nor the previous key, during a rotation) opens the stored key check;
 * - no key is configured but the data is encrypted;
 * - a key is configured but the database already holds unencrypted content — Parley refuses
 *   rather than mixing plaintext and ciphertext rows; `npm run rotate-key` encrypts it. That
 *   includes encrypted data with some plain texts left: workshop texts written by a version
 *   that did not encrypt them yet.
 */
export async function verifyDataKey(store: EncryptionStore, keys: DataKeys, now: () => number): Promise<DataCipher | null> {
  const stored = await store.readKeyCheck();
  if (!keys.current) {
    if (stored) throw new DataKeyError(dataKeyMessages.missing);
    return null;
  }
  const cipher = new DataCipher(keys.current, keys.previous);
  let check = stored;
  if (!check) {
    if (await store.hasContent()) throw new DataKeyError(dataKeyMessages.plaintext);
    // Another node starting at the same moment may win the insert; then its key is checked.
    await store.insertKeyCheck(sealKeyCheck(cipher), now());
    check = await store.readKeyCheck();
  }
  if (!check || !opensKeyCheck(cipher, check)) {
    throw new DataKeyError(keys.previous ? dataKeyMessages.mismatchEither : dataKeyMessages.mismatch);
  }
  if (await store.hasPlainText(SEALED_TEXT_PREFIX)) throw new DataKeyError(dataKeyMessages.plaintext);
  return cipher;
}
