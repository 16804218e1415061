import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RATINGS } from '@parley/shared/protocol/answers';
import { isOffTable } from '@parley/shared/protocol/room-doc';
import { classifyItem, isPositive } from '@parley/shared/reveal/classify';
import { projectItem, projectSection, readItemAnswer } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { findQuestion, sectionOfItem } from '@parley/shared/template/schema';
import type { Canary } from './canary-answers';
import { materialize, seatAnswers } from './canary-answers';

/**
 * Property tests of the core privacy promise (R1 reveal isolation, R2 discreet reveal):
 * every free-form string is a unique canary, and the tests assert where canaries are absent.
 */

const template = defaultTemplate;
const sectionIds = template.sections.map((s) => s.id);
const RUNS = { numRuns: 200 };

const scenario = fc.record({
  sectionId: fc.constantFrom(...sectionIds),
  mode: fc.constantFrom('full' as const, 'discreet' as const),
  a: seatAnswers(),
  b: seatAnswers(),
});
// The discreet rules only bite on yes/no items outside the always-full sections.
const withRatings = template.sections
  .filter((s) => !s.alwaysFull && s.items.some((q) => q.type === 'rating' || q.type === 'dual_rating'))
  .map((s) => s.id);
const discreetScenario = fc.record({
  sectionId: fc.oneof(fc.constantFrom(...withRatings), fc.constantFrom(...sectionIds)),
  a: seatAnswers(),
  b: seatAnswers(),
});

/** A canary may only surface if it sits in a text/note field that its in-section question offers. */
function mayAppear(canary: Canary, sectionId: string): boolean {
  if (sectionOfItem(template, canary.itemId)?.id !== sectionId) return false;
  const question = findQuestion(template, canary.itemId);
  if (canary.field === 'text') return question?.type === 'text';
  if (canary.field === 'note') return question?.note === true;
  return false;
}

describe('reveal projection privacy (property)', () => {
  it('never carries anything from other sections, unknown items, unknown fields or invalid options', () => {
    fc.assert(
      fc.property(scenario, ({ sectionId, mode, a, b }) => {
        const generated = materialize(template, sectionId, { a, b });
        const json = JSON.stringify(
          projectSection({ template, sectionId, round: 1, mode, a: generated.a, b: generated.b }),
        );
        const leaked = generated.canaries.filter((c) => !mayAppear(c, sectionId) && json.includes(c.value));
        expect(leaked).toEqual([]);
      }),
      RUNS,
    );
  });

  it('in discreet mode shows no note or text of a non-mutual, non-limit item of an ordinary section', () => {
    fc.assert(
      fc.property(discreetScenario, ({ sectionId, a, b }) => {
        const generated = materialize(template, sectionId, { a, b });
        const json = JSON.stringify(
          projectSection({ template, sectionId, round: 1, mode: 'discreet', a: generated.a, b: generated.b }),
        );
        const section = template.sections.find((s) => s.id === sectionId);
        if (!section || section.alwaysFull) return;
        for (const question of section.items) {
          if (question.type !== 'rating' && question.type !== 'dual_rating') continue;
          const cls = classifyItem(
            question,
            readItemAnswer(question, generated.a[question.id]),
            readItemAnswer(question, generated.b[question.id]),
          );
          if (cls === 'mutual' || cls === 'limit') continue;
          const leaked = generated.canaries.filter((c) => c.itemId === question.id && json.includes(c.value));
          expect(leaked).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('in discreet mode never attributes an off-table item to a seat, nor shows a lone yes or a no', () => {
    fc.assert(
      fc.property(discreetScenario, ({ sectionId, a, b }) => {
        const generated = materialize(template, sectionId, { a, b });
        const revealed = projectSection({ template, sectionId, round: 1, mode: 'discreet', a: generated.a, b: generated.b });
        const section = template.sections.find((s) => s.id === sectionId);
        const ids = new Set([...Object.keys(revealed.a), ...Object.keys(revealed.b)]);
        for (const id of ids) {
          const ra = revealed.a[id];
          const rb = revealed.b[id];
          if (isOffTable(ra) || isOffTable(rb)) {
            // both seats get the same bare marker: nothing says who said what
            expect(ra).toEqual({ offTable: true });
            expect(rb).toEqual({ offTable: true });
            continue;
          }
          const question = findQuestion(template, id);
          if (section?.alwaysFull || (question?.type !== 'rating' && question?.type !== 'dual_rating')) continue;
          if (question && classifyItem(question, ra, rb) === 'limit') continue;
          const ratings = [ra?.rating, ra?.giving, ra?.receiving, rb?.rating, rb?.giving, rb?.receiving];
          expect(ratings).not.toContain('not_now');
          // every yes shown faces a yes from the partner in the same direction
          const pairs = [
            [ra?.rating, rb?.rating],
            [ra?.giving, rb?.receiving],
            [ra?.receiving, rb?.giving],
          ];
          for (const [x, y] of pairs) expect(isPositive(x)).toBe(isPositive(y));
        }
      }),
      RUNS,
    );
  });

  it('in full mode shows every valid in-section answer and no off-table marker', () => {
    fc.assert(
      fc.property(scenario, ({ sectionId, a, b }) => {
        const generated = materialize(template, sectionId, { a, b });
        const revealed = projectSection({ template, sectionId, round: 2, mode: 'full', a: generated.a, b: generated.b });
        expect(revealed.round).toBe(2);
        expect(revealed.changed).toEqual({});
        const section = template.sections.find((s) => s.id === sectionId);
        for (const question of section?.items ?? []) {
          expect(revealed.a[question.id]).toEqual(readItemAnswer(question, generated.a[question.id]));
          expect(revealed.b[question.id]).toEqual(readItemAnswer(question, generated.b[question.id]));
        }
        expect(Object.keys(revealed.a).every((id) => section?.items.some((q) => q.id === id))).toBe(true);
      }),
      RUNS,
    );
  });

  it('for every combination of four ratings on an activity, discreet shows only limits and clean mutual yeses', () => {
    const options = [undefined, ...RATINGS];
    const dual = findQuestion(template, 'impact_hand');
    if (!dual) throw new Error('missing impact_hand');
    let shownInFull = 0;
    for (const ag of options) for (const ar of options) for (const bg of options) for (const br of options) {
      const a = { giving: ag, receiving: ar, note: 'note of a' };
      const b = { giving: bg, receiving: br, note: 'note of b' };
      const item = projectItem({ template, itemId: 'impact_hand', mode: 'discreet', a, b });
      const ratings = [ag, ar, bg, br];
      if (ratings.every((r) => r === undefined)) {
        // notes alone: nothing rated, so nothing to match; off the table for both
        expect(item).toEqual({ a: { offTable: true }, b: { offTable: true } });
        continue;
      }
      if (ratings.includes('hard_limit')) {
        expect(isOffTable(item.a) || isOffTable(item.b)).toBe(false);
        continue;
      }
      const clean =
        !ratings.includes('not_now') &&
        isPositive(ag) === isPositive(br) &&
        isPositive(bg) === isPositive(ar) &&
        (isPositive(ag) || isPositive(bg));
      if (clean) shownInFull++;
      expect(item.a, JSON.stringify(ratings)).toEqual(clean ? readItemAnswer(dual, a) : { offTable: true });
      expect(item.b, JSON.stringify(ratings)).toEqual(clean ? readItemAnswer(dual, b) : { offTable: true });
    }
    expect(shownInFull).toBeGreaterThan(0);
  });
});
