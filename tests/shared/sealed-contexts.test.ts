import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_CONTEXT_BYTES } from '@parley/shared/sealed/envelope';
import { escrowSlot, pieceSlot } from '@parley/shared/sealed/contexts';

/** Slot names of escrow and discreet pieces (issue 16): one name per slot, checked parts. */

const ROOM = 'ROOMidROOMidROOMidROOMi';
const TAG = 'ab'.repeat(32);

describe('sealed slot contexts', () => {
  it('SQ1 distinct slots have distinct names, within the context limit', () => {
    const slot = fc.record({
      section: fc.constantFrom('activities', 'frame', 'frame-2', 'a_b'),
      round: fc.integer({ min: 1, max: 1000 }),
      seat: fc.constantFrom('a' as const, 'b' as const),
      tag: fc.constantFrom(TAG, 'cd'.repeat(32)),
      piece: fc.boolean(),
    });
    fc.assert(
      fc.property(slot, slot, (x, y) => {
        const name = (s: typeof x) => {
          const verdict = s.piece ? pieceSlot(ROOM, s.section, s.round, s.seat, s.tag) : escrowSlot(ROOM, s.section, s.round, s.seat);
          if (!verdict.ok) throw new Error(verdict.reason);
          expect(new TextEncoder().encode(verdict.context).length).toBeLessThanOrEqual(MAX_CONTEXT_BYTES);
          return verdict.context;
        };
        const same = x.section === y.section && x.round === y.round && x.seat === y.seat && x.piece === y.piece && (!x.piece || x.tag === y.tag);
        expect(name(x) === name(y)).toBe(same);
      }),
    );
    expect(escrowSlot(ROOM, 'activities', 2, 'b')).toEqual({ ok: true, context: `${ROOM}/escrow/activities/2/b` });
  });

  it('SQ2 a part that could make two slots share a name is refused', () => {
    expect(escrowSlot('ROOM/escrow', 'activities', 1, 'a')).toEqual({ ok: false, reason: 'malformed room id' });
    expect(escrowSlot(ROOM, 'activities/1', 1, 'a')).toEqual({ ok: false, reason: 'malformed section id' });
    expect(escrowSlot(ROOM, 'activities', 0, 'a')).toEqual({ ok: false, reason: 'round out of range' });
    expect(escrowSlot(ROOM, 'activities', 1.5, 'a')).toEqual({ ok: false, reason: 'round out of range' });
    expect(pieceSlot(ROOM, 'activities', 1, 'a', TAG.toUpperCase())).toEqual({ ok: false, reason: 'malformed tag' });
    expect(pieceSlot(ROOM, 'activities', 1, 'a', `${TAG}/x`)).toEqual({ ok: false, reason: 'malformed tag' });
  });
});
