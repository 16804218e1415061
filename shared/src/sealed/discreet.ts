import { bytesToHex } from '@noble/hashes/utils.js';
import type { Answer } from '../protocol/answers';
import type { Seat } from '../protocol/ids';
import type { RevealedSection, SealedRevealedSection } from '../protocol/room-doc';
import type { Verdict } from '../protocol/verdict';
import { hardLimitsOf, isPositive, WAY_FIELDS, waysOf } from '../reveal/directions';
import { isDiscreetItem, projectSection, readItemAnswer, type UntrustedAnswers } from '../reveal/project';
import { findSection, type Question, type Section, type Template } from '../template/schema';
import { concatBytes, utf8Bytes } from './bytes';
import { pieceSlot } from './contexts';
import { splitEqual, type DiscreetUpload } from './discreet-release';
import { sectionTags, type SectionTags } from './discreet-slots';
import { EnvelopeKind, openEnvelope, sealEnvelope } from './envelope';
import { openEscrow, padToFloor, parseJson, sealOwnSide, type EscrowWriter, type SealEscrowInput } from './escrow';
import { bucketFor } from './padding';
import type { MacKey } from './keys';
import type { PairKeys } from './pair';
import { DISCREET_TAG_BYTES, ENVELOPE_OVERHEAD, MAX_PIECE_BYTES } from './sizes';
import type { TagWay } from './tags';
import { cryptoRandom, type Random } from './webcrypto';

/**
 * Discreet mode in a sealed room, the client's half (docs/sealed-rooms.md §6). `sealDiscreet`
 * builds what a seat uploads with `section:ready`: its padded tag set, one piece per tag (decoys
 * included, all one size, seqs in the order of the sorted tags) and the always envelope.
 * `openDiscreet` opens what the server released: the partner's pieces of exactly the tags this
 * seat holds too, and the partner's always envelope, and shows what the standard discreet
 * reveal would show. Pure: keys in, bytes or answers out.
 *
 * A piece carries one way: a direction's rating and the item's conditions (a single rating's
 * axis also its experience); `all` the experience; `same:` the whole answer. Notes are in no
 * piece: they follow after the release as note pieces, which are not built, so a sealed discreet
 * reveal shows no note of a discreet item (neither seat's).
 */

/** The always envelope's floor per item of the section: hard limits are short. */
export const ALWAYS_BYTES_PER_ITEM = 32;
const PIECE_FORMAT = 1;

/** As an escrow's input (`SealEscrowInput`), with the round keys; nothing is marked changed. */
export interface SealDiscreetInput extends Omit<SealEscrowInput, 'pairKeys' | 'changed' | 'writer'> {
  pairKeys: Pick<PairKeys, 'escrow' | 'roundKey'>;
  /** pieces take `seq` … `seq + N − 1`, the always envelope `seq + N` */
  writer: EscrowWriter;
  random?: Random;
}

export interface SealedDiscreet {
  /** what `section:ready` carries as `discreet` */
  upload: DiscreetUpload;
  /** the seat's own real tags (hex) and what each stands for; never uploaded */
  mine: SectionTags['mine'];
  /** the highest seq used (the always envelope's) */
  lastSeq: number;
}

const own = (answers: UntrustedAnswers, id: string): unknown => (Object.hasOwn(answers, id) ? answers[id] : undefined);

