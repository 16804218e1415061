import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { agreementHash, agreementToMarkdown, buildAgreement } from '@parley/shared/agreement/build';
import { agreementLines } from '@parley/shared/agreement/lines';
import type { RoomDocState } from '@parley/shared/protocol/room-doc';
import { projectSection } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { findQuestion } from '@parley/shared/template/schema';
import type { Canary } from './canary-answers';
import { materialize, seatAnswers } from './canary-answers';

/**
 * Property tests (R4 agreement): the agreement is built from revealed sections only. Canaries
 * sit in every section; those of sections that are not revealed, and of earlier rounds kept in
 * history, must be absent from both the JSON and the Markdown.
 */

const template = defaultTemplate;
const answerable = template.sections.filter((s) => s.items.length > 0);

const sectionState = fc.record({
  revealed: fc.boolean(),
  // an open section with a stale `revealed` entry must still not leak
  staleEntry: fc.boolean(),
  mode: fc.constantFrom('full' as const, 'discreet' as const),
  // every section gets answers, so each seat answers fewer items per section
  a: seatAnswers('small'),
  b: seatAnswers('small'),
});

const scenario = fc.record({
  sections: fc.array(sectionState, { minLength: answerable.length, maxLength: answerable.length }),
  history: seatAnswers('small'),
  freeText: fc.string({ maxLength: 40 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  room: RoomDocState;
  hidden: Canary[];
  shown: Canary[];
}

function buildRoom(input: Scenario): Built {
  const room: RoomDocState = {
    sections: {},
    revealed: {},
    meta: { paused: null, confirmations: { a: null, b: null }, reviewDate: null, leftOut: { a: {}, b: {} } },
    history: [],
  };
  const hidden: Canary[] = [];
  const shown: Canary[] = [];
  answerable.forEach((section, i) => {
    const s = input.sections[i];
    if (!s) return;
    const generated = materialize(template, section.id, { a: s.a, b: s.b }, `s${i}`);
    const projected = projectSection({
      template,
      sectionId: section.id,
      round: 1,
      mode: s.mode,
      a: generated.a,
      b: generated.b,
    });
    const inSection = (c: Canary) => section.items.some((q) => q.id === c.itemId);
    room.sections[section.id] = {
      state: s.revealed ? 'revealed' : 'open',
      round: 1,
      ready: { a: s.revealed, b: s.revealed },
      revealedAt: s.revealed ? 1_700_000_000_000 : null,
    };
    if (s.revealed || s.staleEntry) room.revealed[section.id] = projected;
    if (s.revealed) {
      // text canaries of a full, in-section text answer must show up: the positive control
      const isTextAnswer = (c: Canary) => c.field === 'text' && findQuestion(template, c.itemId)?.type === 'text';
      for (const c of generated.canaries) {
        if (s.mode === 'full' && inSection(c) && isTextAnswer(c)) {
          // answers made malformed on purpose (bad rating, scale out of range) vanish entirely
          const value = generated[c.seat][c.itemId] as { rating?: string; scale?: number };
          const validScale = value.scale === undefined || (value.scale >= 1 && value.scale <= 5);
          if (value.rating === undefined && validScale) shown.push(c);
        }
      }
    } else {
      hidden.push(...generated.canaries.filter(inSection));
    }
  });
  // an earlier round, kept in history, is not part of the current agreement
  const past = materialize(template, 'limits', { a: input.history, b: [] }, 'h');
  room.history.push({
    type: 'reopened',
    sectionId: 'limits',
    round: 1,
    at: 1,
    revealed: { round: 1, a: past.a as RoomDocState['revealed'][string]['a'], b: {}, changed: {} },
  });
  hidden.push(...past.canaries);
  return { room, hidden, shown };
}

const build = (room: RoomDocState, freeText: string) =>
  buildAgreement({ template, room, agreementText: freeText, names: { a: 'Alex', b: 'Sam' }, title: null });

describe('agreement privacy and integrity (property)', () => {
  it('AP1 contains nothing from sections that are not revealed, nor from history', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { room, hidden, shown } = buildRoom(input);
        const agreement = build(room, input.freeText);
        const json = JSON.stringify(agreement);
        const md = agreementToMarkdown(agreement);
        // one assertion per run: listing what leaked reads better than the first failing canary
        expect(hidden.filter((c) => json.includes(c.value) || md.includes(c.value))).toEqual([]);
        expect(shown.filter((c) => !json.includes(c.value) || !md.includes(c.value))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('AP2 hashes the same agreement the same way, and any change to free text differently', () => {
    fc.assert(
      fc.property(scenario, fc.string({ minLength: 1, maxLength: 5 }), (input, suffix) => {
        const { room } = buildRoom(input);
        const hash = agreementHash(build(room, input.freeText));
        expect(agreementHash(build(structuredClone(room), input.freeText))).toBe(hash);
        expect(agreementHash(build(room, input.freeText + suffix))).not.toBe(hash);
      }),
      { numRuns: 60 },
    );
  });
});

const allItemIds = template.sections.flatMap((s) => s.items.map((q) => q.id));
const choices = fc.dictionary(fc.constantFrom(...allItemIds), fc.constantFrom(0, 1, 2), { maxKeys: 30 });

describe('leaving items out reveals nothing (property)', () => {
  it('AP3 choices on items of sections that are not revealed change nothing, and no choice brings a hidden canary in', () => {
    fc.assert(
      fc.property(scenario, choices, choices, (input, a, b) => {
        const { room, hidden } = buildRoom(input);
        const plain = build(room, input.freeText);
        const withChoices = structuredClone(room);
        withChoices.meta.leftOut = { a, b };
        const agreement = build(withChoices, input.freeText);
        const text = [JSON.stringify(agreement), agreementToMarkdown(agreement), ...agreementLines(agreement)].join('\n');
        expect(hidden.filter((c) => text.includes(c.value))).toEqual([]);
        // only items of revealed sections can be left out, so choices on any other change nothing
        const revealedItems = new Set(plain.sections.flatMap((s) => s.items.map((i) => i.id)));
        expect(agreement.leftOut.every((i) => revealedItems.has(i.id))).toBe(true);
        const onlyHidden = structuredClone(room);
        const hiddenOnly = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([id]) => !revealedItems.has(id)));
        onlyHidden.meta.leftOut = { a: hiddenOnly(a), b: hiddenOnly(b) };
        expect(agreementHash(build(onlyHidden, input.freeText))).toBe(agreementHash(plain));
      }),
      { numRuns: 100 },
    );
  });
});
