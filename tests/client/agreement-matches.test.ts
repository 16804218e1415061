import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildAgreement } from '@parley/shared/agreement/build';
import type { RoomDocState } from '@parley/shared/protocol/room-doc';
import { projectSection } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { buildRows } from '../../client/src/features/reveal/rows';
import { materialize, seatAnswers } from '../shared/canary-answers';

/**
 * One direction model: for any answers and either mode, the agreement lists as matches exactly
 * the directions the reveal screen (each seat's) shows as a match.
 */
const template = defaultTemplate;
const withRatings = template.sections.filter((s) => s.items.some((q) => q.type === 'rating' || q.type === 'dual_rating')).map((s) => s.id);
const names = { a: 'Alex', b: 'Sam' };

describe('agreement and reveal agree (property)', () => {
  it('CM1 the agreement’s match list equals the reveal’s, for any answers, in both modes and from both seats', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...withRatings),
        fc.constantFrom('full' as const, 'discreet' as const),
        seatAnswers(),
        seatAnswers(),
        (sectionId, mode, a, b) => {
          const generated = materialize(template, sectionId, { a, b });
          const revealed = projectSection({ template, sectionId, round: 1, mode, a: generated.a, b: generated.b });
          const room: RoomDocState = {
            sections: { [sectionId]: { state: 'revealed', round: 1, ready: { a: true, b: true }, revealedAt: 1 } },
            revealed: { [sectionId]: revealed },
            meta: { paused: null, confirmations: { a: null, b: null }, reviewDate: null, leftOut: { a: {}, b: {} } },
            history: [],
          };
          const agreement = buildAgreement({ template, room, agreementText: '', names, title: null });
          const fromAgreement = (agreement.sections[0]?.items ?? [])
            .flatMap((item) => item.reading.lines.filter((l) => l.cls === 'match').map((l) => `${item.id}/${l.way}`))
            .sort();
          const section = template.sections.find((s) => s.id === sectionId);
          if (!section) throw new Error('no section');
          for (const seat of ['a', 'b'] as const) {
            const other = seat === 'a' ? 'b' : 'a';
            const rows = buildRows(section, revealed, seat, other, names, mode === 'discreet');
            const fromReveal = rows
              .flatMap((row) =>
                row.lines
                  .filter((l) => l.cls === 'match')
                  .map((l) => {
                    const way = l.way === 'axis' ? 'axis' : (l.way === 'mine') === (seat === 'a') ? 'aToB' : 'bToA';
                    return `${row.question.id}/${way}`;
                  }),
              )
              .sort();
            expect(fromReveal).toEqual(fromAgreement);
          }
          // the plan's directions list the same (item, way) pairs
          const fromPlan = agreement.summary.matches.flatMap(({ way, items }) => items.map((i) => `${i.id}/${way}`)).sort();
          expect(fromPlan).toEqual(fromAgreement);
        },
      ),
      { numRuns: 200 },
    );
  });
});
