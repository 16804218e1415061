import { describe, expect, it } from 'vitest';
import { projectItem, projectSection, readItemAnswer } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { findQuestion } from '@parley/shared/template/schema';
import type { Question } from '@parley/shared/template/schema';

const template = defaultTemplate;

function question(id: string): Question {
  const q = findQuestion(template, id);
  if (!q) throw new Error(`no item ${id}`);
  return q;
}

const reveal = (sectionId: string, mode: 'full' | 'discreet', a: Record<string, unknown>, b: Record<string, unknown>) =>
  projectSection({ template, sectionId, round: 1, mode, a, b });

describe('readItemAnswer', () => {
  it('PJ1 keeps only the fields the question asks for', () => {
    const answer = { rating: 'yes', giving: 'favourite', receiving: 'curious', text: 'x', note: 'n', secret: 's', updatedAt: 5 };
    expect(readItemAnswer(question('impact_hand'), answer)).toEqual({
      giving: 'favourite',
      receiving: 'curious',
      note: 'n',
      updatedAt: 5,
    });
    // debrief_feeling is a scale without note: only the scale survives
    expect(readItemAnswer(question('debrief_feeling'), { scale: 4, note: 'n', text: 't' })).toEqual({ scale: 4 });
  });

  it('PJ2 accepts only declared options, in option order, without duplicates', () => {
    expect(readItemAnswer(question('arrival_time'), { choice: 'not-an-option' })).toBeUndefined();
    expect(readItemAnswer(question('arrival_time'), { choice: 'open' })).toEqual({ choice: 'open' });
    expect(readItemAnswer(question('frame_medium'), { choices: ['text', 'bogus', 'video', 'text'] })).toEqual({
      choices: ['video', 'text'],
    });
  });

  it('PJ3 treats malformed, empty and content-free answers as unanswered', () => {
    const text = question('arrival_feeling');
    expect(readItemAnswer(text, { text: 'fine', rating: 'maybe' })).toBeUndefined();
    expect(readItemAnswer(text, { text: '   ' })).toBeUndefined();
    expect(readItemAnswer(text, { updatedAt: 3 })).toBeUndefined();
    expect(readItemAnswer(text, 'just a string')).toBeUndefined();
    expect(readItemAnswer(text, null)).toBeUndefined();
    expect(readItemAnswer(question('arrival_energy'), { scale: 9 })).toBeUndefined();
  });
});

describe('projectSection, full mode (R1 reveal)', () => {
  it('PJ4 shows both answers of the section’s items as they are', () => {
    const revealed = reveal(
      'activities',
      'full',
      { impact_hand: { giving: 'yes', note: 'gently' }, restraint_rope: { receiving: 'hard_limit' } },
      { impact_hand: { receiving: 'curious', experience: 'some' } },
    );
    expect(revealed).toEqual({
      round: 1,
      a: { impact_hand: { giving: 'yes', note: 'gently' }, restraint_rope: { receiving: 'hard_limit' } },
      b: { impact_hand: { receiving: 'curious', experience: 'some' } },
      changed: {},
    });
  });

  it('PJ5 ignores answers to other sections’ items and to unknown items', () => {
    const revealed = reveal(
      'frame',
      'full',
      { frame_span: { choice: 'one_scene' }, limits_hard: { text: 'secret' }, constructor: { text: 'x' } },
      { impact_hand: { giving: 'yes' }, made_up: { text: 'y' } },
    );
    expect(revealed.a).toEqual({ frame_span: { choice: 'one_scene' } });
    expect(revealed.b).toEqual({});
  });

  it('PJ6 omits items neither partner answered and drops malformed answers', () => {
    const revealed = reveal('arrival', 'full', { arrival_energy: { scale: 'high' } }, {});
    expect(revealed.a).toEqual({});
    expect(revealed.b).toEqual({});
  });

  it('PJ7 refuses an unknown section', () => {
    expect(() => reveal('nope', 'full', {}, {})).toThrow(/unknown section/);
  });
});

