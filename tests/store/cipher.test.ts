import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CipherError, DataCipher, SEALED_TEXT_PREFIX, SEALED_VERSION, sealContext } from '@parley/server/store/encrypted/cipher';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CipherError) return error.reason;
    throw error;
  }
  return 'opened';
};

describe('DataCipher (AES-256-GCM at rest)', () => {
  const cipher = new DataCipher(keyA);
  const context = sealContext.doc('room-1/shared');

  it('CI1 round-trips, and the blob is version | key id | 12-byte nonce | ciphertext | 16-byte tag', () => {
    const plain = bytes('CANARY secret answer');
    const sealed = cipher.seal(plain, context);
    expect(sealed[0]).toBe(SEALED_VERSION);
    expect(sealed.byteLength).toBe(1 + 4 + 12 + plain.byteLength + 16);
    expect(Buffer.from(sealed).indexOf('CANARY')).toBe(-1);
    expect(Buffer.from(cipher.open(sealed, context)).toString()).toBe('CANARY secret answer');
  });

  it('CI2 uses a fresh nonce every time: the same plaintext never seals the same way', () => {
    const a = Buffer.from(cipher.seal(bytes('same'), context));
    const b = Buffer.from(cipher.seal(bytes('same'), context));
    expect(a.subarray(0, 5)).toEqual(b.subarray(0, 5)); // version and key id
    expect(a.subarray(5, 17)).not.toEqual(b.subarray(5, 17));
    expect(a).not.toEqual(b);
  });

  it('CI3 seals an empty plaintext', () => {
    expect(cipher.open(cipher.seal(new Uint8Array(0), context), context)).toEqual(new Uint8Array(0));
  });

  it('CI4 a blob of one doc does not open as another (the doc name is authenticated)', () => {
    const sealed = cipher.seal(bytes('x'), sealContext.doc('room-1/private/p1'));
    expect(reasonOf(() => cipher.open(sealed, sealContext.doc('room-1/private/p2')))).toBe('not_authentic');
    expect(reasonOf(() => cipher.open(sealed, sealContext.displayName('room-1/private/p1')))).toBe('not_authentic');
  });

  it('CI5 any flipped bit is detected', () => {
    const sealed = cipher.seal(bytes('do not touch'), context);
    for (const index of [5, 10, 17, 20, sealed.byteLength - 1]) {
      const tampered = new Uint8Array(sealed);
      tampered[index]! ^= 1;
      expect(reasonOf(() => cipher.open(tampered, context)), `byte ${index}`).toBe('not_authentic');
    }
  });

  it('CI6 refuses what is not a sealed blob: plaintext, truncation, unknown version', () => {
    expect(reasonOf(() => cipher.open(bytes('plain Yjs update'), context))).not.toBe('opened');
    expect(reasonOf(() => cipher.open(new Uint8Array([0, 0]), context))).toBe('malformed');
    const sealed = cipher.seal(bytes('x'), context);
    expect(reasonOf(() => cipher.open(sealed.subarray(0, 20), context))).toBe('malformed');
    const future = new Uint8Array(sealed);
    future[0] = 2;
    expect(reasonOf(() => cipher.open(future, context))).toBe('malformed');
  });

  it('CI7 another key cannot open it, and says so by key id without trying', () => {
    const sealed = cipher.seal(bytes('x'), context);
    expect(reasonOf(() => new DataCipher(keyB).open(sealed, context))).toBe('unknown_key');
  });

  it('CI8 during a rotation opens blobs of both keys and seals with the new one only', () => {
    const old = new DataCipher(keyA);
    const rotating = new DataCipher(keyB, keyA);
    const oldBlob = old.seal(bytes('old'), context);
    expect(Buffer.from(rotating.open(oldBlob, context)).toString()).toBe('old');
    expect(rotating.isCurrent(oldBlob)).toBe(false);
    const newBlob = rotating.seal(bytes('new'), context);
    expect(rotating.isCurrent(newBlob)).toBe(true);
    expect(new DataCipher(keyB).open(newBlob, context)).toEqual(bytes('new'));
    expect(reasonOf(() => old.open(newBlob, context))).toBe('unknown_key');
  });

  it('CI9 texts are a recognisable prefix + base64, bound to their row', () => {
    const stored = cipher.sealText('CANARY Alex 🙂', sealContext.displayName('p1'));
    expect(stored.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    expect(stored).toMatch(/^enc:[A-Za-z0-9+/]+=*$/);
    expect(stored).not.toContain('CANARY');
    expect(cipher.openText(stored, sealContext.displayName('p1'))).toBe('CANARY Alex 🙂');
    expect(reasonOf(() => cipher.openText(stored, sealContext.displayName('p2')))).toBe('not_authentic');
    expect(reasonOf(() => cipher.openText('Alex', sealContext.displayName('p1')))).toBe('malformed');
    expect(cipher.isCurrentText(stored)).toBe(true);
    expect(cipher.isCurrentText('Alex')).toBe(false);
    expect(new DataCipher(keyB, keyA).isCurrentText(stored)).toBe(false);
  });

  it('CI10 refuses a key that is not 32 bytes', () => {
    expect(() => new DataCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
