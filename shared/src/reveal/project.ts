import { CONDITIONS, readAnswer } from '../protocol/answers';
import type { Answer, Rating } from '../protocol/answers';
import { ParleyError } from '../protocol/errors';
import type { RevealMode } from '../protocol/http';
import type { RevealedAnswer, RevealedSection } from '../protocol/room-doc';
import { findQuestion, findSection, sectionOfItem } from '../template/schema';
import type { Question, Section, Template } from '../template/schema';
import { compare, directionLine, hardLimitsOf, isShared, WAY_FIELDS, waysOf } from './directions';
import type { RatingField, Way } from './directions';

/**
 * The reveal projection: what of two private answer sets may be copied into the room doc
 * that both partners read. This is the core privacy promise, so everything is re-read here
 * from untrusted input and only fields the question actually asks for survive.
 */

/** Private-doc answers as read from Yjs: untrusted values keyed by item id. */
export type UntrustedAnswers = Readonly<Record<string, unknown>>;

// Own properties only: an item id like "constructor" must not read Object.prototype.
const own = (answers: UntrustedAnswers, id: string): unknown =>
  Object.hasOwn(answers, id) ? answers[id] : undefined;

/**
 * Reads one untrusted answer for `question`: malformed → undefined; fields the question does
 * not use are dropped (a rating item carries no `text`, a choice must be one of its options).
 * An answer with no content left counts as unanswered.
 */
export function readItemAnswer(question: Question, value: unknown): Answer | undefined {
  const raw = readAnswer(value);
  if (!raw) return undefined;
  const out: Answer = {};
  switch (question.type) {
    case 'rating':
      if (raw.rating) out.rating = raw.rating;
      break;
    case 'dual_rating':
      if (raw.giving) out.giving = raw.giving;
      if (raw.receiving) out.receiving = raw.receiving;
      break;
    case 'choice':
      if (raw.choice !== undefined && question.options.some((o) => o.id === raw.choice)) {
        out.choice = raw.choice;
      }
      break;
    case 'multi': {
      // Option order, no duplicates: the same selection always projects to the same value.
      const chosen = new Set(raw.choices ?? []);
      const choices = question.options.filter((o) => chosen.has(o.id)).map((o) => o.id);
      if (choices.length > 0) out.choices = choices;
      break;
    }
    case 'scale':
      if (raw.scale !== undefined && raw.scale >= question.min && raw.scale <= question.max) {
        out.scale = raw.scale;
      }
      break;
    case 'text':
      if (raw.text !== undefined && raw.text.trim() !== '') out.text = raw.text;
      break;
  }
  if (question.experience && raw.experience) out.experience = raw.experience;
  if (question.conditions && raw.conditions && raw.conditions.length > 0) {
    const given = new Set(raw.conditions);
    out.conditions = CONDITIONS.filter((c) => given.has(c));
  }
  if (question.note && raw.note !== undefined && raw.note.trim() !== '') out.note = raw.note;
  if (Object.keys(out).length === 0) return undefined;
  if (raw.updatedAt !== undefined) out.updatedAt = raw.updatedAt;
  return out;
}

/**
 * Reads a value already in `room.revealed` (written by the server, read back as plain JSON).
 * A value no longer shaped like an answer (such as the `{offTable:true}` marker of rooms
 * revealed before the direction model) reads as nothing.
 */
export function readRevealedAnswer(question: Question, value: unknown): RevealedAnswer | undefined {
  return readItemAnswer(question, value);
}

export interface ProjectItemInput {
  template: Template;
  itemId: string;
  mode: RevealMode;
  a?: unknown;
  b?: unknown;
  /**
   * Discreet mirroring after the reveal: the ways this item shared until now. A way that
   * becomes shared later waits for the next round (a change towards yes is not mirrored).
   */
  sharedBefore?: ReadonlySet<Way>;
}

export interface ProjectedItem {
  a?: RevealedAnswer;
  b?: RevealedAnswer;
}

const SEATS = ['a', 'b'] as const;

/**
 * Discreet mode for a yes/no item: each shared direction (both sides positive) shows both of
 * its ratings; each seat's own hard limits show as theirs, with nothing of the other seat.
 * Conditions come along with a shared direction; the note and experience only when every
 * direction of the item is shared (a note may speak about the other direction). No
 * `updatedAt`: when someone last touched an item says something about how they answered it.
 */
