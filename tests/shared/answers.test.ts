import { describe, expect, it } from 'vitest';
import { Answer, CONDITIONS, EXPERIENCE_LEVELS, RATINGS, readAnswer } from '@parley/shared/protocol/answers';

/**
 * `readAnswer` checks values by hand (the zod schema was most of a reveal's projection cost);
 * the schema stays the specification, so the two must agree on every input.
 */
const bySchema = (value: unknown) => {
  const parsed = Answer.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

// A small deterministic generator, so a failure reproduces.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ODD_VALUES: unknown[] = [
  undefined, null, 0, 1, 3, 5, 6, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 60,
  '', 'yes', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(2_000), 'x'.repeat(2_001), 'x'.repeat(10_001),
  true, false, [], ['yes'], {}, { a: 1 }, new Uint8Array([1, 2]),
  ...RATINGS, ...EXPERIENCE_LEVELS, ...CONDITIONS,
  [...CONDITIONS], [...CONDITIONS, CONDITIONS[0]], ['only_with_you', 'nope'], ['a', 'b'],
  Array.from({ length: 50 }, () => 'a'), Array.from({ length: 51 }, () => 'a'), ['x'.repeat(101)], [1, 2],
];
const FIELDS = ['rating', 'giving', 'receiving', 'choice', 'choices', 'scale', 'text', 'experience', 'conditions', 'note', 'updatedAt', 'smuggled'];

describe('readAnswer', () => {
  it('AN1 agrees with the Answer schema on non-objects and edge values', () => {
    const inputs: unknown[] = [...ODD_VALUES, [{ giving: 'yes' }]];
    for (const field of FIELDS) for (const value of ODD_VALUES) inputs.push({ [field]: value });
    for (const input of inputs) expect(readAnswer(input), JSON.stringify(input)).toEqual(bySchema(input));
  });

  it('AN2 agrees with the Answer schema on random answers', () => {
    const next = rng(12);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    for (let i = 0; i < 5_000; i++) {
      const input: Record<string, unknown> = {};
      const n = Math.floor(next() * 5);
      for (let k = 0; k < n; k++) input[pick(FIELDS)] = pick(ODD_VALUES);
      expect(readAnswer(input), JSON.stringify(input)).toEqual(bySchema(input));
    }
  });

  it('AN3 strips unknown fields and copies arrays', () => {
    const choices = ['a'];
    const read = readAnswer({ giving: 'yes', choices, smuggled: 'secret', updatedAt: 5 });
    expect(read).toStrictEqual({ giving: 'yes', choices: ['a'], updatedAt: 5 });
    expect(read?.choices).not.toBe(choices);
  });

  it('AN4 reads inherited fields like the schema does', () => {
    const input = Object.create({ giving: 'yes' }) as object;
    expect(readAnswer(input)).toEqual(bySchema(input));
  });
});
