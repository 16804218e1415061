import { describe, expect, it } from 'vitest';
import { EnvelopeKind, MAX_ENVELOPE_BYTES, sealEnvelope } from '@parley/shared/sealed/envelope';
import { encodeClientFrame, encodeServerFrame, parseClientFrame, parseServerFrame, type FrameLimits } from '@parley/shared/sealed/frames';
import { aeadKeyFrom } from './sealed-support';

/** Frames of the sealed doc channel (issue 16): what both ends parse, strictly. */

const LIMITS: FrameLimits = { maxEnvelopeBytes: MAX_ENVELOPE_BYTES, appendKinds: [EnvelopeKind.update] };

async function envelope(kind: EnvelopeKind): Promise<Uint8Array> {
  const sealed = await sealEnvelope(await aeadKeyFrom(new Uint8Array(32)), { kind, sender: '0000000000000001', seq: 1, context: 'doc' }, new Uint8Array(3));
  if (!sealed.ok) throw new Error(sealed.reason);
  return sealed.envelope;
}

describe('sealed channel frames', () => {
  it('SY1 every frame round-trips through its encoder and parser, positions up to 2^53 − 1', async () => {
    const update = await envelope(EnvelopeKind.update);
    const entry = parseServerFrame(encodeServerFrame({ type: 'entry', position: Number.MAX_SAFE_INTEGER, envelope: update }), LIMITS);
    expect(entry.ok && entry.frame.type === 'entry' && [entry.frame.position, entry.frame.envelope.kind]).toEqual([Number.MAX_SAFE_INTEGER, EnvelopeKind.update]);
    for (const type of ['live', 'compact'] as const) expect(parseServerFrame(encodeServerFrame({ type }), LIMITS)).toEqual({ ok: true, frame: { type } });
    expect(parseServerFrame(encodeServerFrame({ type: 'ack', position: 12 }), LIMITS)).toEqual({ ok: true, frame: { type: 'ack', position: 12 } });
    expect(parseClientFrame(encodeClientFrame({ type: 'hello', position: 0 }), LIMITS)).toEqual({ ok: true, frame: { type: 'hello', position: 0 } });
    expect(parseClientFrame(encodeClientFrame({ type: 'unreadable', position: 2 ** 33 }), LIMITS)).toEqual({ ok: true, frame: { type: 'unreadable', position: 2 ** 33 } });
    expect(() => encodeClientFrame({ type: 'hello', position: -1 })).toThrow(RangeError);
  });

  it('SY2 a client refuses what the server should never send: a bare frame with a tail, an awareness envelope as a log entry', async () => {
    expect(parseServerFrame(Uint8Array.of(18, 0), LIMITS)).toEqual({ ok: false, reason: 'wrong frame length' });
    const awareness = await envelope(EnvelopeKind.awareness);
    expect(parseServerFrame(encodeServerFrame({ type: 'entry', position: 1, envelope: awareness }), LIMITS)).toEqual({ ok: false, reason: 'unexpected kind' });
    expect(parseServerFrame(Uint8Array.of(2, 0, 0), LIMITS)).toEqual({ ok: false, reason: 'unknown frame type' });
    expect(parseServerFrame('entry', LIMITS)).toEqual({ ok: false, reason: 'not bytes' });
  });
});
