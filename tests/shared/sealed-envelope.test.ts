import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ENVELOPE_OVERHEAD,
  EnvelopeKind,
  MAX_ENVELOPE_BYTES,
  MIN_ENVELOPE_BYTES,
  newSender,
  openEnvelope,
  parseEnvelope,
  sealEnvelope,
  type AeadKey,
  type Seal,
} from '@parley/shared/sealed/envelope';
import { bucketFor, MAX_PAYLOAD } from '@parley/shared/sealed/padding';
import { SeqGuard } from '@parley/shared/sealed/replay';
import { aeadKeyFrom, fromHex, hex, seededRandom } from './sealed-support';

/** The sealed envelope (issue 16): AES-256-GCM, header + doc name authenticated, strict bounded parser. */

const KEY_BYTES = Uint8Array.from({ length: 32 }, (_, i) => i);
const DOC = 'ROOMidROOMidROOMidROOMi/shared';
const text = (s: string) => new TextEncoder().encode(s);

async function seal(key: AeadKey, header: Partial<Seal>, payload: Uint8Array, random = seededRandom('nonce')): Promise<Uint8Array> {
  const verdict = await sealEnvelope(key, { kind: EnvelopeKind.update, sender: '0102030405060708', seq: 1, context: DOC, ...header }, payload, random);
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict.envelope;
}

