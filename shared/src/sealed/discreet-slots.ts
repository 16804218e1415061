import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Seat } from '../protocol/ids';
import type { Verdict } from '../protocol/verdict';
import { isPositive, WAY_FIELDS, waysOf } from '../reveal/directions';
import { isDiscreetItem, readItemAnswer, type UntrustedAnswers } from '../reveal/project';
import type { Question, Section } from '../template/schema';
import type { MacKey } from './keys';
import { discreetTag, paddedTagSet, type TagWay } from './tags';
import { cryptoRandom, type Random } from './webcrypto';

/**
 * Which discreet tags a seat uploads for a section (docs/sealed-rooms.md §6), read from the same
 * direction model as the standard discreet reveal (`reveal/directions.ts`, `sharedWays`), so the
 * blind intersection of two seats' tags is exactly what a standard discreet room shares.
 *
 * Slots per discreet item: a dual rating has `aToB`, `bToA` and `all` (both directions shared,
 * which releases the note and experience); a single rating has `axis` (its one direction, which
 * releases them too); choice, multi and scale have one `same:` slot. Text answers and `alwaysFull`
 * sections are not matched: they travel in the full-mode escrow.
 */
export function slotCount(section: Section): number {
  let count = 0;
  for (const question of section.items) {
    if (!isDiscreetItem(section, question)) continue;
    count += question.type === 'dual_rating' ? 3 : 1;
  }
  return count;
}

/** The ways in which this seat's own answer is positive (or, for choices, what it chose). */
export function ownTagWays(question: Question, seat: Seat, untrusted: unknown): TagWay[] {
  const answer = readItemAnswer(question, untrusted);
  if (!answer) return [];
  const ways = waysOf(question);
  if (ways.length > 0) {
    const positive: TagWay[] = ways.filter((way) => isPositive(answer[WAY_FIELDS[way][seat]]));
    return question.type === 'dual_rating' && positive.length === ways.length ? [...positive, 'all'] : positive;
  }
  // Answers are canonical once read (a multi's choices in option order, no duplicates), so equal
  // selections give equal JSON; hashed so that a long selection still makes a short way.
  const value = question.type === 'choice' ? answer.choice : question.type === 'multi' ? answer.choices : question.type === 'scale' ? answer.scale : undefined;
  return value === undefined ? [] : [`same:${bytesToHex(sha256(utf8ToBytes(JSON.stringify([question.type, value]))))}`];
}

export interface SectionTags {
  /** what is uploaded: `slotCount` tags, real and decoy, sorted */
  tags: Uint8Array[];
  /** the seat's own real tags (hex) and what each stands for; never uploaded */
  mine: Map<string, { itemId: string; way: TagWay }>;
}

export async function sectionTags(roundKey: MacKey, section: Section, seat: Seat, answers: UntrustedAnswers, random: Random = cryptoRandom): Promise<Verdict<SectionTags>> {
  const mine: SectionTags['mine'] = new Map();
  const real: Uint8Array[] = [];
  for (const question of section.items) {
    if (!isDiscreetItem(section, question)) continue;
    const value = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    for (const way of ownTagWays(question, seat, value)) {
      const tag = await discreetTag(roundKey, question.id, way);
      if (!tag.ok) return tag;
      real.push(tag.tag);
      mine.set(bytesToHex(tag.tag), { itemId: question.id, way });
    }
  }
  const set = paddedTagSet(real, slotCount(section), random);
  return set.ok ? { ok: true, tags: set.tags, mine } : set;
}
