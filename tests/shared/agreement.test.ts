import { describe, expect, it } from 'vitest';
import { agreementHash, agreementToMarkdown, buildAgreement, canonicalJson } from '@parley/shared/agreement/build';
import { agreementLines } from '@parley/shared/agreement/lines';
import type { RoomDocState, SectionStatus } from '@parley/shared/protocol/room-doc';
import { projectSection } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';

const template = defaultTemplate;
const AT = Date.UTC(2025, 4, 17, 20, 0);

type Answers = Record<string, unknown>;

/** A room doc in which `revealed` sections were revealed through the real projection. */
function room(
  revealed: Record<string, { a: Answers; b: Answers; round?: number }>,
  opts: { mode?: 'full' | 'discreet'; open?: string[]; reviewDate?: string | null; leftOut?: RoomDocState['meta']['leftOut'] } = {},
): RoomDocState {
  const state: RoomDocState = {
    sections: {},
    revealed: {},
    meta: { paused: null, confirmations: { a: null, b: null }, reviewDate: opts.reviewDate ?? null, leftOut: opts.leftOut ?? { a: {}, b: {} } },
    history: [],
  };
  for (const [sectionId, { a, b, round = 1 }] of Object.entries(revealed)) {
    const status: SectionStatus = { state: 'revealed', round, ready: { a: true, b: true }, revealedAt: AT };
    state.sections[sectionId] = status;
    state.revealed[sectionId] = projectSection({ template, sectionId, round, mode: opts.mode ?? 'full', a, b });
  }
  for (const sectionId of opts.open ?? []) {
    state.sections[sectionId] = { state: 'open', round: 1, ready: { a: true, b: false }, revealedAt: null };
  }
  return state;
}

const names = { a: 'Alex', b: 'Sam' };
const build = (r: RoomDocState, agreementText = '', title: string | null = 'Our weekend') =>
  buildAgreement({ template, room: r, agreementText, names, title });

const activities = {
  a: {
    impact_hand: { giving: 'yes', receiving: 'favourite' },
    restraint_rope: { giving: 'favourite' },
    restraint_gag: { receiving: 'hard_limit', note: 'breathing' },
    sensation_wax: { giving: 'yes' },
  },
  b: {
    impact_hand: { giving: 'yes', receiving: 'yes_for_you' },
    restraint_rope: { receiving: 'yes' },
    restraint_gag: { giving: 'curious' },
    sensation_wax: { receiving: 'not_now' },
  },
};
const safety = {
  a: { safety_safeword: { text: 'red' }, safety_check_in_cadence: { choice: 'often' } },
  b: { safety_safeword: { text: 'pineapple' } },
};