/** What a piece of `way` shows of `seat`'s answer (the fields the standard discreet reveal shows with that way). */
function pieceAnswer(question: Question, seat: Seat, way: TagWay, answer: Answer): Answer {
  if (way === 'all') return answer.experience ? { experience: answer.experience } : {};
  if (way.startsWith('same:')) {
    const { note: _note, updatedAt: _when, ...rest } = answer;
    return rest;
  }
  const field = WAY_FIELDS[way as 'aToB' | 'bToA' | 'axis'][seat];
  const out: Answer = {};
  const rating = answer[field];
  if (rating !== undefined) out[field] = rating;
  if (answer.conditions) out.conditions = answer.conditions;
  if (waysOf(question).length === 1 && answer.experience) out.experience = answer.experience;
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => concatBytes(...parts);

/**
 * The seat's discreet upload for a section's round, from its own answers only: tags from the
 * direction model (`sectionTags`), a piece for every tag (an empty one for each decoy) sealed
 * with `escrow[seat]` for the tag's `pieceSlot`, all padded to the bucket of the longest, and
 * the always envelope (`escrowSlot`, kind `escrow`). Refuses (never throws) a section that is
 * not matched blind, or an answer too large for a piece.
 */
export async function sealDiscreet(input: SealDiscreetInput): Promise<Verdict<SealedDiscreet>> {
  const section = findSection(input.template, input.sectionId);
  if (!section || section.alwaysFull) return { ok: false, reason: 'not a section of discreet matching' };
  const roundKey = await input.pairKeys.roundKey(input.sectionId, input.round);
  const tags = await sectionTags(roundKey, section, input.seat, input.answers, input.random ?? cryptoRandom);
  if (!tags.ok) return tags;
  const questions = new Map(section.items.map((q) => [q.id, q]));
  const payloads = tags.tags.map((tag) => {
    const slot = tags.mine.get(bytesToHex(tag));
    const question = slot && questions.get(slot.itemId);
    const answer = question && readItemAnswer(question, own(input.answers, question.id));
    const shown = slot && question && answer ? pieceAnswer(question, input.seat, slot.way, answer) : {};
    return utf8Bytes(JSON.stringify({ v: PIECE_FORMAT, answer: shown }));
  });
  const bucket = bucketFor(Math.max(0, ...payloads.map((p) => p.length)));
  if (bucket === null || bucket + ENVELOPE_OVERHEAD > MAX_PIECE_BYTES) return { ok: false, reason: 'an answer is too large for a piece' };
  const pieces: Uint8Array[] = [];
  for (const [i, tag] of tags.tags.entries()) {
    const slot = pieceSlot(input.roomId, input.sectionId, input.round, input.seat, bytesToHex(tag));
    if (!slot.ok) return slot;
    const payload = padToFloor(payloads[i] as Uint8Array, bucket - 4);
    if (!payload) return { ok: false, reason: 'an answer is too large for a piece' };
    const sealed = await sealEnvelope(input.pairKeys.escrow[input.seat], { kind: EnvelopeKind.piece, sender: input.writer.sender, seq: input.writer.seq + i, context: slot.context }, payload, input.random ?? cryptoRandom);
    if (!sealed.ok) return sealed;
    pieces.push(sealed.envelope);
  }
  const lastSeq = input.writer.seq + tags.tags.length;
  const always = await sealOwnSide({ ...input, writer: { sender: input.writer.sender, seq: lastSeq } }, 'discreet', ALWAYS_BYTES_PER_ITEM);
  if (!always.ok) return always;
  return { ok: true, upload: { tags: concat(tags.tags), pieces: concat(pieces), always: always.envelope }, mine: tags.mine, lastSeq };
}

export interface OpenDiscreetInput {
  pairKeys: Pick<PairKeys, 'escrow' | 'roundKey'>;
  roomId: string;
  sectionId: string;
  /** the seat opening: its partner's pieces and always envelope are read */
  seat: Seat;
  /** this seat's own answers now (its private doc) */
  answers: UntrustedAnswers;
  template: Template;
  /** `revealed[sectionId]` as the room doc holds it */
  released: SealedRevealedSection;
}

export interface OpenedDiscreet {
  /** what the standard discreet reveal shows of both seats (no notes of discreet items), `notShared` included */
  revealed: RevealedSection;
  /** how many tags matched (what the server learnt too) */
  matched: number;
  /** the partner's pieces or always envelope that did not open or validate ("could not be read") */
  unreadable: number;
}

/**
 * One seat's side of a released discreet section, read from what the server released: its pieces
 * of the released tags that `input.seat` holds now (from `input.answers`), each opened with
 * `escrow[side]` for exactly its slot and keeping only the fields of that way and a positive
 * rating, and its always envelope's hard limits and written answers.
 */
async function releasedSide(input: OpenDiscreetInput, section: Section, side: Seat): Promise<Verdict<{ answers: Record<string, Answer>; unreadable: number; count: number }>> {
  const { released } = input;
  const release = released.discreet;
  if (!release || !(release.tags instanceof Uint8Array) || release.tags.length % DISCREET_TAG_BYTES !== 0) return { ok: false, reason: 'not a discreet release' };
  const count = release.tags.length / DISCREET_TAG_BYTES;
  const tags = splitEqual(release.tags, count) ?? [];
  const pieces = splitEqual(release[side], count);
  const answers: Record<string, Answer> = {};
  let unreadable = 0;

  const always = await openEscrow({ pairKeys: input.pairKeys, roomId: input.roomId, sectionId: input.sectionId, round: released.round, seat: side, envelope: released[side], template: input.template });
  if (always.ok) {
    for (const question of section.items) {
      const answer = Object.hasOwn(always.answers, question.id) ? always.answers[question.id] : undefined;
      if (!answer) continue;
      if (!isDiscreetItem(section, question)) answers[question.id] = answer;
      else {
        const limits = hardLimitsOf(question, answer);
        if (limits.length === 0) continue;
        const next: Answer = { ...answers[question.id] };
        for (const { field } of limits) next[field] = 'hard_limit';
        answers[question.id] = next;
      }
    }
  } else unreadable += 1;

  const roundKey = await input.pairKeys.roundKey(input.sectionId, released.round);
  const mine = await sectionTags(roundKey, section, input.seat, input.answers);
  if (!mine.ok) return mine;
  if (!pieces) unreadable += count;
  const questions = new Map(section.items.map((q) => [q.id, q]));
  for (const [i, tag] of tags.entries()) {
    const hex = bytesToHex(tag);
    const slot = mine.mine.get(hex);
    const question = slot && questions.get(slot.itemId);
    if (!slot || !question || !pieces) continue;
    const context = pieceSlot(input.roomId, input.sectionId, released.round, side, hex);
    if (!context.ok) return context;
    const opened = await openEnvelope(input.pairKeys.escrow[side], pieces[i], context.context, { kinds: [EnvelopeKind.piece], maxBytes: MAX_PIECE_BYTES });
    const body = opened.ok ? parseJson(opened.payload) : undefined;
    const value = typeof body === 'object' && body !== null && !Array.isArray(body) && (body as { v?: unknown }).v === PIECE_FORMAT ? (body as { answer?: unknown }).answer : undefined;
    const answer = readItemAnswer(question, value);
    if (!opened.ok || value === undefined) {
      unreadable += 1;
      continue;
    }
    if (!answer) continue;
    const shown = pieceAnswer(question, side, slot.way, answer);
    if (slot.way !== 'all' && !slot.way.startsWith('same:') && !isPositive(shown[WAY_FIELDS[slot.way as 'aToB' | 'bToA' | 'axis'][side]])) continue;
    answers[question.id] = { ...answers[question.id], ...shown };
  }
  return { ok: true, answers, unreadable, count };
}

/**
 * This seat's own side of a released discreet section as its partner's client reads it: its own
 * pieces of the released tags it still holds, and its own always envelope. A client passes these,
 * not its current answers, as `answers` to `openDiscreet` to show (and hash) exactly what its
 * partner shows: a piece cannot be replaced after the release, so a change within yes (or of a
 * matched item's conditions) would otherwise show on one screen only. A change towards no still
 * shows at once (the tag is no longer held).
 */
export async function releasedOwnSide(input: OpenDiscreetInput): Promise<Verdict<{ answers: Record<string, Answer>; unreadable: number }>> {
  const section = findSection(input.template, input.sectionId);
  if (!section || section.alwaysFull) return { ok: false, reason: 'not a section of discreet matching' };
  const side = await releasedSide(input, section, input.seat);
  return side.ok ? { ok: true, answers: side.answers, unreadable: side.unreadable } : side;
}

/**
 * Opens the partner's side of a released discreet section. Only pieces of the tags this seat
 * holds itself now (its own current answers, `sectionTags`) are opened, each with
 * `escrow[partner]` for exactly that tag's slot (tag, seat and round in the context), and read
 * with the projection's bounded reader, keeping only the fields that way shows and only a
 * positive rating. The partner's always envelope gives only its hard limits and written answers.
 * Both seats' answers then go through the standard discreet projection, so what shows is what a
 * standard discreet room shows. Never throws: what does not open or validate counts as unreadable.
 */
export async function openDiscreet(input: OpenDiscreetInput): Promise<Verdict<OpenedDiscreet>> {
  const section = findSection(input.template, input.sectionId);
  if (!section || section.alwaysFull) return { ok: false, reason: 'not a section of discreet matching' };
  const { released } = input;
  const partner: Seat = input.seat === 'a' ? 'b' : 'a';
  const side = await releasedSide(input, section, partner);
  if (!side.ok) return side;
  const { answers: theirs, unreadable, count } = side;

  // Own answers of the section, without the notes of discreet items (no note pieces yet: neither seat's shows).
  const mineNow: Record<string, unknown> = {};
  for (const question of section.items) {
    const answer = readItemAnswer(question, own(input.answers, question.id));
    if (!answer) continue;
    if (isDiscreetItem(section, question)) {
      const { note: _note, ...rest } = answer;
      mineNow[question.id] = rest;
    } else mineNow[question.id] = answer;
  }
  const both = input.seat === 'a' ? { a: mineNow, b: theirs } : { a: theirs, b: mineNow };
  const revealed = projectSection({ template: input.template, sectionId: input.sectionId, round: released.round, mode: 'discreet', ...both });
  return { ok: true, revealed, matched: count, unreadable };
}

/**
 * The tag set a seat sends with `section:tags` after the release, once its answers changed: the
 * uploaded set without each real tag its answers no longer hold (a change towards no). Decoys
 * stay (the server already knows which tags matched). A change towards yes adds nothing: the
 * server would refuse it, and it waits for the next round, with new round keys.
 */
export async function shrinkTags(roundKey: MacKey, section: Section, seat: Seat, uploaded: Uint8Array, before: SectionTags['mine'], answers: UntrustedAnswers): Promise<Uint8Array> {
  const now = await sectionTags(roundKey, section, seat, answers);
  const held: ReadonlySet<string> = new Set(now.ok ? now.mine.keys() : []);
  const kept = (splitEqual(uploaded, uploaded.length / DISCREET_TAG_BYTES) ?? []).filter((tag) => {
    const hex = bytesToHex(tag);
    return !before.has(hex) || held.has(hex);
  });
  return concat(kept);
}
