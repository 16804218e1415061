import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RATINGS } from '@parley/shared/protocol/answers';
import type { Rating } from '@parley/shared/protocol/answers';
import { classifyDirection, hasMatch, readItem, toTalkAbout } from '@parley/shared/reveal/directions';
import type { DirectionClass } from '@parley/shared/reveal/directions';
import { defaultTemplate } from '@parley/shared/template/default';
import { findQuestion } from '@parley/shared/template/schema';
import type { Question } from '@parley/shared/template/schema';

function question(id: string): Question {
  const q = findQuestion(defaultTemplate, id);
  if (!q) throw new Error(`no item ${id}`);
  return q;
}
const dual = question('impact_hand');
const single = question('debrief_again');

describe('classifyDirection (the direction model)', () => {
  const table: [Rating | undefined, Rating | undefined, DirectionClass][] = [
    ['favourite', 'yes', 'match'],
    ['yes_for_you', 'favourite', 'match'],
    ['yes_for_you', 'yes_for_you', 'pleasing'],
    ['yes', 'curious', 'maybe'],
    ['unsure', 'favourite', 'maybe'],
    ['yes', 'fantasy_only', 'maybe'],
    ['yes', 'not_now', 'difference'],
    ['not_now', 'yes_for_you', 'difference'],
    ['yes', 'hard_limit', 'limit'],
    ['curious', 'unsure', 'explore'],
    ['fantasy_only', 'fantasy_only', 'explore'],
    ['hard_limit', 'hard_limit', 'neither'],
    ['hard_limit', 'curious', 'neither'],
    ['not_now', 'not_now', 'neither'],
    ['curious', 'not_now', 'neither'],
    ['hard_limit', undefined, 'unanswered'],
    ['yes', undefined, 'unanswered'],
    [undefined, undefined, 'unanswered'],
  ];
  it.each(table)('DI1 %s with %s is %s', (x, y, expected) => {
    expect(classifyDirection(x, y)).toBe(expected);
  });

  it('DI2 is symmetric for every pair of ratings', () => {
    const rating = fc.option(fc.constantFrom(...RATINGS), { nil: undefined });
    fc.assert(fc.property(rating, rating, (x, y) => classifyDirection(x, y) === classifyDirection(y, x)));
  });
});

describe('readItem', () => {
  it('DI3 classes each direction of a dual item on its own: the complementary D/s item is a match', () => {
    const reading = readItem(dual, { giving: 'yes', receiving: 'hard_limit' }, { giving: 'hard_limit', receiving: 'yes' });
    expect(reading.lines.map((l) => [l.way, l.cls])).toEqual([
      ['aToB', 'match'],
      ['bToA', 'neither'],
    ]);
    expect(reading.hardLimits).toEqual({ a: [{ field: 'receiving' }], b: [{ field: 'giving' }] });
    expect(hasMatch(reading)).toBe(true);
    expect(toTalkAbout(reading)).toBe(false);
  });

  it('DI4 reads the giver and receiver of each direction', () => {
    const reading = readItem(dual, { giving: 'yes', receiving: 'curious' }, { giving: 'favourite', receiving: 'not_now' });
    expect(reading.lines).toEqual([
      { way: 'aToB', cls: 'difference', giver: 'yes', receiver: 'not_now' },
      { way: 'bToA', cls: 'maybe', giver: 'favourite', receiver: 'curious' },
    ]);
    expect(toTalkAbout(reading)).toBe(true);
  });

  it('DI5 gives a rating item one axis, and never a class for a one-sided hard limit', () => {
    expect(readItem(single, { rating: 'yes' }, { rating: 'favourite' }).lines).toEqual([{ way: 'axis', cls: 'match', giver: 'yes', receiver: 'favourite' }]);
    const limit = readItem(single, undefined, { rating: 'hard_limit' });
    expect(limit.lines[0]?.cls).toBe('unanswered');
    expect(limit.hardLimits.b).toEqual([{ field: 'rating' }]);
  });

  it('DI6 marks choice, multi and scale items same or different; text has no class', () => {
    expect(readItem(question('arrival_energy'), { scale: 3 }, { scale: 3 }).compare).toBe('same');
    expect(readItem(question('arrival_energy'), { scale: 3 }, { scale: 4 }).compare).toBe('different');
    expect(readItem(question('frame_roles'), { choices: ['dominant'] }, { choices: ['submissive'] }).compare).toBe('different');
    expect(readItem(question('frame_roles'), { choices: ['a', 'b'] }, { choices: ['b', 'a'] }).compare).toBe('same');
    expect(readItem(question('safety_safeword'), { text: 'red' }, { text: 'red' }).compare).toBeNull();
    const talkOnly = question('arrival_talk_only');
    if (talkOnly.type !== 'choice') throw new Error('arrival_talk_only is a choice');
    const [first, second] = talkOnly.options;
    const reading = readItem(talkOnly, { choice: first?.id }, { choice: second?.id });
    expect(reading.compare).toBe('different');
    expect(toTalkAbout(reading)).toBe(true);
  });
});
