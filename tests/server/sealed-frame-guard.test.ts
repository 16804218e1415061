import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ENVELOPE_OVERHEAD, EnvelopeKind, MAX_ENVELOPE_BYTES, sealEnvelope, type EnvelopeKind as Kind } from '@parley/shared/sealed/envelope';
import { ClientFrameType, encodeClientFrame } from '@parley/shared/sealed/frames';
import { DEFAULT_SEALED_LIMITS, SealedFrameGuard, type SealedChannelLimits } from '../../server/src/sealed/frame-guard';
import { aeadKeyFrom } from '../shared/sealed-support';

/**
 * The gate in front of a sealed-doc connection (issue 16, phase 3; not wired to a route yet):
 * garbage closes with 4400, an oversized frame with 1009, a flood with 4503 — never a crash.
 */

const key = await aeadKeyFrom(new Uint8Array(32).fill(1));
const DOC = 'ROOMidROOMidROOMidROOMi/shared';

async function envelope(kind: Kind, size = 10, seq = 1): Promise<Uint8Array> {
  const sealed = await sealEnvelope(key, { kind, sender: '00000000000000f1', seq, context: DOC }, new Uint8Array(size));
  if (!sealed.ok) throw new Error(sealed.reason);
  return sealed.envelope;
}

/** A clock the test moves by hand. */
function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function greeted(doc: 'private' | 'shared' = 'shared', limits: SealedChannelLimits = DEFAULT_SEALED_LIMITS, now = clock().now) {
  const guard = new SealedFrameGuard(doc, limits, now);
  expect(guard.admit(encodeClientFrame({ type: 'hello', position: 0 })).ok).toBe(true);
  return guard;
}

const closeOf = (decision: ReturnType<SealedFrameGuard['admit']>) => (decision.ok ? 'admitted' : `${decision.close} ${decision.reason}`);

