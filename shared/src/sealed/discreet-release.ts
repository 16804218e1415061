import type { Verdict } from '../protocol/verdict';
import { concatBytes } from './bytes';
import { EnvelopeKind, MAX_ESCROW_BYTES, parseEnvelope } from './envelope';
import { DISCREET_TAG_BYTES, MAX_PIECE_BYTES } from './sizes';
import { compareBytes } from './tags';

/**
 * Discreet mode in a sealed room, the part without keys (docs/sealed-rooms.md §6): what the
 * server checks of a seat's upload, how it keeps it, and the blind release. The server sees
 * tags (32 random-looking bytes each), pieces (envelopes of one size) and the always envelope;
 * it compares tags by byte equality and learns how many matched, nothing else.
 */

/** What `section:ready` carries in a sealed discreet section (the wire shape: tags and pieces concatenated). */
export interface DiscreetUpload {
  /** N tags of 32 bytes, sorted, distinct: N × 32 bytes */
  tags: Uint8Array;
  /** N pieces (envelopes of kind `piece`, all one size), in the order of the tags */
  pieces: Uint8Array;
  /** an envelope of kind `escrow`: the seat's own hard limits and written answers */
  always: Uint8Array;
}

/** One seat's stored set for a section's round: `count` tags, each with its piece of `pieceBytes`. */
export interface DiscreetSet extends DiscreetUpload {
  count: number;
  pieceBytes: number;
}

const tagAt = (set: Pick<DiscreetSet, 'tags'>, i: number): Uint8Array => set.tags.subarray(i * DISCREET_TAG_BYTES, (i + 1) * DISCREET_TAG_BYTES);
const pieceAt = (set: DiscreetSet, i: number): Uint8Array => set.pieces.subarray(i * set.pieceBytes, (i + 1) * set.pieceBytes);

const concat = (parts: readonly Uint8Array[]): Uint8Array => concatBytes(...parts);

/** Tags as a list of 32-byte views, or why not: not bytes, not a multiple of 32, not sorted and distinct. */
function readTags(tags: unknown): Verdict<{ tags: Uint8Array; count: number }> {
  if (!(tags instanceof Uint8Array)) return { ok: false, reason: 'the tags are not bytes' };
  if (tags.length % DISCREET_TAG_BYTES !== 0) return { ok: false, reason: `a tag is ${DISCREET_TAG_BYTES} bytes` };
  const count = tags.length / DISCREET_TAG_BYTES;
  for (let i = 1; i < count; i++) {
    if (compareBytes(tagAt({ tags }, i - 1), tagAt({ tags }, i)) >= 0) return { ok: false, reason: 'the tags are not sorted and distinct' };
  }
  return { ok: true, tags, count };
}

/**
 * Checks a seat's upload for a section of `slots` slots, strictly: exactly `slots` tags, sorted
 * and distinct; `slots` pieces, each a well-formed envelope of kind `piece` of one and the same
 * size (at most `MAX_PIECE_BYTES`); the always envelope of kind `escrow`. Copies what it keeps.
 */
export function checkDiscreetUpload(upload: DiscreetUpload, slots: number): Verdict<{ set: DiscreetSet }> {
  const tags = readTags(upload.tags);
  if (!tags.ok) return tags;
  if (tags.count !== slots) return { ok: false, reason: `this section has ${slots} slots: send ${slots} tags, decoys included` };
  if (!(upload.pieces instanceof Uint8Array)) return { ok: false, reason: 'the pieces are not bytes' };
  const pieceBytes = slots === 0 ? 0 : upload.pieces.length / slots;
  if (!Number.isInteger(pieceBytes) || (slots > 0 && pieceBytes === 0)) return { ok: false, reason: 'one piece per tag, all of one size' };
  const set: DiscreetSet = { count: slots, pieceBytes, tags: new Uint8Array(upload.tags), pieces: new Uint8Array(upload.pieces), always: new Uint8Array(0) };
  for (let i = 0; i < slots; i++) {
    const parsed = parseEnvelope(pieceAt(set, i), { kinds: [EnvelopeKind.piece], maxBytes: MAX_PIECE_BYTES });
    if (!parsed.ok) return { ok: false, reason: `piece ${i + 1} is not a well-formed piece: ${parsed.reason}` };
  }
  const always = parseEnvelope(upload.always, { kinds: [EnvelopeKind.escrow], maxBytes: MAX_ESCROW_BYTES });
  if (!always.ok) return { ok: false, reason: `the always envelope is not well-formed: ${always.reason}` };
  return { ok: true, set: { ...set, always: new Uint8Array(upload.always) } };
}