describe('buildAgreement', () => {
  it('AG1 takes only revealed sections, in template order, with items in template order', () => {
    const r = room({ safety, activities }, { open: ['limits'] });
    // a stale revealed entry for a section that is open again must not leak
    r.revealed.limits = { round: 1, a: { limits_hard: { text: 'stale' } }, b: {}, changed: {} };
    const agreement = build(r);
    expect(agreement.sections.map((s) => s.id)).toEqual(['activities', 'safety']);
    expect(agreement.sections[0]?.items.map((i) => i.id)).toEqual([
      'impact_hand',
      'restraint_rope',
      'restraint_gag',
      'sensation_wax',
    ]);
    expect(JSON.stringify(agreement)).not.toContain('stale');
    expect(agreement.sections[1]).toMatchObject({ title: 'Safety & signals', round: 1, revealedAt: AT });
    expect(agreement).toMatchObject({ templateId: 'default', templateVersion: 1, partners: names, title: 'Our weekend' });
  });

  it('AG2 summarises matches per direction, each person’s hard limits, what to talk through, signals and aftercare', () => {
    const aftercare = { a: { aftercare_right_after: { choices: ['held', 'water_snack'] } }, b: {} };
    const { summary, sections } = build(room({ activities, safety, aftercare }));
    expect(summary.matches).toEqual([
      { way: 'aToB', items: [{ id: 'impact_hand', label: 'Spanking with a hand' }, { id: 'restraint_rope', label: 'Rope bondage' }] },
      { way: 'bToA', items: [{ id: 'impact_hand', label: 'Spanking with a hand' }] },
    ]);
    // Alex's hard limit is Alex's, not a class of the item: Sam's "curious" giving is a neither.
    expect(summary.limits).toEqual({ a: { hardLimits: ['Gags (receiving)'], written: [] }, b: { hardLimits: [], written: [] } });
    expect(summary.toTalkAbout).toEqual(['Candle wax (Alex → Sam): Difference']);
    expect(summary.signals).toEqual([
      { label: 'Your safeword', a: 'red', b: 'pineapple' },
      { label: 'How often should we check in during a scene?', a: 'Often' },
    ]);
    expect(summary.aftercare).toEqual([{ label: 'What helps you right after?', a: 'Being held, Water and a snack' }]);
    expect(sections[0]?.items.map((i) => i.reading.lines.map((l) => l.cls))).toEqual([
      ['match', 'match'],
      ['match', 'unanswered'],
      ['unanswered', 'neither'],
      ['difference', 'unanswered'],
    ]);
    expect(sections[0]?.items[0]?.display).toEqual({
      a: 'Giving: Yes, Receiving: Favourite',
      b: 'Giving: Yes, Receiving: Yes, for you',
    });
  });

  it('AG3 in a discreet room lists only shared directions and own hard limits, and counts the rest', () => {
    const agreement = build(room({ activities }, { mode: 'discreet' }));
    const section = agreement.sections[0];
    expect(section?.items.map((i) => i.id)).toEqual(['impact_hand', 'restraint_rope', 'restraint_gag']);
    expect(section?.items.find((i) => i.id === 'restraint_gag')).toMatchObject({ a: { receiving: 'hard_limit' } });
    expect(section?.items.find((i) => i.id === 'restraint_gag')?.b).toBeUndefined();
    expect(JSON.stringify(agreement)).not.toContain('breathing');
    const activityCount = template.sections.find((s) => s.id === 'activities')?.items.length ?? 0;
    expect(section?.notShared).toBe(activityCount - 2);
    expect(agreement.summary.toTalkAbout).toEqual([]);
    expect(agreement.summary.matches.map((m) => [m.way, m.items.map((i) => i.id)])).toEqual([
      ['aToB', ['impact_hand', 'restraint_rope']],
      ['bToA', ['impact_hand']],
    ]);
  });

  it('AG4 carries the free text and the review date', () => {
    const agreement = build(room({}, { reviewDate: '2025-06-01' }), 'We start slowly.');
    expect(agreement.freeText).toBe('We start slowly.');
    expect(agreement.reviewDate).toBe('2025-06-01');
    expect(agreement.sections).toEqual([]);
  });
});