describe('sealed frame guard', () => {
  it('SF1 a hello, then appends, a snapshot and awareness pass with their headers read', async () => {
    const guard = greeted();
    const update = guard.admit(encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.update, 100, 7) }));
    expect(update.ok && update.frame.type === 'append' && { kind: update.frame.envelope.kind, seq: update.frame.envelope.seq }).toEqual({ kind: EnvelopeKind.update, seq: 7 });
    const snapshot = guard.admit(encodeClientFrame({ type: 'snapshot', position: 2 ** 40 + 5, envelope: await envelope(EnvelopeKind.snapshot, 5000) }));
    expect(snapshot.ok && snapshot.frame.type === 'snapshot' && snapshot.frame.position).toBe(2 ** 40 + 5);
    expect(guard.admit(encodeClientFrame({ type: 'awareness', envelope: await envelope(EnvelopeKind.awareness) })).ok).toBe(true);
    expect(guard.admit(encodeClientFrame({ type: 'unreadable', position: 3 })).ok).toBe(true);
    const privateGuard = greeted('private');
    expect(privateGuard.admit(encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.keyring) })).ok).toBe(true);
  });

  it('SF2 each named kind of garbage closes with 4400 and says why', async () => {
    const update = await envelope(EnvelopeKind.update);
    const tamperedSize = encodeClientFrame({ type: 'append', envelope: update.subarray(0, update.length - 1) });
    const position = (high: number) => Uint8Array.of(ClientFrameType.hello, (high >> 24) & 0xff, (high >> 16) & 0xff, (high >> 8) & 0xff, high & 0xff, 0, 0, 0, 0);
    const cases: [string, unknown, string][] = [
      ['a text frame', 'hello', 'text frame'],
      ['an ArrayBuffer, not bytes', new ArrayBuffer(9), 'not bytes'],
      ['an empty frame', new Uint8Array(0), 'empty frame'],
      ['an unknown frame type', Uint8Array.of(99, 1, 2, 3), 'unknown frame type'],
      ['a server frame sent by a client', Uint8Array.of(17, 0, 0, 0, 0, 0, 0, 0, 1), 'unknown frame type'],
      ['a short hello', Uint8Array.of(ClientFrameType.hello, 0, 0), 'wrong frame length'],
      ['a position past 2^53', position(0x00200000), 'position out of range'],
      ['an append of random bytes the size of an envelope', Uint8Array.of(ClientFrameType.append, ...new Uint8Array(ENVELOPE_OVERHEAD + 256).fill(7)), 'unknown version'],
      ['an append of 400 random bytes', Uint8Array.of(ClientFrameType.append, ...new Uint8Array(400).fill(7)), 'size is not a padding bucket'],
      ['an append cut short by a byte', tamperedSize, 'too short'],
      ['an append without an envelope', Uint8Array.of(ClientFrameType.append), 'too short'],
      ['a snapshot without a position', Uint8Array.of(ClientFrameType.snapshot, 0, 0), 'wrong frame length'],
      ['an awareness envelope appended to the log', encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.awareness) }), 'unexpected kind'],
      ['an update sent as a snapshot', encodeClientFrame({ type: 'snapshot', position: 1, envelope: update }), 'unexpected kind'],
      ['an update sent as awareness', encodeClientFrame({ type: 'awareness', envelope: update }), 'unexpected kind'],
      ['a keyring envelope in the shared doc', encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.keyring) }), 'unexpected kind'],
      ['an escrow envelope in a doc', encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.escrow) }), 'unexpected kind'],
      ['a second hello', encodeClientFrame({ type: 'hello', position: 0 }), 'hello twice'],
    ];
    for (const [what, frame, reason] of cases) expect(closeOf(greeted().admit(frame)), what).toBe(`4400 ${reason}`);
    const fresh = new SealedFrameGuard('shared');
    expect(closeOf(fresh.admit(encodeClientFrame({ type: 'append', envelope: update })))).toBe('4400 no hello yet');
  });

  it('SF3 a frame over the frame cap closes with 1009; an envelope over the envelope cap with 4400', async () => {
    const limits = { ...DEFAULT_SEALED_LIMITS, maxFrameBytes: 2000, maxEnvelopeBytes: 1000 };
    expect(closeOf(greeted('shared', limits).admit(new Uint8Array(2001)))).toBe('1009 frame too large');
    const big = encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.update, 600) });
    expect(big.length).toBe(1 + ENVELOPE_OVERHEAD + 1024);
    expect(closeOf(greeted('shared', limits).admit(big))).toBe('4400 too long');
    expect(closeOf(greeted().admit(new Uint8Array(DEFAULT_SEALED_LIMITS.maxFrameBytes + 1)))).toBe('1009 frame too large');
    // The largest envelope fits the default frame cap.
    expect(1 + 8 + MAX_ENVELOPE_BYTES).toBeLessThanOrEqual(DEFAULT_SEALED_LIMITS.maxFrameBytes);
  });

  it('SF4 a flood of writes or awareness closes with 4503 once the burst is spent; the rate refills with time', async () => {
    const time = clock();
    const limits = { ...DEFAULT_SEALED_LIMITS, writes: { perSecond: 10, burst: 20 }, awareness: { perSecond: 5, burst: 5 } };
    const frame = encodeClientFrame({ type: 'append', envelope: await envelope(EnvelopeKind.update) });
    const awareness = encodeClientFrame({ type: 'awareness', envelope: await envelope(EnvelopeKind.awareness) });
    const guard = greeted('shared', limits, time.now);
    const decisions = Array.from({ length: 21 }, () => closeOf(guard.admit(frame)));
    expect(decisions.slice(0, 20).every((d) => d === 'admitted')).toBe(true);
    expect(decisions[20]).toBe('4503 append rate exceeded');
    // Awareness has its own bucket, untouched by the writes.
    expect(Array.from({ length: 6 }, () => closeOf(guard.admit(awareness)))).toEqual([...Array(5).fill('admitted'), '4503 awareness rate exceeded']);
    time.advance(500);
    expect(Array.from({ length: 6 }, () => closeOf(guard.admit(frame)))).toEqual([...Array(5).fill('admitted'), '4503 append rate exceeded']);
    time.advance(60_000);
    expect(Array.from({ length: 21 }, () => guard.admit(frame).ok).filter(Boolean)).toHaveLength(20);
  });

  it('SF5 arbitrary input never throws: every decision is admitted, 4400, 1009 or 4503', () => {
    const guard = greeted();
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.tuple(fc.constantFrom(1, 2, 3, 4, 5), fc.uint8Array({ maxLength: 600 })).map(([type, rest]) => Uint8Array.of(type, ...rest)),
      fc.string(),
      fc.constantFrom(null, undefined, 42, {}, [1, 2, 3]),
    );
    fc.assert(
      fc.property(input, (data) => {
        const decision = guard.admit(data);
        expect(decision.ok || ([CloseCode.badFrame, CloseCode.tooBig, CloseCode.unavailable] as CloseCode[]).includes(decision.close)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