/**
 * After the release a seat's set may only shrink (no probing within a round): `tags` must be
 * sorted, distinct and every one of them in `stored`, by byte equality. The result keeps the
 * stored pieces of the tags that stay.
 */
export function shrinkDiscreetSet(stored: DiscreetSet, tags: unknown): Verdict<{ set: DiscreetSet }> {
  const next = readTags(tags);
  if (!next.ok) return next;
  const kept: number[] = [];
  let j = 0;
  for (let i = 0; i < next.count; i++) {
    const tag = tagAt(next, i);
    while (j < stored.count && compareBytes(tagAt(stored, j), tag) < 0) j++;
    if (j === stored.count || compareBytes(tagAt(stored, j), tag) !== 0) return { ok: false, reason: 'a tag can only be withdrawn in this round; a new one waits for the next round' };
    kept.push(j);
  }
  return {
    ok: true,
    set: {
      count: kept.length,
      pieceBytes: stored.pieceBytes,
      tags: concat(kept.map((k) => tagAt(stored, k))),
      pieces: concat(kept.map((k) => pieceAt(stored, k))),
      always: stored.always,
    },
  };
}

/** What the release puts beside both always envelopes: the common tags and, in their order, each seat's piece of each. */
export interface DiscreetRelease {
  tags: Uint8Array;
  a: Uint8Array;
  b: Uint8Array;
}

/** The blind intersection (byte equality of sorted sets) and both seats' pieces of every common tag. */
export function releaseDiscreet(a: DiscreetSet, b: DiscreetSet): DiscreetRelease {
  const tags: Uint8Array[] = [];
  const piecesA: Uint8Array[] = [];
  const piecesB: Uint8Array[] = [];
  let i = 0;
  let j = 0;
  while (i < a.count && j < b.count) {
    const order = compareBytes(tagAt(a, i), tagAt(b, j));
    if (order === 0) {
      tags.push(tagAt(a, i));
      piecesA.push(pieceAt(a, i));
      piecesB.push(pieceAt(b, j));
      i++;
      j++;
    } else if (order < 0) i++;
    else j++;
  }
  return { tags: concat(tags), a: concat(piecesA), b: concat(piecesB) };
}

/** The stored form of a set (one escrow row): count, piece size, tags, pieces, always. */
export function encodeDiscreetSet(set: DiscreetSet): Uint8Array {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint32(0, set.count);
  view.setUint32(4, set.pieceBytes);
  return concat([head, set.tags, set.pieces, set.always]);
}

/** Reads a stored set back; null for bytes that are not one (a full-mode escrow row, a broken row). */
export function decodeDiscreetSet(bytes: Uint8Array): DiscreetSet | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const count = view.getUint32(0);
  const pieceBytes = view.getUint32(4);
  const tagsEnd = 8 + count * DISCREET_TAG_BYTES;
  const piecesEnd = tagsEnd + count * pieceBytes;
  if (piecesEnd >= bytes.length) return null;
  return { count, pieceBytes, tags: bytes.subarray(8, tagsEnd), pieces: bytes.subarray(tagsEnd, piecesEnd), always: bytes.subarray(piecesEnd) };
}

/** Splits a released run of equal pieces (or of tags) into `count` parts; null when it does not divide. */
export function splitEqual(bytes: unknown, count: number): Uint8Array[] | null {
  if (!(bytes instanceof Uint8Array)) return null;
  if (count === 0) return bytes.length === 0 ? [] : null;
  const size = bytes.length / count;
  if (!Number.isInteger(size) || size === 0) return null;
  return Array.from({ length: count }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}
