import fc from 'fast-check';
import { CONDITIONS, EXPERIENCE_LEVELS, RATINGS } from '@parley/shared/protocol/answers';
import { findQuestion } from '@parley/shared/template/schema';
import type { Question, Template } from '@parley/shared/template/schema';

/**
 * Arbitrary private-doc answers in which every free-form string is a unique canary, so a
 * privacy test can assert that a given answer left no trace anywhere in an output.
 */

/** Where a canary sits; only `text` and `note` can legitimately survive a projection. */
export type CanaryField = 'text' | 'note' | 'choice' | 'choices' | 'extra' | 'key';

export interface Canary {
  value: string;
  seat: 'a' | 'b';
  itemId: string;
  field: CanaryField;
}

export interface GeneratedAnswers {
  a: Record<string, unknown>;
  b: Record<string, unknown>;
  canaries: Canary[];
}

// Blanks and yeses are common, so mutual items and lone yeses facing a blank both get exercised.
const rating = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.constantFrom(...(['favourite', 'yes', 'yes_for_you'] as const)), weight: 3 },
  { arbitrary: fc.constantFrom(...RATINGS), weight: 3 },
);

/** The shape of one answer; canary strings are filled in later so each is unique. */
const answerShape = fc.record({
  rating,
  giving: rating,
  receiving: rating,
  choice: fc.constantFrom('none', 'valid', 'canary'),
  choices: fc.constantFrom('none', 'valid', 'canary'),
  // 0 and 6 fail the answer schema: the whole answer must vanish.
  scale: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  text: fc.boolean(),
  note: fc.boolean(),
  extra: fc.boolean(),
  experience: fc.option(fc.constantFrom(...EXPERIENCE_LEVELS), { nil: undefined }),
  conditions: fc.subarray([...CONDITIONS]),
  // A malformed answer must vanish entirely (readAnswer fails), canaries included.
  malformed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type AnswerShape = ValueOf<typeof answerShape>;

// Half the picks land on a pool's first six items, so both partners often answer the same item.
const entry = fc.record({ pick: fc.oneof(fc.nat({ max: 5 }), fc.nat()), local: fc.boolean(), shape: answerShape });
type Entry = ValueOf<typeof entry>;

/** Item ids that are not in any template; "constructor" probes prototype lookups. */
export const UNKNOWN_ITEM_IDS = ['unknown_item', 'constructor', 'hasOwnProperty', 'zz-not-here'];

export function seatAnswers(size: 'small' | 'medium' = 'medium'): fc.Arbitrary<Entry[]> {
  return fc.array(entry, { maxLength: 40, size });
}

/**
 * Turns generated entries into two answer maps. `local` entries pick an item of `sectionId`
 * (so partners often answer the same items), the others any item or an unknown id.
 */
export function materialize(
  template: Template,
  sectionId: string,
  entries: { a: Entry[]; b: Entry[] },
  /** alphanumeric; distinct per call when several calls feed one test */
  prefix = '',
): GeneratedAnswers {
  const local = template.sections.find((s) => s.id === sectionId)?.items.map((q) => q.id) ?? [];
  const universe = [...template.sections.flatMap((s) => s.items.map((q) => q.id)), ...UNKNOWN_ITEM_IDS];
  let counter = 0;
  // Starts with CNRY and ends at the only Z, so no canary is a substring of another.
  const next = () => `CNRY${prefix}x${++counter}Z`;
  const out: GeneratedAnswers = { a: {}, b: {}, canaries: [] };
  for (const seat of ['a', 'b'] as const) {
    const byItem = new Map<string, AnswerShape>();
    for (const e of entries[seat]) {
      const pool = e.local && local.length > 0 ? local : universe;
      byItem.set(pool[e.pick % pool.length] as string, e.shape);
    }
    for (const [itemId, shape] of byItem) {
      const question = findQuestion(template, itemId);
      const { value, canaries } = buildAnswer(shape, question, next);
      out[seat][itemId] = value;
      out.canaries.push(...canaries.map((c) => ({ ...c, seat, itemId })));
    }
  }
  return out;
}

function buildAnswer(
  shape: AnswerShape,
  question: Question | undefined,
  next: () => string,
): { value: Record<string, unknown>; canaries: { value: string; field: CanaryField }[] } {
  const canaries: { value: string; field: CanaryField }[] = [];
  const canary = (field: CanaryField) => {
    const value = next();
    canaries.push({ value, field });
    return value;
  };
  const options = question && 'options' in question ? question.options.map((o) => o.id) : ['opt_x'];
  const value: Record<string, unknown> = { updatedAt: 1_700_000_000_000 };
  if (shape.rating) value.rating = shape.rating;
  if (shape.giving) value.giving = shape.giving;
  if (shape.receiving) value.receiving = shape.receiving;
  if (shape.choice === 'valid') value.choice = options[0];
  if (shape.choice === 'canary') value.choice = canary('choice');
  if (shape.choices === 'valid') value.choices = [...options].reverse();
  if (shape.choices === 'canary') value.choices = [options[0], canary('choices')];
  if (shape.scale !== undefined) value.scale = shape.scale;
  if (shape.text) value.text = `text ${canary('text')}`;
  if (shape.note) value.note = `note ${canary('note')}`;
  if (shape.extra) {
    value.extra = canary('extra');
    value[canary('key')] = 'smuggled';
  }
  if (shape.experience) value.experience = shape.experience;
  if (shape.conditions.length > 0) value.conditions = shape.conditions;
  if (shape.malformed) value.rating = 'definitely-not-a-rating';
  return { value, canaries };
}
