import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MacKey } from '@parley/shared/sealed/keys';
import { decoyTag, discreetTag, paddedTagSet, TAG_BYTES, type TagWay } from '@parley/shared/sealed/tags';
import { hex, seededRandom } from './sealed-support';

/** Keyed tags for discreet matching (issue 16): the server intersects them blind. */

const ROUND_KEY = Buffer.alloc(32, 7);
const roundKey = async (bytes: Uint8Array = ROUND_KEY): Promise<MacKey> => ({
  mac: await crypto.subtle.importKey('raw', new Uint8Array(bytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
});

async function tag(key: MacKey, itemId: string, way: TagWay): Promise<string> {
  const verdict = await discreetTag(key, itemId, way);
  if (!verdict.ok) throw new Error(verdict.reason);
  return hex(verdict.tag);
}

const part = (text: string) => Buffer.concat([Buffer.from([0, Buffer.byteLength(text)]), Buffer.from(text)]);

/** What the server does: which of one seat's tags are also in the other's. It sees bytes only. */
const intersect = (a: Uint8Array[], b: Uint8Array[]) => a.map(hex).filter((t) => new Set(b.map(hex)).has(t));

describe('sealed discreet tags', () => {
  it('SM1 known answer: HMAC-SHA-256(round key, "parley/sealed/v1" | "discreet tag" | item | way)', async () => {
    const expected = createHmac('sha256', ROUND_KEY)
      .update(Buffer.concat([part('parley/sealed/v1'), part('discreet tag'), part('impact_hand'), part('aToB')]))
      .digest('hex');
    expect(await tag(await roundKey(), 'impact_hand', 'aToB')).toBe(expected);
  });

  it('SM2 a tag depends on the round key, the item and the way; decoys are tag-sized', async () => {
    const key = await roundKey();
    const next = await roundKey(Buffer.alloc(32, 8));
    const tags = [
      await tag(key, 'impact_hand', 'aToB'),
      await tag(key, 'impact_hand', 'bToA'),
      await tag(key, 'impact_hand', 'all'),
      await tag(key, 'impact_paddle', 'aToB'),
      await tag(key, 'frame_role', 'same:"dominant"'),
      await tag(key, 'frame_role', 'same:"submissive"'),
      await tag(next, 'impact_hand', 'aToB'),
    ];
    expect(new Set(tags).size).toBe(tags.length);
    expect(decoyTag().length).toBe(TAG_BYTES);
    expect(await discreetTag(key, 'impact_hand', 'sideways' as TagWay)).toEqual({ ok: false, reason: 'unknown tag way' });
    expect(await discreetTag(key, '', 'aToB')).toEqual({ ok: false, reason: 'an item id is 1 to 64 characters' });
  });

  it('SM3 the blind intersection is exactly the ways both said yes to; every set has the same size; the order says nothing', async () => {
    const key = await roundKey();
    const ways = ['aToB', 'bToA', 'all'] as const;
    const items = Array.from({ length: 12 }, (_, i) => `item_${i}`);
    const slot = fc.record({ item: fc.constantFrom(...items), way: fc.constantFrom(...ways) });
    const size = items.length * ways.length;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(slot, { selector: (s) => `${s.item}/${s.way}` }), fc.uniqueArray(slot, { selector: (s) => `${s.item}/${s.way}` }), async (yesA, yesB) => {
        const tagsOf = async (yes: typeof yesA) => Promise.all(yes.map(async ({ item, way }) => Buffer.from(await tag(key, item, way), 'hex')));
        const setA = paddedTagSet(await tagsOf(yesA), size, seededRandom(`a${yesA.length}`));
        const setB = paddedTagSet(await tagsOf(yesB), size, seededRandom(`b${yesB.length}`));
        if (!setA.ok || !setB.ok) throw new Error('set');
        expect(setA.tags.length).toBe(size);
        expect(setB.tags.length).toBe(size);
        const both = yesA.filter((x) => yesB.some((y) => y.item === x.item && y.way === x.way));
        const expected = await Promise.all(both.map(({ item, way }) => tag(key, item, way)));
        expect(intersect(setA.tags, setB.tags).sort()).toEqual(expected.sort());
        // Sorted by value, whatever order the items came in.
        expect(setA.tags.map(hex)).toEqual(setA.tags.map(hex).sort());
      }),
      { numRuns: 60 },
    );
  });

  it('SM4 a set refuses more tags than its size and malformed tags', () => {
    expect(paddedTagSet([decoyTag(), decoyTag()], 1)).toEqual({ ok: false, reason: 'more tags than the set holds' });
    expect(paddedTagSet([new Uint8Array(16)], 4)).toEqual({ ok: false, reason: 'a tag is 32 bytes' });
  });
});
