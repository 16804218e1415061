import { describe, expect, it } from 'vitest';
import { projectItem, projectSection, readItemAnswer } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { findQuestion } from '@parley/shared/template/schema';
import type { Question } from '@parley/shared/template/schema';

const template = defaultTemplate;
const OFF = { offTable: true };

function question(id: string): Question {
  const q = findQuestion(template, id);
  if (!q) throw new Error(`no item ${id}`);
  return q;
}

const reveal = (sectionId: string, mode: 'full' | 'discreet', a: Record<string, unknown>, b: Record<string, unknown>) =>
  projectSection({ template, sectionId, round: 1, mode, a, b });

describe('readItemAnswer', () => {
  it('keeps only the fields the question asks for', () => {
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

  it('accepts only declared options, in option order, without duplicates', () => {
    expect(readItemAnswer(question('arrival_time'), { choice: 'not-an-option' })).toBeUndefined();
    expect(readItemAnswer(question('arrival_time'), { choice: 'open' })).toEqual({ choice: 'open' });
    expect(readItemAnswer(question('frame_medium'), { choices: ['text', 'bogus', 'video', 'text'] })).toEqual({
      choices: ['video', 'text'],
    });
  });

  it('treats malformed, empty and content-free answers as unanswered', () => {
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
  it('shows both answers of the section’s items as they are', () => {
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

  it('ignores answers to other sections’ items and to unknown items', () => {
    const revealed = reveal(
      'frame',
      'full',
      { frame_span: { choice: 'one_scene' }, limits_hard: { text: 'secret' }, constructor: { text: 'x' } },
      { impact_hand: { giving: 'yes' }, made_up: { text: 'y' } },
    );
    expect(revealed.a).toEqual({ frame_span: { choice: 'one_scene' } });
    expect(revealed.b).toEqual({});
  });

  it('omits items neither partner answered and drops malformed answers', () => {
    const revealed = reveal('arrival', 'full', { arrival_energy: { scale: 'high' } }, {});
    expect(revealed.a).toEqual({});
    expect(revealed.b).toEqual({});
  });

  it('refuses an unknown section', () => {
    expect(() => reveal('nope', 'full', {}, {})).toThrow(/unknown section/);
  });
});

describe('projectSection, discreet mode (R2 discreet reveal)', () => {
  it('shows mutual yeses in full', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', note: 'a note' } },
      { impact_hand: { receiving: 'favourite' } },
    );
    expect(revealed.a.impact_hand).toEqual({ giving: 'yes', note: 'a note' });
    expect(revealed.b.impact_hand).toEqual({ receiving: 'favourite' });
  });

  it('puts one-sided yeses and mismatches off the table for both seats', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', note: 'keen' }, impact_paddle: { giving: 'favourite' } },
      { impact_hand: { receiving: 'curious' }, impact_paddle: { receiving: 'not_now', note: 'not yet' } },
    );
    expect(revealed.a).toEqual({ impact_hand: OFF, impact_paddle: OFF });
    expect(revealed.b).toEqual({ impact_hand: OFF, impact_paddle: OFF });
  });

  it('gives both seats the marker even when only one answered, so nobody learns who', () => {
    const revealed = reveal('activities', 'discreet', { impact_hand: { giving: 'yes' } }, {});
    expect(revealed.a.impact_hand).toEqual(OFF);
    expect(revealed.b.impact_hand).toEqual(OFF);
  });

  it('always shows hard limits in full', () => {
    const revealed = reveal(
      'activities',
      'discreet',
      { restraint_gag: { receiving: 'hard_limit', note: 'breathing' } },
      { restraint_gag: { giving: 'yes' } },
    );
    expect(revealed.a.restraint_gag).toEqual({ receiving: 'hard_limit', note: 'breathing' });
    expect(revealed.b.restraint_gag).toEqual({ giving: 'yes' });
  });

  it('hides a mutual item whose other direction holds a lone yes or a no', () => {
    const loneYes = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', receiving: 'yes' } },
      { impact_hand: { receiving: 'yes' } },
    );
    expect(loneYes.a.impact_hand).toEqual(OFF);
    const softNo = reveal(
      'activities',
      'discreet',
      { impact_hand: { giving: 'yes', receiving: 'not_now' } },
      { impact_hand: { receiving: 'yes', giving: 'curious' } },
    );
    expect(softNo.b.impact_hand).toEqual(OFF);
  });

  it('shows safety-critical sections in full, whatever the ratings', () => {
    const revealed = reveal(
      'safety',
      'discreet',
      { safety_safeword: { text: 'pineapple' } },
      { safety_check_in_cadence: { choice: 'often' } },
    );
    expect(revealed.a.safety_safeword).toEqual({ text: 'pineapple' });
    expect(revealed.b.safety_check_in_cadence).toEqual({ choice: 'often' });
  });

  it('shows questions without a yes or no in full', () => {
    const a = { frame_roles: { choices: ['switch'] } };
    const revealed = reveal('frame', 'discreet', a, { frame_scope: { text: 'a weekend' } });
    expect(revealed.a.frame_roles).toEqual({ choices: ['switch'] });
    expect(revealed.b.frame_scope).toEqual({ text: 'a weekend' });
  });

  it('puts a rating item of an ordinary section off the table unless mutual', () => {
    const a = { debrief_again: { rating: 'yes' } };
    const revealed = reveal('debrief', 'discreet', a, { debrief_again: { rating: 'unsure' } });
    expect(revealed.a.debrief_again).toEqual(OFF);
    expect(revealed.b.debrief_again).toEqual(OFF);
  });
});

describe('projectItem (mirroring a change after the reveal)', () => {
  it('applies the same rules to one item', () => {
    const item = { template, itemId: 'impact_hand' };
    expect(projectItem({ ...item, mode: 'discreet', a: { giving: 'yes' }, b: { receiving: 'yes' } })).toEqual({
      a: { giving: 'yes' },
      b: { receiving: 'yes' },
    });
    // a moves toward no: the item goes off the table for both
    expect(projectItem({ ...item, mode: 'discreet', a: { giving: 'not_now' }, b: { receiving: 'yes' } })).toEqual({
      a: OFF,
      b: OFF,
    });
    expect(projectItem({ ...item, mode: 'full', a: { giving: 'not_now' } })).toEqual({ a: { giving: 'not_now' } });
  });

  it('returns nothing for unknown or unanswered items', () => {
    expect(projectItem({ template, itemId: 'nope', mode: 'full', a: { text: 'x' } })).toEqual({});
    expect(projectItem({ template, itemId: 'impact_hand', mode: 'discreet' })).toEqual({});
  });
});
