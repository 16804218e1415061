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

/** Reads an untrusted value from a private doc; anything malformed becomes `undefined`. */
export function readAnswer(value: unknown): Answer | undefined {
  // Most items of a section are unanswered: skip building a ZodError for what must fail anyway.
  if (value === undefined) return undefined;
  const parsed = Answer.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
