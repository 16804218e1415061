import type { Answer, Rating } from '../protocol/answers';
import type { Question } from '../template/schema';

/**
 * The one direction model every screen and export reads (reveal, its filters, the agreement,
 * Markdown / JSON exports). Power exchange is asymmetric, so a `dual_rating` item is two
 * directions, each classed on its own:
 *   aToB = a gives → b receives (a.giving with b.receiving)
 *   bToA = b gives → a receives (b.giving with a.receiving)
 * A `rating` item is one axis (a.rating with b.rating), classed the same way.
 *
 * Ratings fall into four groups:
 *   positive  = favourite, yes, yes_for_you (yes_for_you is a yes: "happy to, for your sake")
 *   tentative = curious, unsure, fantasy_only
 *   soft      = not_now
 *   hard      = hard_limit
 *
 * Two ratings of one direction class as:
 *   unanswered  either is blank
 *   pleasing    both yes_for_you: neither wants it for themselves (never a match)
 *   match       both positive
 *   maybe       one positive, the other tentative
 *   difference  one positive, the other not_now
 *   limit       one positive, the other hard_limit
 *   explore     both tentative
 *   neither     otherwise: no positive on either side (both saying no is agreement)
 *
 * A hard limit is a fact about one person (`hardLimits`), not a class that swallows the item:
 * a Dominant who gives Yes and receives Hard limit, with a submissive who gives Hard limit and
 * receives Yes, is a match one way and neither the other.
 * `choice`, `multi` and `scale` items are `same` or `different`; `text` has no class.
 */
export const DIRECTION_CLASSES = ['match', 'pleasing', 'maybe', 'difference', 'limit', 'explore', 'neither', 'unanswered'] as const;
export type DirectionClass = (typeof DIRECTION_CLASSES)[number];

export const COMPARE_CLASSES = ['same', 'different', 'unanswered'] as const;
export type CompareClass = (typeof COMPARE_CLASSES)[number];

/** Classes the "to talk about" filter and the agreement's talking list hold. */
export const TALK_CLASSES: ReadonlySet<DirectionClass | CompareClass> = new Set<DirectionClass | CompareClass>([
  'difference',
  'limit',
  'maybe',
  'pleasing',
  'explore',
  'different',
]);

const POSITIVE: ReadonlySet<Rating> = new Set<Rating>(['favourite', 'yes', 'yes_for_you']);
const TENTATIVE: ReadonlySet<Rating> = new Set<Rating>(['curious', 'unsure', 'fantasy_only']);

export const isPositive = (r: Rating | undefined): boolean => r !== undefined && POSITIVE.has(r);
export const isTentative = (r: Rating | undefined): boolean => r !== undefined && TENTATIVE.has(r);

/** One direction (or a rating item's one axis). Symmetric in its two arguments. */
export function classifyDirection(x?: Rating, y?: Rating): DirectionClass {
  if (x === undefined || y === undefined) return 'unanswered';
  if (x === 'yes_for_you' && y === 'yes_for_you') return 'pleasing';
  const px = isPositive(x);
  const py = isPositive(y);
  if (px && py) return 'match';
  if (!px && !py) return isTentative(x) && isTentative(y) ? 'explore' : 'neither';
  const other = px ? y : x;
  if (other === 'not_now') return 'difference';
  if (other === 'hard_limit') return 'limit';
  return 'maybe';
}

/** Both sides positive: what a discreet reveal shares (a match, or both only for the other). */
export const isShared = (cls: DirectionClass): boolean => cls === 'match' || cls === 'pleasing';

/** Which way a line of the reveal runs: a dual item's two directions, or a rating item's axis. */
export type Way = 'aToB' | 'bToA' | 'axis';

export interface DirectionLine {
  way: Way;
  cls: DirectionClass;
  /** the rating of the giving side (the axis: a's rating) */
  giver?: Rating;
  /** the rating of the receiving side (the axis: b's rating) */
  receiver?: Rating;
}

/** The answer fields a way reads, per seat. */
export const WAY_FIELDS = {
  aToB: { a: 'giving', b: 'receiving' },
  bToA: { a: 'receiving', b: 'giving' },
  axis: { a: 'rating', b: 'rating' },
} as const satisfies Record<Way, { a: RatingField; b: RatingField }>;

export type RatingField = 'rating' | 'giving' | 'receiving';

/** The ways an item of this type has (none for choice, multi, scale, text). */
export function waysOf(question: Question): readonly Way[] {
  if (question.type === 'dual_rating') return ['aToB', 'bToA'];
  if (question.type === 'rating') return ['axis'];
  return [];
}

export function directionLine(way: Way, a?: Answer, b?: Answer): DirectionLine {
  const fields = WAY_FIELDS[way];
  const x = a?.[fields.a];
  const y = b?.[fields.b];
  // aToB: a gives; bToA: b gives. The axis keeps a's rating as `giver` by convention.
  const [giver, receiver] = way === 'bToA' ? [y, x] : [x, y];
  return { way, cls: classifyDirection(x, y), ...(giver ? { giver } : {}), ...(receiver ? { receiver } : {}) };
}

/** A hard limit of one seat on one item: which side of the item it is on. */
export interface HardLimit {
  field: RatingField;
}

export function hardLimitsOf(question: Question, answer?: Answer): HardLimit[] {
  if (!answer) return [];
  const fields: readonly RatingField[] =
    question.type === 'dual_rating' ? ['giving', 'receiving'] : question.type === 'rating' ? ['rating'] : [];
  return fields.filter((f) => answer[f] === 'hard_limit').map((field) => ({ field }));
}

/** `choice`, `multi`, `scale`: the same answer or a different one; null for the other types. */
export function compare(question: Question, a?: Answer, b?: Answer): CompareClass | null {
  switch (question.type) {
    case 'choice':
      if (a?.choice === undefined || b?.choice === undefined) return 'unanswered';
      return a.choice === b.choice ? 'same' : 'different';
    case 'multi': {
      if (!a?.choices?.length || !b?.choices?.length) return 'unanswered';
      const mine = new Set(a.choices);
      return a.choices.length === b.choices.length && b.choices.every((c) => mine.has(c)) ? 'same' : 'different';
    }
    case 'scale':
      if (a?.scale === undefined || b?.scale === undefined) return 'unanswered';
      return a.scale === b.scale ? 'same' : 'different';
    default:
      return null;
  }
}

/** Everything the reveal, its filters and the agreement know about one item. */
export interface ItemReading {
  /** one per way the item has: two for dual_rating, one for rating, none otherwise */
  lines: DirectionLine[];
  /** choice, multi, scale: same or different; null for the others */
  compare: CompareClass | null;
  hardLimits: { a: HardLimit[]; b: HardLimit[] };
}

export function readItem(question: Question, a?: Answer, b?: Answer): ItemReading {
  return {
    lines: waysOf(question).map((way) => directionLine(way, a, b)),
    compare: compare(question, a, b),
    hardLimits: { a: hardLimitsOf(question, a), b: hardLimitsOf(question, b) },
  };
}

/** The ways of an item that match: what the "matches" filter and the agreement list. */
export const matchingWays = (reading: ItemReading): Way[] =>
  reading.lines.filter((l) => l.cls === 'match').map((l) => l.way);

export const hasMatch = (reading: ItemReading): boolean => reading.lines.some((l) => l.cls === 'match');

/** Differences, limits, maybes, pleasing, explore, or different choices: worth a conversation. */
export const toTalkAbout = (reading: ItemReading): boolean =>
  reading.lines.some((l) => TALK_CLASSES.has(l.cls)) || (reading.compare !== null && TALK_CLASSES.has(reading.compare));
