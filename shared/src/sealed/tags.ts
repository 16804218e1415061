import type { Verdict } from '../protocol/verdict';
import { encodeParts } from './bytes';
import { SEALED_DOMAIN, type MacKey } from './keys';
import { cryptoRandom, subtle, type Random } from './webcrypto';

/**
 * Keyed tags for discreet matching. For every way an item can be shared in which its own side is
 * positive, a client uploads HMAC-SHA-256(round key, item id, way). Both partners derive the round
 * key (`PairKeys.roundKey`), so both compute the same tag for the same way, and only for it; the
 * server, without the key, intersects the two sets blind and learns which tags are in both, never
 * which items they stand for. Decoys (random tags) pad each set to the section's number of ways,
 * so the set's size says nothing about how many positives it holds.
 *
 * Ways: `aToB` (a gives, b receives) and `bToA` of a dual rating, `axis` of a single rating, `all`
 * (every direction of the item shared, which releases its note and experience), and `same:<value>`
 * for choice, multi and scale (the canonical value; the tag matches only when both chose the same).
 */
export const TAG_BYTES = 32;
const TAG_LABEL = 'discreet tag';

export type TagWay = 'aToB' | 'bToA' | 'axis' | 'all' | `same:${string}`;

const WAY_RE = /^(aToB|bToA|axis|all|same:.{1,2000})$/s;

export async function discreetTag(roundKey: MacKey, itemId: string, way: TagWay): Promise<Verdict<{ tag: Uint8Array }>> {
  if (!WAY_RE.test(way)) return { ok: false, reason: 'unknown tag way' };
  if (itemId.length === 0 || itemId.length > 64) return { ok: false, reason: 'an item id is 1 to 64 characters' };
  const tag = await subtle().sign('HMAC', roundKey.mac, encodeParts(SEALED_DOMAIN, TAG_LABEL, itemId, way));
  return { ok: true, tag: new Uint8Array(tag) };
}

/** A tag that matches nothing: the same size and distribution as a real one to anyone without the key. */
export const decoyTag = (random: Random = cryptoRandom): Uint8Array => random(TAG_BYTES);

/** Byte order (the order of a tag set). */
export function compareBytes(x: Uint8Array, y: Uint8Array): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}

/**
 * The set a client uploads for one section and round: its real tags and decoys, `size` in all,
 * sorted by value. Sorted, because the order of a list built in template order would tell the
 * server which positions are real; sorted pseudorandom values say nothing.
 */
export function paddedTagSet(tags: readonly Uint8Array[], size: number, random: Random = cryptoRandom): Verdict<{ tags: Uint8Array[] }> {
  if (tags.some((tag) => tag.length !== TAG_BYTES)) return { ok: false, reason: 'a tag is 32 bytes' };
  if (!Number.isInteger(size) || tags.length > size) return { ok: false, reason: 'more tags than the set holds' };
  const set = [...tags];
  while (set.length < size) set.push(decoyTag(random));
  return { ok: true, tags: set.sort(compareBytes) };
}
