import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for data at rest. A sealed blob is
 *
 *   version (1 byte) | key id (4 bytes) | nonce (12 random bytes) | ciphertext | tag (16 bytes)
 *
 * and `context` (for a doc, its name) is authenticated but not stored, so a blob copied to
 * another doc or another column does not open. The key id says which key sealed a blob, so a
 * server holding the current and the previous key (rotation) opens both without trying.
 */
export const SEALED_VERSION = 1;
const KEY_ID_BYTES = 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;
/** Stored texts (titles, names, messages) are `enc:` + base64 of a sealed blob. */
export const SEALED_TEXT_PREFIX = 'enc:';

export class CipherError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'not_authentic',
    message: string,
  ) {
    super(message);
  }
}

interface DataKey {
  id: Buffer;
  aes: Buffer;
}

/**
 * DATA_KEY is used only through HKDF subkeys: one for AES, one for the public key id, so
 * the id reveals nothing about the AES key.
 */
function deriveKey(dataKey: Buffer): DataKey {
  if (dataKey.length !== 32) throw new Error('a data key is 32 bytes');
  const derive = (info: string, length: number): Buffer =>
    Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, length));
  return { id: derive('parley key id v1', KEY_ID_BYTES), aes: derive('parley aes-256-gcm v1', 32) };
}

export class DataCipher {
  private readonly current: DataKey;
  private readonly previous: DataKey | null;

  constructor(currentKey: Buffer, previousKey: Buffer | null = null) {
    this.current = deriveKey(currentKey);
    this.previous = previousKey ? deriveKey(previousKey) : null;
  }

  seal(plaintext: Uint8Array, context: string): Uint8Array {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.aes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return new Uint8Array(
      Buffer.concat([Buffer.of(SEALED_VERSION), this.current.id, nonce, body, cipher.getAuthTag()]),
    );
  }

  /** Throws a `CipherError` unless the blob was sealed for `context` by one of our keys. */
  open(blob: Uint8Array, context: string): Uint8Array {
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[0] !== SEALED_VERSION) {
      throw new CipherError('malformed', 'stored data is not an encrypted blob of a known version');
    }
    const key = this.keyFor(bytes.subarray(1, 1 + KEY_ID_BYTES));
    if (!key) throw new CipherError('unknown_key', 'stored data was encrypted with a key this server does not hold');
    const nonce = bytes.subarray(1 + KEY_ID_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.aes, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      const body = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
      return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
    } catch {
      throw new CipherError('not_authentic', 'stored data does not authenticate (corrupt, or moved from elsewhere)');
    }
  }

  /** True if the blob is sealed with the current key (rotation skips it). */
  isCurrent(blob: Uint8Array): boolean {
    return (
      blob.byteLength >= HEADER_BYTES + TAG_BYTES &&
      blob[0] === SEALED_VERSION &&
      Buffer.from(blob.subarray(1, 1 + KEY_ID_BYTES)).equals(this.current.id)
    );
  }

  sealText(text: string, context: string): string {
    return SEALED_TEXT_PREFIX + Buffer.from(this.seal(Buffer.from(text, 'utf8'), context)).toString('base64');
  }

  openText(stored: string, context: string): string {
    if (!stored.startsWith(SEALED_TEXT_PREFIX)) {
      throw new CipherError('malformed', 'stored text is not encrypted');
    }
    const blob = Buffer.from(stored.slice(SEALED_TEXT_PREFIX.length), 'base64');
    return Buffer.from(this.open(blob, context)).toString('utf8');
  }

  isCurrentText(stored: string): boolean {
    return (
      stored.startsWith(SEALED_TEXT_PREFIX) &&
      this.isCurrent(Buffer.from(stored.slice(SEALED_TEXT_PREFIX.length), 'base64'))
    );
  }

  private keyFor(id: Buffer): DataKey | null {
    if (id.equals(this.current.id)) return this.current;
    if (this.previous && id.equals(this.previous.id)) return this.previous;
    return null;
  }
}

/** Authenticated contexts: a blob sealed for one of these never opens as another. */
export const sealContext = {
  doc: (docName: string): string => `doc:${docName}`,
  roomTitle: (roomId: string): string => `room.title:${roomId}`,
  displayName: (participantId: string): string => `participant.displayName:${participantId}`,
  workshopTitle: (workshopId: string): string => `workshop.title:${workshopId}`,
  facilitatorName: (workshopId: string): string => `workshop.facilitatorName:${workshopId}`,
  workshopMessage: (workshopId: string): string => `workshop.message:${workshopId}`,
  /** a workshop's own template, by `templateKey` (`<templateId>@<version>`) */
  templateBody: (key: string): string => `template.body:${key}`,
  /** a sealed room's escrow envelope of one seat and section */
  escrow: (roomId: string, sectionId: string, seat: string): string => `escrow:${roomId}/${sectionId}/${seat}`,
  keyCheck: 'key-check',
} as const;