describe('sealed envelope', () => {
  it('SV1 known answer: the bytes are version, kind, sender, seq, nonce, then AES-256-GCM of the padded payload with header + doc name as associated data', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const envelope = await seal(key, { seq: 7 }, text('parley'));
    // An independent implementation (node:crypto) of the same layout gives the same bytes.
    const nonce = seededRandom('nonce')(12);
    const header = Buffer.concat([Buffer.from([1, EnvelopeKind.update]), fromHex('0102030405060708'), Buffer.from([0, 0, 0, 7]), nonce]);
    const paddedPayload = Buffer.alloc(256);
    paddedPayload.writeUInt32BE(6, 0);
    paddedPayload.write('parley', 4);
    const cipher = createCipheriv('aes-256-gcm', KEY_BYTES, nonce);
    cipher.setAAD(Buffer.concat([header, Buffer.from(DOC)]));
    const expected = Buffer.concat([header, cipher.update(paddedPayload), cipher.final(), cipher.getAuthTag()]);
    expect(hex(envelope)).toBe(expected.toString('hex'));
    expect(envelope.length).toBe(298);
    // Pinned: a change to the format breaks every stored envelope, so it must be deliberate.
    expect(createHash('sha256').update(envelope).digest('hex')).toBe('d66c344d191e295a68f4ee6a69c773b0e9ebba5647396c72da2def7790de4187');
  });

  it('SV2 round trip for any payload, kind, sender and seq; the size is the payload’s bucket plus 42 bytes', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom(...Object.values(EnvelopeKind)),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.string({ maxLength: 80 }),
        async (payload, kind, seq, context) => {
          const sender = newSender();
          const envelope = await seal(key, { kind, seq, sender, context }, payload, undefined);
          expect(envelope.length).toBe(ENVELOPE_OVERHEAD + (bucketFor(payload.length) as number));
          const opened = await openEnvelope(key, envelope, context);
          expect(opened.ok && { ...opened, payload: Array.from(opened.payload) }).toEqual({ ok: true, kind, sender, seq, payload: Array.from(payload) });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('SV3 a flipped bit anywhere — header, nonce, ciphertext or tag — is refused', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const envelope = await seal(key, { seq: 3 }, text('hard_limit'));
    const reasons = new Set<string>();
    for (let bit = 0; bit < envelope.length * 8; bit++) {
      const flipped = envelope.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      const opened = await openEnvelope(key, flipped, DOC);
      expect(opened.ok, `bit ${bit}`).toBe(false);
      if (!opened.ok) reasons.add(opened.reason);
    }
    // The parser catches a version or kind that does not exist; everything else (another valid kind,
    // another seq or sender, the nonce, the ciphertext, the tag) fails GCM.
    expect([...reasons].sort()).toEqual(['does not authenticate', 'unknown kind', 'unknown version']);
  });

  it('SV4 an envelope does not open under another doc name, another key, or on a channel that does not carry its kind', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const envelope = await seal(key, {}, text('canary'));
    expect(await openEnvelope(key, envelope, 'ROOMidROOMidROOMidROOMi/room')).toEqual({ ok: false, reason: 'does not authenticate' });
    expect(await openEnvelope(key, envelope, 'ROOMidROOMidROOMidROOMi/private/PARTICIPANTidPARTICIPA')).toEqual({ ok: false, reason: 'does not authenticate' });
    expect(await openEnvelope(await aeadKeyFrom(new Uint8Array(32)), envelope, DOC)).toEqual({ ok: false, reason: 'does not authenticate' });
    expect(await openEnvelope(key, envelope, DOC, { kinds: [EnvelopeKind.awareness] })).toEqual({ ok: false, reason: 'unexpected kind' });
    expect((await openEnvelope(key, envelope, DOC)).ok).toBe(true);
  });

  it('SV5 a replayed or older seq is refused; a forged envelope does not move the guard; senders are bounded', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const guard = new SeqGuard(2);
    const first = await seal(key, { seq: 1 }, text('one'));
    const second = await seal(key, { seq: 2 }, text('two'));
    expect((await openEnvelope(key, first, DOC, { guard })).ok).toBe(true);
    expect(await openEnvelope(key, first, DOC, { guard })).toEqual({ ok: false, reason: 'replayed' });
    // A forgery claiming seq 1000 fails authentication and records nothing.
    const forged = (await seal(key, { seq: 1000 }, text('x'))).slice();
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 1;
    expect(await openEnvelope(key, forged, DOC, { guard })).toEqual({ ok: false, reason: 'does not authenticate' });
    expect((await openEnvelope(key, second, DOC, { guard })).ok).toBe(true);
    expect(await openEnvelope(key, first, DOC, { guard })).toEqual({ ok: false, reason: 'replayed' });
    // Another sender has its own sequence; a third sender is refused rather than one forgotten.
    expect((await openEnvelope(key, await seal(key, { sender: 'aaaaaaaaaaaaaaaa' }, text('b')), DOC, { guard })).ok).toBe(true);
    expect(await openEnvelope(key, await seal(key, { sender: 'bbbbbbbbbbbbbbbb' }, text('c')), DOC, { guard })).toEqual({ ok: false, reason: 'too many senders' });
    expect(guard.senders).toBe(2);
  });

  it('SV6 the same envelope opened twice at once opens once', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const guard = new SeqGuard();
    const envelope = await seal(key, { seq: 5 }, text('once'));
    const results = await Promise.all([openEnvelope(key, envelope, DOC, { guard }), openEnvelope(key, envelope, DOC, { guard })]);
    expect(results.map((r) => (r.ok ? 'opened' : r.reason)).sort()).toEqual(['opened', 'replayed']);
  });

  it('SV7 the parser refuses malformed envelopes with a reason, looks at the header only and copies nothing', () => {
    const valid = new Uint8Array(MIN_ENVELOPE_BYTES);
    valid.set([1, EnvelopeKind.update, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const variant = (size: number, patch: Record<number, number> = {}) => Object.assign(Uint8Array.from({ length: size }, (_, i) => valid[i] ?? 0), patch);
    const cases: [unknown, string][] = [
      ['not an envelope', 'not bytes'],
      [null, 'not bytes'],
      [[1, 1, 0], 'not bytes'],
      [new ArrayBuffer(298), 'not bytes'],
      [new Uint8Array(0), 'too short'],
      [variant(MIN_ENVELOPE_BYTES - 1), 'too short'],
      [variant(MAX_ENVELOPE_BYTES + 1), 'too long'],
      [variant(MIN_ENVELOPE_BYTES + 1), 'size is not a padding bucket'],
      [variant(ENVELOPE_OVERHEAD + 3000), 'size is not a padding bucket'],
      [variant(MIN_ENVELOPE_BYTES, { 0: 2 }), 'unknown version'],
      [variant(MIN_ENVELOPE_BYTES, { 0: 0 }), 'unknown version'],
      [variant(MIN_ENVELOPE_BYTES, { 1: 0 }), 'unknown kind'],
      [variant(MIN_ENVELOPE_BYTES, { 1: 200 }), 'unknown kind'],
      [variant(MIN_ENVELOPE_BYTES, { 13: 0 }), 'sequence number 0'],
    ];
    for (const [input, reason] of cases) expect(parseEnvelope(input)).toEqual({ ok: false, reason });
    expect(parseEnvelope(variant(ENVELOPE_OVERHEAD + 1024), { maxBytes: 1000 })).toEqual({ ok: false, reason: 'too long' });
    const parsed = parseEnvelope(valid);
    expect(parsed.ok && { kind: parsed.kind, sender: parsed.sender, seq: parsed.seq }).toEqual({ kind: EnvelopeKind.update, sender: '0000000000000000', seq: 1 });
    expect(parsed.ok && parsed.sealed.buffer).toBe(valid.buffer);
    expect(parsed.ok && parsed.sealed.length).toBe(MIN_ENVELOPE_BYTES - 26);
  });

  it('SV8 arbitrary bytes never make the parser or the opener throw', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const header = fc.tuple(fc.constantFrom(0, 1, 2), fc.nat(9)).map(([v, k]) => [v, k]);
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 700 }),
      fc.tuple(header, fc.constantFrom(256, 512, 255, 300), fc.uint8Array({ maxLength: 40 })).map(([[v, k], bucket, start]) => {
        const out = new Uint8Array(ENVELOPE_OVERHEAD + bucket);
        out.set(start.subarray(0, 40));
        out[0] = v as number;
        out[1] = k as number;
        return out;
      }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (input) => {
        expect(typeof parseEnvelope(input).ok).toBe('boolean');
        expect((await openEnvelope(key, input, DOC)).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('SV9 sealing refuses what the caller got wrong instead of producing a bad envelope', async () => {
    const key = await aeadKeyFrom(KEY_BYTES);
    const header: Seal = { kind: EnvelopeKind.update, sender: '0102030405060708', seq: 1, context: DOC };
    expect(await sealEnvelope(key, header, new Uint8Array(MAX_PAYLOAD + 1))).toEqual({ ok: false, reason: 'payload too large' });
    expect(await sealEnvelope(key, { ...header, seq: 0 }, text('x'))).toEqual({ ok: false, reason: 'seq out of range' });
    expect(await sealEnvelope(key, { ...header, seq: 2 ** 32 }, text('x'))).toEqual({ ok: false, reason: 'seq out of range' });
    expect(await sealEnvelope(key, { ...header, sender: 'XYZ' }, text('x'))).toEqual({ ok: false, reason: 'a sender is 16 hex digits' });
    expect(await sealEnvelope(key, { ...header, kind: 99 as EnvelopeKind }, text('x'))).toEqual({ ok: false, reason: 'unknown kind' });
    expect(await sealEnvelope(key, { ...header, context: 'x'.repeat(513) }, text('x'))).toEqual({ ok: false, reason: 'context too long' });
    expect(await sealEnvelope(key, header, text('x'), (n) => new Uint8Array(n - 1))).toEqual({ ok: false, reason: 'the random source gave a short nonce' });
    const largest = await sealEnvelope(key, header, new Uint8Array(MAX_PAYLOAD));
    expect(largest.ok && largest.envelope.length).toBe(MAX_ENVELOPE_BYTES);
  });
});