function discreetItem(question: Question, answers: { a?: Answer; b?: Answer }, sharedBefore?: ReadonlySet<Way>): ProjectedItem {
  const out: { a: Answer; b: Answer } = { a: {}, b: {} };
  const ways = waysOf(question);
  let shared = 0;
  for (const way of ways) {
    if (!isShared(directionLine(way, answers.a, answers.b).cls)) continue;
    if (sharedBefore && !sharedBefore.has(way)) continue;
    const fields = WAY_FIELDS[way];
    setRating(out.a, fields.a, answers.a?.[fields.a]);
    setRating(out.b, fields.b, answers.b?.[fields.b]);
    shared += 1;
  }
  for (const seat of SEATS) {
    for (const { field } of hardLimitsOf(question, answers[seat])) setRating(out[seat], field, 'hard_limit');
    const answer = answers[seat];
    if (shared === 0 || !answer) continue;
    if (answer.conditions) out[seat].conditions = answer.conditions;
    if (shared === ways.length) {
      if (answer.experience) out[seat].experience = answer.experience;
      if (answer.note !== undefined) out[seat].note = answer.note;
    }
  }
  const result: ProjectedItem = {};
  if (Object.keys(out.a).length > 0) result.a = out.a;
  if (Object.keys(out.b).length > 0) result.b = out.b;
  return result;
}

/**
 * Discreet mode for a `choice`, `multi` or `scale` item: both answers show only when they are
 * the same (a match, read on its one axis); otherwise nothing of either, so a different
 * choice says nothing of what the partner chose, or whether they answered at all.
 */
function discreetComparable(question: Question, answers: { a?: Answer; b?: Answer }, sharedBefore?: ReadonlySet<Way>): ProjectedItem {
  if (compare(question, answers.a, answers.b) !== 'same') return {};
  if (sharedBefore && !sharedBefore.has('axis')) return {};
  const strip = (answer: Answer | undefined): Answer | undefined => {
    if (!answer) return undefined;
    const { updatedAt: _when, ...rest } = answer;
    return rest;
  };
  const a = strip(answers.a);
  const b = strip(answers.b);
  return { ...(a ? { a } : {}), ...(b ? { b } : {}) };
}

function setRating(answer: Answer, field: RatingField, rating: Rating | undefined): void {
  if (rating !== undefined) answer[field] = rating;
}

/**
 * What a discreet room's revealed answers show as shared for one item: the shared directions
 * of a yes/no item; `axis` for a choice, multi or scale item answered the same by both.
 */
export function sharedWays(question: Question, a?: Answer, b?: Answer): Set<Way> {
  if (waysOf(question).length === 0) return new Set(compare(question, a, b) === 'same' ? ['axis'] : []);
  return new Set(waysOf(question).filter((way) => isShared(directionLine(way, a, b).cls)));
}

/**
 * Discreet mode hides a partner's answers on every item that can match — yes/no items by
 * direction, choice, multi and scale items by being the same — outside the safety-critical
 * (`alwaysFull`) sections. Text answers have no match to find and show in full.
 */
export function isDiscreetItem(section: Section, question: Question): boolean {
  return !section.alwaysFull && question.type !== 'text';
}

/** What the reveal shows of one item; `{}` for unknown items or when nothing is shown. */
export function projectItem(input: ProjectItemInput): ProjectedItem {
  const question = findQuestion(input.template, input.itemId);
  const section = sectionOfItem(input.template, input.itemId);
  if (!question || !section) return {};
  const a = readItemAnswer(question, input.a);
  const b = readItemAnswer(question, input.b);
  if (!a && !b) return {};
  if (input.mode === 'discreet' && isDiscreetItem(section, question)) {
    const answers = { ...(a ? { a } : {}), ...(b ? { b } : {}) };
    return waysOf(question).length > 0 ? discreetItem(question, answers, input.sharedBefore) : discreetComparable(question, answers, input.sharedBefore);
  }
  const out: ProjectedItem = {};
  if (a) out.a = a;
  if (b) out.b = b;
  return out;
}

/**
 * Discreet: how many items of the section that can match share nothing in `revealed`,
 * answered or not, so the count says nothing about which items anyone answered.
 */
export function countNotShared(section: Section, revealed: Pick<RevealedSection, 'a' | 'b'>): number {
  let count = 0;
  for (const question of section.items) {
    if (!isDiscreetItem(section, question)) continue;
    const a = readRevealedAnswer(question, own(revealed.a, question.id));
    const b = readRevealedAnswer(question, own(revealed.b, question.id));
    if (sharedWays(question, a, b).size === 0) count += 1;
  }
  return count;
}

export interface ProjectSectionInput {
  template: Template;
  sectionId: string;
  round: number;
  mode: RevealMode;
  a: UntrustedAnswers;
  b: UntrustedAnswers;
}


/** What `room.revealed[sectionId]` holds after the reveal. Only that section's items are read. */
export function projectSection(input: ProjectSectionInput): RevealedSection {
  const section = findSection(input.template, input.sectionId);
  if (!section) throw new ParleyError('not_found', `unknown section "${input.sectionId}"`);
  const revealed: RevealedSection = { round: input.round, a: {}, b: {}, changed: {} };
  for (const question of section.items) {
    const item = projectItem({
      template: input.template,
      itemId: question.id,
      mode: input.mode,
      a: own(input.a, question.id),
      b: own(input.b, question.id),
    });
    if (item.a) revealed.a[question.id] = item.a;
    if (item.b) revealed.b[question.id] = item.b;
  }
  if (input.mode === 'discreet' && !section.alwaysFull) revealed.notShared = countNotShared(section, revealed);
  return revealed;
}
