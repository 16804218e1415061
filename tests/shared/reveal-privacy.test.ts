import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RATINGS } from '@parley/shared/protocol/answers';
import type { Answer, Rating } from '@parley/shared/protocol/answers';
import { classifyDirection, compare, isPositive, isShared, WAY_FIELDS, waysOf } from '@parley/shared/reveal/directions';
import type { Way } from '@parley/shared/reveal/directions';
import { projectItem, projectSection, readItemAnswer } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { findQuestion, sectionOfItem } from '@parley/shared/template/schema';
import type { Question } from '@parley/shared/template/schema';
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
  it('RP1 never carries anything from other sections, unknown items, unknown fields or invalid options', () => {
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

  it('RP2 in discreet mode, nothing of a seat’s non-matching answers reaches the partner: changing them changes nothing', () => {
    // Non-interference: take any two answer sets, then rewrite everything of seat A that the
    // mode must hide (ratings of unshared directions, keeping a hard limit a hard limit, notes,
    // experience and conditions where they must not show). B must receive the same bytes.
    fc.assert(
      fc.property(discreetScenario, seatAnswers(), fc.constantFrom('a' as const, 'b' as const), ({ sectionId, a, b }, noise, hiddenSeat) => {
        const generated = materialize(template, sectionId, { a, b });
        const other = materialize(template, sectionId, { a: noise, b: noise }, 'N');
        const section = template.sections.find((x) => x.id === sectionId);
        if (!section || section.alwaysFull) return;
        const seen = hiddenSeat === 'a' ? generated.b : generated.a;
        const mine = hiddenSeat === 'a' ? generated.a : generated.b;
        const rewritten: Record<string, unknown> = { ...mine };
        for (const question of section.items) {
          if (question.type === 'text') continue; // written answers show in full
          const me = readItemAnswer(question, mine[question.id]);
          const partner = readItemAnswer(question, seen[question.id]);
          const alt = readItemAnswer(question, other.a[question.id]) ?? {};
          rewritten[question.id] =
            waysOf(question).length === 0 ? rewriteComparable(question, me, partner, alt) : rewrite(question.type === 'dual_rating' ? 'dual' : 'rating', hiddenSeat, me, partner, alt);
        }
        const project = (mineAnswers: Record<string, unknown>) =>
          JSON.stringify(
            projectSection({
              template,
              sectionId,
              round: 1,
              mode: 'discreet',
              a: hiddenSeat === 'a' ? mineAnswers : seen,
              b: hiddenSeat === 'b' ? mineAnswers : seen,
            }),
          );
        expect(project(rewritten)).toBe(project(mine));
      }),
      RUNS,
    );
  });

  it('RP3 in discreet mode shows no note or text of an item that shares no direction or differs, hard limits included', () => {
    fc.assert(
      fc.property(discreetScenario, ({ sectionId, a, b }) => {
        const generated = materialize(template, sectionId, { a, b });
        const json = JSON.stringify(
          projectSection({ template, sectionId, round: 1, mode: 'discreet', a: generated.a, b: generated.b }),
        );
        const section = template.sections.find((s) => s.id === sectionId);
        if (!section || section.alwaysFull) return;
        for (const question of section.items) {
          if (question.type === 'text') continue;
          const ways = waysOf(question);
          const ra = readItemAnswer(question, generated.a[question.id]);
          const rb = readItemAnswer(question, generated.b[question.id]);
          if (ways.length === 0 && compare(question, ra, rb) === 'same') continue;
          const shared = ways.filter((w) => isShared(classifyDirection(ra?.[WAY_FIELDS[w].a], rb?.[WAY_FIELDS[w].b])));
          if (ways.length > 0 && shared.length === ways.length) continue;
          const leaked = generated.canaries.filter((c) => c.itemId === question.id && json.includes(c.value));
          expect(leaked).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('RP4 in discreet mode every rating shown is a hard limit or faces a positive in the same direction', () => {
    fc.assert(
      fc.property(discreetScenario, ({ sectionId, a, b }) => {
        const generated = materialize(template, sectionId, { a, b });
        const revealed = projectSection({ template, sectionId, round: 1, mode: 'discreet', a: generated.a, b: generated.b });
        const section = template.sections.find((s) => s.id === sectionId);
        if (!section || section.alwaysFull) return;
        for (const question of section.items) {
          for (const way of waysOf(question)) {
            const x = revealed.a[question.id]?.[WAY_FIELDS[way].a];
            const y = revealed.b[question.id]?.[WAY_FIELDS[way].b];
            for (const [mine, theirs] of [[x, y], [y, x]] as const) {
              if (mine === undefined || mine === 'hard_limit') continue;
              expect(isPositive(mine)).toBe(true);
              expect(isPositive(theirs)).toBe(true);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('RP5 in full mode shows every valid in-section answer', () => {
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

  it('RP6 in discreet mode a choice shows only when both chose the same, and waits for the next round once it differed', () => {
    const talk = (choice: string) => ({ choice });
    const question = template.sections.flatMap((s) => s.items).find((q) => q.type === 'choice' && !sectionOfItem(template, q.id)?.alwaysFull);
    if (!question || question.type !== 'choice') throw new Error('the default template has a choice item outside the safety sections');
    const [first, second] = question.options.map((o) => o.id) as [string, string];
    const same = projectItem({ template, itemId: question.id, mode: 'discreet', a: talk(first), b: talk(first) });
    expect(same).toEqual({ a: talk(first), b: talk(first) });
    expect(projectItem({ template, itemId: question.id, mode: 'discreet', a: talk(first), b: talk(second) })).toEqual({});
    expect(projectItem({ template, itemId: question.id, mode: 'discreet', a: talk(first) })).toEqual({});
    // after the reveal: becoming the same waits for the next round (no probing by flipping)
    expect(projectItem({ template, itemId: question.id, mode: 'discreet', a: talk(first), b: talk(first), sharedBefore: new Set() })).toEqual({});
  });

  it('RP7 for every combination of four ratings on an activity, discreet shows exactly the shared directions and own hard limits', () => {
    const options = [undefined, ...RATINGS];
    let shared = 0;
    for (const ag of options) for (const ar of options) for (const bg of options) for (const br of options) {
      const a = { giving: ag, receiving: ar, note: 'note of a' };
      const b = { giving: bg, receiving: br, note: 'note of b' };
      const item = projectItem({ template, itemId: 'impact_hand', mode: 'discreet', a, b });
      const aToB = isShared(classifyDirection(ag, br));
      const bToA = isShared(classifyDirection(bg, ar));
      if (aToB || bToA) shared++;
      const expected = (g: Rating | undefined, r: Rating | undefined, giveShared: boolean, receiveShared: boolean, note: string): Answer | undefined => {
        const out: Answer = {};
        if (giveShared || g === 'hard_limit') if (g) out.giving = g;
        if (receiveShared || r === 'hard_limit') if (r) out.receiving = r;
        if (aToB && bToA) out.note = note;
        return Object.keys(out).length > 0 ? out : undefined;
      };
      const label = JSON.stringify([ag, ar, bg, br]);
      expect(item.a, label).toEqual(expected(ag, ar, aToB, bToA, 'note of a'));
      expect(item.b, label).toEqual(expected(bg, br, bToA, aToB, 'note of b'));
    }
    expect(shared).toBeGreaterThan(0);
  });
});

/**
 * Seat `seat`'s answer `me` with everything discreet mode must hide replaced from `alt`:
 * an unshared direction's rating may become any rating that keeps it unshared and keeps a
 * hard limit a hard limit; note and experience unless every direction is shared; conditions
 * unless some direction is.
 */
function rewrite(kind: 'dual' | 'rating', seat: 'a' | 'b', me: Answer | undefined, partner: Answer | undefined, alt: Answer): Answer | undefined {
  const ways: Way[] = kind === 'dual' ? ['aToB', 'bToA'] : ['axis'];
  const out: Answer = { ...(me ?? {}) };
  delete out.updatedAt;
  let sharedCount = 0;
  const other = seat === 'a' ? 'b' : 'a';
  for (const way of ways) {
    const field = WAY_FIELDS[way][seat];
    const partnerField = WAY_FIELDS[way][other];
    const mine = me?.[field];
    const theirs = partner?.[partnerField];
    if (isShared(classifyDirection(mine, theirs))) {
      sharedCount++;
      continue;
    }
    if (mine === 'hard_limit') continue;
    const candidate = alt[field];
    const keepsHidden = candidate !== 'hard_limit' && !isShared(classifyDirection(candidate, theirs));
    if (keepsHidden) {
      if (candidate === undefined) delete out[field];
      else out[field] = candidate;
    }
  }
  const swap = <K extends 'note' | 'experience' | 'conditions'>(key: K) => {
    if (alt[key] === undefined) delete out[key];
    else out[key] = alt[key];
  };
  if (sharedCount < ways.length) {
    swap('note');
    swap('experience');
  }
  if (sharedCount === 0) swap('conditions');
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A choice, multi or scale answer that is not the same as the partner's may be anything else
 * that is still not the same (or blank): discreet mode shows none of it.
 */
function rewriteComparable(question: Question, me: Answer | undefined, partner: Answer | undefined, alt: Answer): Answer | undefined {
  if (compare(question, me, partner) === 'same' || compare(question, alt, partner) === 'same') return me;
  return Object.keys(alt).length > 0 ? alt : undefined;
}