describe('projectSection, discreet mode (R2 discreet reveal)', () => {
  it('PJ8 shows a matching direction’s two ratings; the note only when every direction is shared', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', note: 'a note', conditions: ['check_in_first'] }, impact_paddle: { giving: 'yes', receiving: 'yes', note: 'both ways' } },
      { impact_hand: { receiving: 'favourite' }, impact_paddle: { giving: 'favourite', receiving: 'yes_for_you' } },
    );
    expect(revealed.a.impact_hand).toEqual({ giving: 'yes', conditions: ['check_in_first'] });
    expect(revealed.b.impact_hand).toEqual({ receiving: 'favourite' });
    expect(revealed.a.impact_paddle).toEqual({ giving: 'yes', receiving: 'yes', note: 'both ways' });
  });

  it('PJ9 shows the complementary D/s item as a match one way and nothing of the other way', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', receiving: 'hard_limit' } },
      { impact_hand: { giving: 'hard_limit', receiving: 'yes' } },
    );
    // each hard limit is its owner's, and the match shows in full
    expect(revealed.a.impact_hand).toEqual({ giving: 'yes', receiving: 'hard_limit' });
    expect(revealed.b.impact_hand).toEqual({ giving: 'hard_limit', receiving: 'yes' });
  });

  it('PJ10 lists nothing of maybes, differences, blanks or a lone yes, and counts them', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', note: 'keen' }, impact_paddle: { giving: 'favourite' }, impact_flogger: { giving: 'yes' } },
      { impact_hand: { receiving: 'curious' }, impact_paddle: { receiving: 'not_now', note: 'not yet' } },
    );
    expect(revealed.a).toEqual({});
    expect(revealed.b).toEqual({});
    expect(revealed.notShared).toBe(defaultTemplate.sections.find((x) => x.id === 'activities')?.items.length);
  });

  it('PJ11 shows a hard limit as its owner’s, never the partner’s answer on that item', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { restraint_gag: { receiving: 'hard_limit', note: 'breathing' } },
      { restraint_gag: { giving: 'yes', note: 'keen' } },
    );
    expect(revealed.a.restraint_gag).toEqual({ receiving: 'hard_limit' });
    expect(revealed.b.restraint_gag).toBeUndefined();
  });

  it('PJ12 shows safety-critical sections in full, whatever the ratings, without a count', () => {
    const revealed = reveal(
      'safety',
      'discreet',
      { safety_safeword: { text: 'pineapple' } },
      { safety_check_in_cadence: { choice: 'often' } },
    );
    expect(revealed.a.safety_safeword).toEqual({ text: 'pineapple' });
    expect(revealed.b.safety_check_in_cadence).toEqual({ choice: 'often' });
    expect(revealed.notShared).toBeUndefined();
  });

  it('PJ13 shows written answers in full, and a choice only when both chose the same', () => {
    const revealed = reveal('frame', 'discreet', { frame_roles: { choices: ['switch'] } }, { frame_scope: { text: 'a weekend' } });
    expect(revealed.a.frame_roles).toBeUndefined();
    expect(revealed.b.frame_scope).toEqual({ text: 'a weekend' });
    const differ = reveal('frame', 'discreet', { frame_roles: { choices: ['switch'] } }, { frame_roles: { choices: ['dominant'] } });
    expect(differ.a.frame_roles).toBeUndefined();
    expect(differ.b.frame_roles).toBeUndefined();
    const same = reveal('frame', 'discreet', { frame_roles: { choices: ['switch'] } }, { frame_roles: { choices: ['switch'] } });
    expect(same.a.frame_roles).toEqual({ choices: ['switch'] });
    expect(same.b.frame_roles).toEqual({ choices: ['switch'] });
  });

  it('PJ14 shows a rating item of an ordinary section only when both are positive', () => {
    const hidden = reveal('debrief', 'discreet', { debrief_again: { rating: 'yes' } }, { debrief_again: { rating: 'unsure' } });
    expect(hidden.a.debrief_again).toBeUndefined();
    expect(hidden.b.debrief_again).toBeUndefined();
    const shown = reveal('debrief', 'discreet', { debrief_again: { rating: 'yes' } }, { debrief_again: { rating: 'favourite' } });
    expect(shown.a.debrief_again).toEqual({ rating: 'yes' });
  });
});

describe('projectItem (mirroring a change after the reveal)', () => {
  it('PJ15 mirrors a change towards no at once', () => {
    const item = { template, itemId: 'impact_hand' };
    expect(projectItem({ ...item, mode: 'discreet', a: { giving: 'yes' }, b: { receiving: 'yes' } })).toEqual({
      a: { giving: 'yes' },
      b: { receiving: 'yes' },
    });
    expect(projectItem({ ...item, mode: 'discreet', a: { giving: 'not_now' }, b: { receiving: 'yes' }, sharedBefore: new Set(['aToB'] as const) })).toEqual({});
    expect(projectItem({ ...item, mode: 'full', a: { giving: 'not_now' } })).toEqual({ a: { giving: 'not_now' } });
  });

  it('PJ16 holds back a direction that became shared after a discreet reveal, but not a new hard limit', () => {
    const item = { template, itemId: 'impact_hand', mode: 'discreet' as const };
    const probe = projectItem({ ...item, a: { giving: 'yes', note: 'x' }, b: { receiving: 'yes' }, sharedBefore: new Set() });
    expect(probe).toEqual({});
    const limit = projectItem({ ...item, a: { giving: 'yes' }, b: { giving: 'hard_limit' }, sharedBefore: new Set() });
    expect(limit).toEqual({ b: { giving: 'hard_limit' } });
    const still = projectItem({ ...item, a: { giving: 'favourite' }, b: { receiving: 'yes' }, sharedBefore: new Set(['aToB'] as const) });
    expect(still).toEqual({ a: { giving: 'favourite' }, b: { receiving: 'yes' } });
  });

  it('PJ17 returns nothing for unknown or unanswered items', () => {
    expect(projectItem({ template, itemId: 'nope', mode: 'full', a: { text: 'x' } })).toEqual({});
    expect(projectItem({ template, itemId: 'impact_hand', mode: 'discreet' })).toEqual({});
  });
});
