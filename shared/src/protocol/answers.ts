import { z } from 'zod';

export const RATINGS = [
  'favourite',
  'yes',
  'yes_for_you',
  'curious',
  'fantasy_only',
  'not_now',
  'hard_limit',
  'unsure',
] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

export const EXPERIENCE_LEVELS = ['none', 'some', 'lots'] as const;
export const Experience = z.enum(EXPERIENCE_LEVELS);
export type Experience = z.infer<typeof Experience>;

export const CONDITIONS = [
  'only_with_you',
  'check_in_first',
  'light_only',
  'sober_only',
  'not_on_camera',
] as const;
export const Condition = z.enum(CONDITIONS);
export type Condition = z.infer<typeof Condition>;

/**
 * One answer to one item, as stored in a private doc's `answers` map (set as a whole value).
 * Unknown fields are stripped when the server reads it: a client cannot smuggle data into a reveal.
 */
export const Answer = z.object({
  rating: Rating.optional(),
  giving: Rating.optional(),
  receiving: Rating.optional(),
  choice: z.string().max(100).optional(),
  choices: z.array(z.string().max(100)).max(50).optional(),
  scale: z.number().int().min(1).max(5).optional(),
  text: z.string().max(10_000).optional(),
  experience: Experience.optional(),
  conditions: z.array(Condition).max(CONDITIONS.length).optional(),
  note: z.string().max(2_000).optional(),
  updatedAt: z.number().optional(),
});
export type Answer = z.infer<typeof Answer>;

/** itemId → answer */
export type Answers = Record<string, Answer>;

const RATING_SET: ReadonlySet<unknown> = new Set(RATINGS);
const EXPERIENCE_SET: ReadonlySet<unknown> = new Set(EXPERIENCE_LEVELS);
const CONDITION_SET: ReadonlySet<unknown> = new Set(CONDITIONS);

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** Every index, holes included (a hole reads as `undefined`, as in the schema). */
function listOf(v: unknown, max: number, ok: (item: unknown) => boolean): v is unknown[] {
  if (!Array.isArray(v) || v.length > max) return false;
  for (let i = 0; i < v.length; i++) if (!ok(v[i])) return false;
  return true;
}

/**
 * Reads an untrusted value from a private doc; anything malformed becomes `undefined`.
 *
 * Checked by hand, field for field what `Answer` accepts (tests/shared/answers.test.ts holds
 * the two to the same answers): a reveal reads every item of a section from both private
 * docs, and `Answer.safeParse` was most of the projection's CPU.
 */
export function readAnswer(value: unknown): Answer | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { rating, giving, receiving, choice, choices, scale, text, experience, conditions, note, updatedAt } = value as Record<string, unknown>;
  const out: Answer = {};
  if (rating !== undefined) {
    if (!RATING_SET.has(rating)) return undefined;
    out.rating = rating as Rating;
  }
  if (giving !== undefined) {
    if (!RATING_SET.has(giving)) return undefined;
    out.giving = giving as Rating;
  }
  if (receiving !== undefined) {
    if (!RATING_SET.has(receiving)) return undefined;
    out.receiving = receiving as Rating;
  }
  if (choice !== undefined) {
    if (!isText(choice, 100)) return undefined;
    out.choice = choice;
  }
  if (choices !== undefined) {
    if (!listOf(choices, 50, (c) => isText(c, 100))) return undefined;
    out.choices = [...(choices as string[])];
  }
  if (scale !== undefined) {
    if (typeof scale !== 'number' || !Number.isSafeInteger(scale) || scale < 1 || scale > 5) return undefined;
    out.scale = scale;
  }
  if (text !== undefined) {
    if (!isText(text, 10_000)) return undefined;
    out.text = text;
  }
  if (experience !== undefined) {
    if (!EXPERIENCE_SET.has(experience)) return undefined;
    out.experience = experience as Experience;
  }
  if (conditions !== undefined) {
    if (!listOf(conditions, CONDITIONS.length, (c) => CONDITION_SET.has(c))) return undefined;
    out.conditions = [...(conditions as Condition[])];
  }
  if (note !== undefined) {
    if (!isText(note, 2_000)) return undefined;
    out.note = note;
  }
  if (updatedAt !== undefined) {
    if (typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) return undefined;
    out.updatedAt = updatedAt;
  }
  return out;
}
