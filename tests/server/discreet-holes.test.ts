import { describe, expect, it } from 'vitest';
import type { RevealedSection } from '@parley/shared/protocol/room-doc';
import { defaultTemplate } from '@parley/shared/template/default';
import { until } from '../helpers/clients';
import { usePartners, useServer } from '../helpers/fixtures';
import type { PartnerSession } from '../helpers/partner';

/**
 * The three holes an outside review found in discreet mode, each driven through the wire the
 * way B's own client could: B only reads what its room doc connection receives.
 */

const server = useServer();
const partners = usePartners(server);

const ACTIVITY_IDS = defaultTemplate.sections.find((s) => s.id === 'activities')?.items.map((q) => q.id) ?? [];

const discreetPair = () => partners({ revealMode: 'discreet' });

async function reveal(a: PartnerSession, b: PartnerSession, sectionId = 'activities'): Promise<RevealedSection> {
  await Promise.all([a.private.stored(), b.private.stored()]);
  await a.control.send('section:ready', { sectionId, ready: true });
  await b.control.send('section:ready', { sectionId, ready: true });
  await until(() => b.revealed(sectionId) !== undefined, 2000, 'reveal');
  return b.revealed(sectionId) as RevealedSection;
}

const keysOf = (record: Record<string, unknown> | undefined) => Object.keys(record ?? {});

describe('discreet mode holes (R2 discreet reveal, through a real server)', () => {
  it('DH1 hole 1: B rating every activity hard limit before the reveal reads nothing of A’s answers', async () => {
    const { a, b } = await discreetPair();
    const aItems = ACTIVITY_IDS.slice(0, 6);
    aItems.forEach((id, i) => a.answer(id, { giving: 'favourite', receiving: 'yes', conditions: ['check_in_first'], note: `CANARY-H1-${i}` }));
    for (const id of ACTIVITY_IDS) b.answer(id, { giving: 'hard_limit', receiving: 'hard_limit' });
    const shown = await reveal(a, b);
    for (let i = 0; i < aItems.length; i++) expect(b.recorder.contains(`CANARY-H1-${i}`), `note ${i}`).toBe(false);
    expect(b.recorder.contains('check_in_first')).toBe(false);
    expect(b.recorder.contains('favourite')).toBe(false);
    for (const id of aItems) expect(shown.a[id], id).toBeUndefined();
  });

  it('DH2 hole 1: B rating one item hard limit after the reveal, then reverting, reads nothing of A’s answer', async () => {
    const { a, b } = await discreetPair();
    a.answer('impact_paddle', { giving: 'yes', receiving: 'fantasy_only', note: 'CANARY-H1-AFTER' });
    b.answer('impact_paddle', { receiving: 'not_now' });
    await reveal(a, b);
    b.answer('impact_paddle', { giving: 'hard_limit', receiving: 'not_now' });
    // Positive barrier: B's own hard limit is news to A, so the item is marked changed.
    await until(() => b.revealed('activities')?.changed.impact_paddle !== undefined, 2000, 'mirrored hard limit');
    b.answer('impact_paddle', { receiving: 'not_now' });
    await b.private.stored();
    // Positive barrier: a hard limit of A's, made after B's revert, is mirrored at once.
    a.answer('impact_hand', { giving: 'hard_limit' });
    await until(() => b.revealed('activities')?.a.impact_hand?.giving === 'hard_limit', 2000, 'A’s hard limit mirrored');
    await b.caughtUp();
    expect(b.recorder.contains('CANARY-H1-AFTER')).toBe(false);
    expect(b.recorder.contains('fantasy_only')).toBe(false);
  });

  it('DH3 hole 2: after the reveal, B flipping an item to yes does not show whether A said yes', async () => {
    const { a, b } = await discreetPair();
    a.answer('impact_flogger', { giving: 'yes', note: 'CANARY-H2-PROBE' });
    b.answer('impact_flogger', { receiving: 'not_now' });
    a.answer('impact_hand', { giving: 'yes' });
    b.answer('impact_hand', { receiving: 'yes' });
    await reveal(a, b);
    b.answer('impact_flogger', { receiving: 'favourite' });
    await b.private.stored();
    // Positive barrier: A withdrawing a shared yes is mirrored at once, and after B's probe.
    a.answer('impact_hand', { giving: 'not_now' });
    await until(() => b.revealed('activities')?.changed.impact_hand !== undefined, 2000, 'A’s withdrawal mirrored');
    await b.caughtUp();
    const shown = b.revealed('activities') as RevealedSection;
    expect(b.recorder.contains('CANARY-H2-PROBE')).toBe(false);
    expect(shown.a.impact_flogger).toBeUndefined();
    expect(shown.changed.impact_flogger).toBeUndefined();
    b.answer('impact_flogger', { receiving: 'not_now' });
    await b.private.stored();
    // Positive barrier: A's hard limit, a move towards no made after B's revert, is mirrored at once.
    a.answer('impact_hand', { giving: 'hard_limit' });
    await until(() => b.revealed('activities')?.a.impact_hand?.giving === 'hard_limit', 2000, 'A’s hard limit mirrored');
    await b.caughtUp();
    expect(b.revealed('activities')?.changed.impact_flogger).toBeUndefined();
    expect(b.recorder.contains('CANARY-H2-PROBE')).toBe(false);
  });

  it('DH4 hole 3: where B left items blank, what B receives does not depend on which items A answered', async () => {
    const answered = await discreetPair();
    answered.a.answer('impact_paddle', { giving: 'curious', note: 'CANARY-H3' });
    answered.a.answer('restraint_cuffs', { receiving: 'not_now' });
    answered.a.answer('verbal_praise', { giving: 'yes', receiving: 'favourite' });
    answered.b.answer('impact_hand', { giving: 'yes' });
    const withAnswers = await reveal(answered.a, answered.b);

    const blank = await discreetPair();
    blank.b.answer('impact_hand', { giving: 'yes' });
    const withoutAnswers = await reveal(blank.a, blank.b);

    const seen = (r: RevealedSection) => ({ ...r, changed: {} });
    expect(seen(withAnswers)).toEqual(seen(withoutAnswers));
    for (const id of ['impact_paddle', 'restraint_cuffs', 'verbal_praise']) {
      expect(keysOf(withAnswers.a)).not.toContain(id);
      expect(keysOf(withAnswers.b)).not.toContain(id);
    }
    expect(answered.b.recorder.contains('CANARY-H3')).toBe(false);
  });
});
