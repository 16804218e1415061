import { CONDITIONS, readAnswer } from '../protocol/answers';
import type { Answer, Rating } from '../protocol/answers';
import { ParleyError } from '../protocol/errors';
import type { RevealMode } from '../protocol/http';
import type { OffTable, RevealedAnswer, RevealedSection } from '../protocol/room-doc';
import { findQuestion, findSection, sectionOfItem } from '../template/schema';
import type { Question, Section, Template } from '../template/schema';
import { classifyItem, isPositive } from './classify';

/**
 * The reveal projection: what of two private answer sets may be copied into the room doc
 * that both partners read. This is the core privacy promise, so everything is re-read here
 * from untrusted input and only fields the question actually asks for survive.
 */

/** Private-doc answers as read from Yjs: untrusted values keyed by item id. */
export type UntrustedAnswers = Readonly<Record<string, unknown>>;

const OFF_TABLE: OffTable = { offTable: true };

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
 * Reads a value already in `room.revealed` (written by the server, read back as plain JSON):
 * an off-table marker stays exactly `{offTable: true}`, anything else is re-read as an answer.
 */
export function readRevealedAnswer(question: Question, value: unknown): RevealedAnswer | undefined {
  if (typeof value === 'object' && value !== null && (value as { offTable?: unknown }).offTable === true) {
    return { ...OFF_TABLE };
  }
  return readItemAnswer(question, value);
}

/**
 * A mutual dual_rating item can still carry, in its other direction, a yes facing a blank
 * (which classifies as null, so it does not raise the item's class) or a not_now facing a
 * blank or a maybe. Showing the item in full would expose a one-sided yes or an attributed no.
 */
function hasHiddenSide(a?: Answer, b?: Answer): boolean {
  const ratings = [a?.giving, a?.receiving, b?.giving, b?.receiving];
  if (ratings.includes('not_now')) return true;
  const loneYes = (x?: Rating, y?: Rating) =>
    (isPositive(x) && y === undefined) || (isPositive(y) && x === undefined);
  return loneYes(a?.giving, b?.receiving) || loneYes(b?.giving, a?.receiving);
}

/**
 * Discreet mode shows an item in full when its section is safety-critical, when it is not a
 * yes/no question, or when it is a limit or a mutual yes with nothing hidden on its other
 * side. Everything else is off the table for both seats alike, so nobody learns who said no
 * or who said yes alone.
 */
function showsInFull(section: Section, question: Question, a?: Answer, b?: Answer): boolean {
  if (section.alwaysFull) return true;
  if (question.type !== 'rating' && question.type !== 'dual_rating') return true;
  const cls = classifyItem(question, a, b);
  if (cls === 'limit') return true;
  return cls === 'mutual' && !(question.type === 'dual_rating' && hasHiddenSide(a, b));
}

export interface ProjectItemInput {
  template: Template;
  itemId: string;
  mode: RevealMode;
  a?: unknown;
  b?: unknown;
}

export interface ProjectedItem {
  a?: RevealedAnswer;
  b?: RevealedAnswer;
}

/** What the reveal shows of one item; `{}` for unknown items or when neither answered. */
export function projectItem(input: ProjectItemInput): ProjectedItem {
  const question = findQuestion(input.template, input.itemId);
  const section = sectionOfItem(input.template, input.itemId);
  if (!question || !section) return {};
  const a = readItemAnswer(question, input.a);
  const b = readItemAnswer(question, input.b);
  if (!a && !b) return {};
  if (input.mode === 'discreet' && !showsInFull(section, question, a, b)) {
    return { a: { ...OFF_TABLE }, b: { ...OFF_TABLE } };
  }
  const out: ProjectedItem = {};
  if (a) out.a = a;
  if (b) out.b = b;
  return out;
}

export interface ProjectSectionInput {
  template: Template;
  sectionId: string;
  round: number;
  mode: RevealMode;
  a: UntrustedAnswers;
  b: UntrustedAnswers;
}

// Own properties only: an item id like "constructor" must not read Object.prototype.
const own = (answers: UntrustedAnswers, id: string): unknown =>
  Object.hasOwn(answers, id) ? answers[id] : undefined;

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
  return revealed;
}
