import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketFor, isBucket, MAX_BUCKET, MAX_PAYLOAD, MIN_BUCKET, pad, unpad } from '@parley/shared/sealed/padding';

/** Padding (issue 16): a ciphertext's size tells the bucket of what it holds, nothing finer. */

function padded(payload: Uint8Array): Uint8Array {
  const verdict = pad(payload);
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict.padded;
}

describe('sealed padding', () => {
  it('SB1 buckets are the powers of two from 256 bytes to 512 KiB, counting the 4-byte length', () => {
    expect([0, 1, 252, 253, 508, 509, MAX_PAYLOAD].map(bucketFor)).toEqual([256, 256, 256, 512, 512, 1024, MAX_BUCKET]);
    expect([MAX_PAYLOAD + 1, -1, 1.5, Number.NaN].map(bucketFor)).toEqual([null, null, null, null]);
    expect([MIN_BUCKET, 4096, MAX_BUCKET].every(isBucket)).toBe(true);
    expect([0, 128, 255, 257, 3000, MAX_BUCKET * 2].some(isBucket)).toBe(false);
  });

  it('SB2 pads and unpads any payload to its smallest bucket, and back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (payload) => {
        const bytes = padded(payload);
        expect(bytes.length).toBe(bucketFor(payload.length));
        const back = unpad(bytes);
        expect(back.ok && Array.from(back.payload)).toEqual(Array.from(payload));
      }),
      { numRuns: 300 },
    );
  });

  it('SB3 a one-letter answer and a 200-character note pad to the same size', () => {
    const sizes = ['y', 'yes', 'x'.repeat(200), 'é'.repeat(126)].map((text) => padded(new TextEncoder().encode(text)).length);
    expect(new Set(sizes)).toEqual(new Set([256]));
    fc.assert(
      fc.property(fc.nat(252), fc.nat(252), (m, n) => {
        expect(padded(new Uint8Array(m)).length).toBe(padded(new Uint8Array(n)).length);
      }),
    );
  });

  it('SB4 refuses every other shape with its reason: no bucket, a length past the bucket, a larger bucket than needed, non-zero padding', () => {
    const good = padded(new Uint8Array([1, 2, 3]));
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(255), 'padded size is not a bucket'],
      [new Uint8Array(300), 'padded size is not a bucket'],
      [new Uint8Array(0), 'padded size is not a bucket'],
      [Object.assign(new Uint8Array(256), { 0: 0xff }), 'length exceeds the bucket'],
      [Object.assign(new Uint8Array(256), { 2: 0x01, 3: 0x00 }), 'length exceeds the bucket'],
      [Object.assign(new Uint8Array(512), { 3: 10 }), 'payload is not in its smallest bucket'],
      [Object.assign(good.slice(), { 200: 1 }), 'padding is not zero'],
      [Object.assign(good.slice(), { 255: 0x80 }), 'padding is not zero'],
    ];
    for (const [bytes, reason] of cases) expect(unpad(bytes)).toEqual({ ok: false, reason });
    expect(pad(new Uint8Array(MAX_PAYLOAD + 1))).toEqual({ ok: false, reason: 'payload too large' });
  });

  it('SB5 unpad never throws on arbitrary bytes and returns a view, not a copy', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1100 }), (bytes) => {
        const verdict = unpad(bytes);
        expect(typeof verdict.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    const bytes = padded(new Uint8Array(100).fill(7));
    const verdict = unpad(bytes);
    expect(verdict.ok && verdict.payload.buffer).toBe(bytes.buffer);
  });
});
