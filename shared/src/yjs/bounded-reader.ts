/**
 * A bounds-checked reader for lib0-encoded bytes, for validating untrusted Yjs and awareness
 * updates before the real decoders see them. Every read either stays inside the buffer or
 * throws `Invalid`; nothing here allocates more than the bytes it was given.
 */
export class Invalid extends Error {}

/**
 * The part of `TextDecoder` (in browsers and Node) read here, typed because `shared` compiles
 * without the DOM or Node libraries, as `sealed/webcrypto.ts` does for WebCrypto.
 */
interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
type TextDecoderConstructor = new (label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean }) => Utf8Decoder;
const Decoder = (globalThis as unknown as { TextDecoder: TextDecoderConstructor }).TextDecoder;

/** lib0's decoder: strict UTF-8, a leading BOM kept (it counts towards a string's length). */
const utf8 = new Decoder('utf-8', { fatal: true, ignoreBOM: true });

/** 8 × 7 bits cover every safe integer; lib0 itself never writes longer varints. */
const MAX_VARINT_BYTES = 8;

export class BoundedReader {
  pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  /** bytes not read yet */
  get left(): number {
    return this.buf.length - this.pos;
  }

  peekUint8(): number {
    if (this.pos >= this.buf.length) throw new Invalid('unexpected end');
    return this.buf[this.pos] as number;
  }

  uint8(): number {
    const byte = this.peekUint8();
    this.pos++;
    return byte;
  }

  /** lib0 `readVarUint`, refusing values above 2^53 − 1 and padded encodings. */
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.uint8();
      num += (byte & 0x7f) * mult;
      if (byte < 0x80) {
        if (num > Number.MAX_SAFE_INTEGER) throw new Invalid('integer out of range');
        return num;
      }
      mult *= 128;
    }
    throw new Invalid('varint too long');
  }

  /** lib0 `readVarInt` (sign in bit 7 of the first byte), skipped after a range check. */
  varInt(): void {
    let byte = this.uint8();
    let num = byte & 0x3f;
    let mult = 64;
    for (let i = 1; byte >= 0x80; i++) {
      if (i >= MAX_VARINT_BYTES + 1) throw new Invalid('varint too long');
      byte = this.uint8();
      num += (byte & 0x7f) * mult;
      mult *= 128;
    }
    if (num > Number.MAX_SAFE_INTEGER) throw new Invalid('integer out of range');
  }

  skip(len: number): void {
    if (len > this.left) throw new Invalid('length exceeds the bytes left');
    this.pos += len;
  }

  varBytes(): Uint8Array {
    const len = this.varUint();
    if (len > this.left) throw new Invalid('length exceeds the bytes left');
    const bytes = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return bytes;
  }

  varString(): string {
    const bytes = this.varBytes();
    try {
      return utf8.decode(bytes);
    } catch {
      throw new Invalid('invalid UTF-8');
    }
  }

  /**
   * A count of things that each take at least `minBytes` bytes: refused when the bytes left
   * cannot hold them, so no loop or allocation ever trusts a count from the wire.
   */
  count(minBytes: number, what: string): number {
    const n = this.varUint();
    if (n * minBytes > this.left) throw new Invalid(`${what} count exceeds the bytes left`);
    return n;
  }
}

/**
 * Whether the JSON text nests arrays/objects at most `maxDepth` deep. A linear scan, run before
 * `JSON.parse` so that deep nesting never reaches a recursive parser or serializer.
 */
export function jsonWithinDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return false;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return true;
}

/** `JSON.parse` of untrusted text with a nesting bound; throws `Invalid` instead of anything else. */
export function parseBoundedJson(text: string, maxDepth: number): unknown {
  if (!jsonWithinDepth(text, maxDepth)) throw new Invalid('JSON nested too deeply');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Invalid('invalid JSON');
  }
}

/** Runs a validation step, turning `Invalid` (and anything unexpected) into a reason. */
export function verdictOf<T extends object>(run: () => T): ({ ok: true } & T) | { ok: false; reason: string } {
  try {
    return { ok: true, ...run() };
  } catch (error) {
    return { ok: false, reason: error instanceof Invalid ? error.message : 'unreadable' };
  }
}