describe('agreementHash', () => {
  const base = () => room({ activities, safety }, { reviewDate: '2025-06-01' });

  it('AG5 is hex SHA-256, stable, and independent of key order', () => {
    const hash = agreementHash(build(base(), 'text'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(agreementHash(build(base(), 'text'))).toBe(hash);
    const reordered = base();
    reordered.revealed = Object.fromEntries(Object.entries(reordered.revealed).reverse());
    const revealedActivities = reordered.revealed.activities;
    const hand = revealedActivities?.a.impact_hand;
    if (revealedActivities && hand) revealedActivities.a.impact_hand = Object.fromEntries(Object.entries(hand).reverse());
    expect(agreementHash(build(reordered, 'text'))).toBe(hash);
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
  });

  it('AG6 changes when a revealed answer, the free text or the review date changes', () => {
    const hash = agreementHash(build(base(), 'text'));
    expect(agreementHash(build(base(), 'text!'))).not.toBe(hash);
    const date = base();
    date.meta.reviewDate = '2025-07-01';
    expect(agreementHash(build(date, 'text'))).not.toBe(hash);
    const answer = base();
    answer.revealed.safety!.b.safety_safeword = { text: 'banana' };
    expect(agreementHash(build(answer, 'text'))).not.toBe(hash);
    const newRound = room({ activities, safety: { ...safety, round: 2 } }, { reviewDate: '2025-06-01' });
    expect(agreementHash(build(newRound, 'text'))).not.toBe(hash);
  });

  it('AG7 does not change for answers outside the revealed sections', () => {
    const hash = agreementHash(build(base(), 'text'));
    const extra = base();
    extra.revealed.limits = { round: 1, a: { limits_hard: { text: 'unrevealed' } }, b: {}, changed: {} };
    expect(agreementHash(build(extra, 'text'))).toBe(hash);
  });
});

describe('agreementToMarkdown', () => {
  it('AG8 renders a printable document with human labels', () => {
    const md = agreementToMarkdown(build(room({ activities, safety }, { reviewDate: '2025-06-01' }), 'Slowly.'));
    expect(md).toMatch(/^# Our weekend\n\nAlex and Sam · Review on 1 June 2025\n/);
    expect(md).not.toMatch(/Worksheet|version 1|default/);
    // the plan comes first, the full detail after it
    expect(md.indexOf('## The plan')).toBeLessThan(md.indexOf('## The full detail'));
    expect(md).toContain('- **Alex → Sam:** Spanking with a hand, Rope bondage\n- **Sam → Alex:** Spanking with a hand');
    expect(md).toContain('- **Alex’s limits**\n  - Rated a hard limit: Gags (receiving)\n- **Sam’s limits**\n  - No hard limits marked');
    expect(md).toContain('- **Your safeword:** Alex: red · Sam: pineapple');
    expect(md).toContain('Giving: Yes, Receiving: Yes, for you');
    expect(md).toContain('  - **Alex:** Often');
    expect(md).toContain('### In our own words\n\nSlowly.');
    expect(md).toContain('_Round 1 · revealed 17 May 2025_');
    expect(md).toContain('**Gags** — Neither wants this (Sam → Alex)');
    expect(md).toContain('**Spanking with a hand** — Match (Alex → Sam); Match (Sam → Alex)');
  });

  it('AG9 says so when nothing is there yet', () => {
    const agreement = buildAgreement({
      template,
      room: room({}),
      agreementText: '',
      names: { a: 'Alex', b: null },
      title: null,
    });
    const md = agreementToMarkdown(agreement);
    expect(md).toMatch(/^# Our agreement\n/);
    expect(md).toContain('Alex and Partner · No review date yet');
    expect(md).toContain('_No section has been revealed yet._');
  });

  it('AG10 escapes Markdown and HTML in names, answers and free text', () => {
    const hostile = {
      a: { safety_safeword: { text: '**bold** <script>alert(1)</script>\n# not a heading\n    code?' } },
      b: { safety_nonverbal: { text: '[click](javascript:alert(1)) | a | b |\n1. list\n---' } },
    };
    const agreement = buildAgreement({
      template,
      room: room({ safety: hostile }),
      agreementText: '> quote\n\n- item\n`tick` ~strike~ &amp; _em_',
      names: { a: '*Alex*', b: '<b>Sam</b>' },
      title: '# Title [x](y)',
    });
    const md = agreementToMarkdown(agreement);
    expect(md).toMatch(/^# \\# Title \\\[x\\\]\(y\)\n/);
    expect(md).toContain('\\*Alex\\* and \\<b\\>Sam\\</b\\>');
    expect(md).toContain('\\*\\*bold\\*\\* \\<script\\>alert(1)\\</script\\>\\\n    \\# not a heading\\\n    code?');
    expect(md).toContain('\\[click\\](javascript:alert(1)) \\| a \\| b \\|\\\n    1\\. list\\\n    \\---');
    expect(md).toContain('\\> quote\n\n\\- item\\\n\\`tick\\` \\~strike\\~ \\&amp; \\_em\\_');
    expect(md).not.toMatch(/<script>|<b>|(?<!\\)\]\(javascript/);
  });
});

describe('leaving items out by shared choice', () => {
  const leftOut = (a: Record<string, number>, b: Record<string, number>) => ({ a, b });
  const base = (choices = leftOut({}, {})) => room({ activities, safety }, { leftOut: choices });

  it('AG11 an item is out only when both chose it in its current round, and the hash follows the exclusion set', () => {
    const none = build(base());
    const one = build(base(leftOut({ restraint_rope: 1 }, {})));
    const both = build(base(leftOut({ restraint_rope: 1 }, { restraint_rope: 1 })));
    const oldRound = build(base(leftOut({ restraint_rope: 0 }, { restraint_rope: 1 })));
    // one person's proposal changes nothing: the agreement is the same, so a confirmation holds
    expect(agreementHash(one)).toBe(agreementHash(none));
    expect(agreementHash(oldRound)).toBe(agreementHash(none));
    expect(agreementHash(both)).not.toBe(agreementHash(none));
    expect(both.leftOut).toEqual([{ id: 'restraint_rope', label: 'Rope bondage' }]);
    const otherItem = build(base(leftOut({ impact_hand: 1 }, { impact_hand: 1 })));
    expect(agreementHash(otherItem)).not.toBe(agreementHash(both));
  });

  it('AG12 a left-out item is absent from the detail, the plan, the Markdown and the lines; a hard limit on it stays its owner’s', () => {
    const agreement = build(base(leftOut({ restraint_rope: 1, restraint_gag: 1, safety_safeword: 1 }, { restraint_rope: 1, restraint_gag: 1, safety_safeword: 1 })));
    const ids = agreement.sections.flatMap((s) => s.items.map((i) => i.id));
    expect(ids).not.toContain('restraint_rope');
    expect(ids).not.toContain('restraint_gag');
    expect(ids).not.toContain('safety_safeword');
    expect(agreement.summary.matches.flatMap((m) => m.items.map((i) => i.id))).not.toContain('restraint_rope');
    expect(agreement.summary.signals.map((l) => l.label)).not.toContain('Your safeword');
    expect(agreement.summary.limits.a.hardLimits).toEqual(['Gags (receiving)']);
    const md = agreementToMarkdown(agreement);
    expect(md).not.toMatch(/Rope bondage|pineapple|breathing/);
    expect(md).toContain('- **Alex’s limits**\n  - Rated a hard limit: Gags (receiving)');
    expect(md).toContain('_3 items left out by shared choice._');
    const lines = agreementLines(agreement);
    expect(lines.filter((l) => l.includes('Rope bondage'))).toEqual(['Left out by shared choice: Rope bondage']);
    expect(lines.join('\n')).not.toContain('pineapple');
  });
});

describe('confirmations in exports and the lines of a version', () => {
  const confirmed = () => {
    const agreement = build(room({ activities, safety }, { reviewDate: '2031-05-04' }), 'We start slow.');
    return { agreement, hash: agreementHash(agreement) };
  };
  const at = Date.UTC(2026, 11, 1, 18, 20);

  it('AG13 the Markdown says who confirmed and when, as a date, in the reader’s time zone or in UTC', () => {
    const { agreement, hash } = confirmed();
    const confirmations = { a: { hash, at }, b: { hash: 'f'.repeat(64), at: at - 86_400_000 } };
    const utc = agreementToMarkdown(agreement, { confirmations, hash });
    expect(utc).toContain('- Confirmed by Alex on 1 December 2026, 18:20 UTC');
    expect(utc).toContain('- Sam confirmed an earlier version on 30 November 2026, 18:20 UTC; it has changed since');
    expect(utc).not.toMatch(/just now|ago/);
    const berlin = agreementToMarkdown(agreement, { confirmations: { a: { hash, at }, b: null }, hash, timeZone: 'Europe/Berlin' });
    expect(berlin).toContain('- Confirmed by Alex on 1 December 2026, 19:20\n- Not confirmed by Sam');
  });

  it('AG14 the lines say each part of the agreement on its own, so a change is one line out and one in', () => {
    const { agreement } = confirmed();
    const lines = agreementLines(agreement);
    expect(lines).toContain('Review on 4 May 2031');
    expect(lines).toContain('What you both want · Alex → Sam: Rope bondage');
    expect(lines).toContain('Alex’s limits · Rated a hard limit: Gags (receiving)');
    expect(lines).toContain('Safety & signals · Your safeword: Alex: red · Sam: pineapple');
    expect(lines).toContain('In our own words: We start slow.');
    const changed = build(room({ activities, safety: { ...safety, b: { safety_safeword: { text: 'mango' } } } }, { reviewDate: '2031-05-04' }), 'We start slow.');
    const after = agreementLines(changed);
    expect(lines.filter((l) => !after.includes(l))).toEqual(['Safety & signals · Your safeword: Alex: red · Sam: pineapple']);
    expect(after.filter((l) => !lines.includes(l))).toEqual(['Safety & signals · Your safeword: Alex: red · Sam: mango']);
  });
});
