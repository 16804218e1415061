import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RATINGS } from '@parley/shared/protocol/answers';
import type { Rating } from '@parley/shared/protocol/answers';
import { classifyDirections, classifyItem, classifyRatings, mostSerious } from '@parley/shared/reveal/classify';
import type { MatchClass } from '@parley/shared/reveal/classify';
import { findQuestion } from '@parley/shared/template/schema';
import { defaultTemplate } from '@parley/shared/template/default';
import type { Question } from '@parley/shared/template/schema';

function question(id: string): Question {
  const q = findQuestion(defaultTemplate, id);
  if (!q) throw new Error(`no item ${id}`);
  return q;
}
const dual = question('impact_hand');
const single = question('debrief_again');

const POSITIVE: Rating[] = ['favourite', 'yes', 'yes_for_you'];
const TENTATIVE: Rating[] = ['curious', 'unsure', 'fantasy_only'];

describe('classifyRatings (reveal match classes)', () => {
  const table: [Rating | undefined, Rating | undefined, MatchClass | null][] = [
    ['favourite', 'yes', 'mutual'],
    ['yes_for_you', 'yes_for_you', 'mutual'],
    ['yes', 'curious', 'one_sided'],
    ['unsure', 'favourite', 'one_sided'],
    ['yes', 'fantasy_only', 'one_sided'],
    ['yes', 'not_now', 'mismatch'],
    ['not_now', 'yes_for_you', 'mismatch'],
    ['yes', 'hard_limit', 'limit'],
    ['hard_limit', 'hard_limit', 'limit'],
    ['hard_limit', 'curious', 'limit'],
    ['hard_limit', undefined, 'limit'],
    [undefined, 'hard_limit', 'limit'],
    ['yes', undefined, null],
    [undefined, undefined, null],
    ['curious', 'unsure', null],
    ['curious', 'not_now', null],
    ['not_now', 'not_now', null],
  ];
  it.each(table)('%s × %s → %s', (x, y, expected) => {
    expect(classifyRatings(x, y)).toBe(expected);
  });

  it('covers every pair of ratings symmetrically', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RATINGS), fc.constantFrom(...RATINGS), (x, y) => {
        const cls = classifyRatings(x, y);
        expect(classifyRatings(y, x)).toBe(cls);
        if (x === 'hard_limit' || y === 'hard_limit') expect(cls).toBe('limit');
        else if (POSITIVE.includes(x) && POSITIVE.includes(y)) expect(cls).toBe('mutual');
        else if (!POSITIVE.includes(x) && !POSITIVE.includes(y)) expect(cls).toBeNull();
        else if (TENTATIVE.includes(x) || TENTATIVE.includes(y)) expect(cls).toBe('one_sided');
        else expect(cls).toBe('mismatch');
      }),
    );
  });
});

describe('classifyItem', () => {
  it('classifies a rating item by its two ratings', () => {
    expect(classifyItem(single, { rating: 'yes' }, { rating: 'favourite' })).toBe('mutual');
    expect(classifyItem(single, { rating: 'yes' }, undefined)).toBeNull();
    expect(classifyItem(single, undefined, { rating: 'hard_limit' })).toBe('limit');
  });

  it('pairs giving with the partner’s receiving for a dual item', () => {
    expect(classifyItem(dual, { giving: 'yes' }, { receiving: 'favourite' })).toBe('mutual');
    // a gives yes, b does not want to receive it: the direction that matters is a mismatch
    expect(classifyItem(dual, { giving: 'yes', receiving: 'yes' }, { giving: 'yes', receiving: 'not_now' })).toBe(
      'mismatch',
    );
    expect(classifyItem(dual, { giving: 'yes' }, { giving: 'yes' })).toBeNull();
    expect(classifyItem(dual, { giving: 'yes', receiving: 'curious' }, { giving: 'favourite', receiving: 'yes' })).toBe(
      'one_sided',
    );
    expect(classifyDirections({ giving: 'yes', receiving: 'curious' }, { giving: 'favourite', receiving: 'yes' })).toEqual(
      { aToB: 'mutual', bToA: 'one_sided' },
    );
  });

  it('is a limit whenever any of the four ratings is a hard limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom(...RATINGS), { nil: undefined }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (ratings, hardAt) => {
          ratings[hardAt] = 'hard_limit';
          const [ag, ar, bg, br] = ratings;
          expect(classifyItem(dual, { giving: ag, receiving: ar }, { giving: bg, receiving: br })).toBe('limit');
        },
      ),
    );
  });

  it('takes the most serious direction', () => {
    expect(mostSerious(['mutual', null, 'one_sided'])).toBe('one_sided');
    expect(mostSerious(['mismatch', 'one_sided', 'mutual'])).toBe('mismatch');
    expect(mostSerious([null, null])).toBeNull();
  });

  it('gives non-rating questions no class', () => {
    expect(classifyItem(question('arrival_energy'), { scale: 3 }, { scale: 3 })).toBeNull();
    expect(classifyItem(question('safety_safeword'), { text: 'red' }, { text: 'red' })).toBeNull();
    expect(classifyItem(question('frame_roles'), { choices: ['dominant'] }, { choices: ['submissive'] })).toBeNull();
  });
});
