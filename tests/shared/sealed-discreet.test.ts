import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex } from '@noble/hashes/utils.js';
import { readItemAnswer, sharedWays } from '@parley/shared/reveal/project';
import { ownTagWays, sectionTags, slotCount } from '@parley/shared/sealed/discreet-slots';
import { deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import { derivePairKeys } from '@parley/shared/sealed/pair';
import { defaultTemplate } from '@parley/shared/template/default';
import { RATINGS } from '@parley/shared/protocol/answers';
import type { Question, Section } from '@parley/shared/template/schema';

/**
 * Discreet matching in a sealed room (issue 16): each seat tags its own answers only, the server
 * intersects blind, and what matches is exactly what a standard discreet room shares.
 */

const template = defaultTemplate;
const discreetSections = template.sections.filter((s) => !s.alwaysFull && slotCount(s) > 0);

async function roundKeys() {
  const a = await deriveSeatKeys(generateLinkSecret());
  const b = await deriveSeatKeys(generateLinkSecret());
  const atA = await derivePairKeys({ roomId: 'ROOMidROOMidROOMidROOMi', seat: 'a', identity: a.identity, partnerPublic: b.identity.publicKey });
  const atB = await derivePairKeys({ roomId: 'ROOMidROOMidROOMidROOMi', seat: 'b', identity: b.identity, partnerPublic: a.identity.publicKey });
  if (!atA.ok || !atB.ok) throw new Error('pair');
  return { a: atA.keys, b: atB.keys };
}

// Yeses are frequent and options few, so both seats often match, on every kind of slot.
const rating = fc.oneof(fc.constantFrom('favourite', 'yes', 'yes_for_you'), fc.constantFrom(...RATINGS), fc.constant(undefined));
const optionIds = (question: Question) => ('options' in question ? question.options.slice(0, 3).map((o) => o.id) : []);

function answerOf(question: Question): fc.Arbitrary<unknown> {
  switch (question.type) {
    case 'dual_rating':
      return fc.record({ giving: rating, receiving: rating }, { requiredKeys: [] });
    case 'rating':
      return fc.record({ rating }, { requiredKeys: [] });
    case 'choice':
      return fc.record({ choice: fc.constantFrom(...optionIds(question).slice(0, 2), 'not-an-option') }, { requiredKeys: [] });
    case 'multi':
      return fc.record({ choices: fc.subarray(optionIds(question)) }, { requiredKeys: [] });
    case 'scale':
      return fc.record({ scale: fc.integer({ min: question.min, max: question.min + 1 }) }, { requiredKeys: [] });
    default:
      return fc.record({ text: fc.string() }, { requiredKeys: [] });
  }
}

const seatOf = (section: Section) =>
  fc.tuple(...section.items.map((question) => fc.option(answerOf(question), { nil: undefined }))).map((values) =>
    Object.fromEntries(section.items.flatMap((question, i) => (values[i] === undefined ? [] : [[question.id, values[i]]]))),
  );

const scenario = fc
  .constantFrom(...discreetSections)
  .chain((section) => fc.record({ section: fc.constant(section), a: seatOf(section), b: seatOf(section) }));

const slotName = (itemId: string, way: string) => `${itemId}/${way.startsWith('same:') ? 'same' : way}`;

describe('sealed discreet slots', () => {
  it('DT1 the blind intersection of both seats’ tags is exactly what the standard discreet reveal shares', async () => {
    const keys = await roundKeys();
    await fc.assert(
      fc.asyncProperty(scenario, async ({ section, a, b }) => {
        const sectionId = section.id;
        const tagsA = await sectionTags(await keys.a.roundKey(sectionId, 2), section, 'a', a);
        const tagsB = await sectionTags(await keys.b.roundKey(sectionId, 2), section, 'b', b);
        if (!tagsA.ok || !tagsB.ok) throw new Error('tags');
        // Every upload has the section's slot count, whatever was answered.
        expect(tagsA.tags.length).toBe(slotCount(section));
        expect(tagsB.tags.length).toBe(slotCount(section));
        // The server: byte equality, nothing else.
        const inB = new Set(tagsB.tags.map(bytesToHex));
        const common = tagsA.tags.map(bytesToHex).filter((tag) => inB.has(tag));
        const matchedAtA = common.map((tag) => tagsA.mine.get(tag)).map((slot) => slotName(slot!.itemId, slot!.way));
        const matchedAtB = common.map((tag) => tagsB.mine.get(tag)).map((slot) => slotName(slot!.itemId, slot!.way));
        const expected = section.items.flatMap((question) => {
          if (question.type === 'text') return [];
          const shared = sharedWays(question, readItemAnswer(question, a[question.id]), readItemAnswer(question, b[question.id]));
          if (question.type === 'dual_rating') return [...[...shared].map((way) => slotName(question.id, way)), ...(shared.size === 2 ? [slotName(question.id, 'all')] : [])];
          if (question.type === 'rating') return [...shared].map((way) => slotName(question.id, way));
          return shared.size > 0 ? [slotName(question.id, 'same:')] : [];
        });
        expect(matchedAtA.sort()).toEqual(expected.sort());
        expect(matchedAtB.sort()).toEqual(expected.sort());
      }),
      { numRuns: 100 },
    );
  });

  it('DT2 a seat’s tags read only its own side: a giver’s yes is a tag for aToB from seat a, for bToA from seat b', () => {
    const impact = template.sections.flatMap((s) => s.items).find((q) => q.type === 'dual_rating')!;
    expect(ownTagWays(impact, 'a', { giving: 'yes', receiving: 'hard_limit' })).toEqual(['aToB']);
    expect(ownTagWays(impact, 'b', { giving: 'yes', receiving: 'hard_limit' })).toEqual(['bToA']);
    expect(ownTagWays(impact, 'a', { giving: 'yes_for_you', receiving: 'favourite' })).toEqual(['aToB', 'bToA', 'all']);
    expect(ownTagWays(impact, 'a', { giving: 'curious', receiving: 'not_now' })).toEqual([]);
    expect(ownTagWays(impact, 'a', { giving: 'not-a-rating' })).toEqual([]);
    const choice = template.sections.flatMap((s) => s.items).find((q) => q.type === 'choice')!;
    const option = 'options' in choice ? choice.options[0]!.id : '';
    const [way] = ownTagWays(choice, 'a', { choice: option });
    expect(way).toMatch(/^same:[0-9a-f]{64}$/);
    expect(ownTagWays(choice, 'b', { choice: option })).toEqual([way]);
    expect(ownTagWays(choice, 'a', { choice: 'not-an-option' })).toEqual([]);
  });
});
