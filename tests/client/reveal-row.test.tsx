// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RevealedSection } from '@parley/shared/protocol/room-doc';
import { defaultTemplate } from '@parley/shared/template/default';
import type { Question, Section } from '@parley/shared/template/schema';
import { RevealRow } from '../../client/src/features/reveal/RevealRow';
import { buildRows, hardLimitsBySeat, matchesFilter } from '../../client/src/features/reveal/rows';

afterEach(cleanup);

const dual: Question = { id: 'rope', label: 'Rope', type: 'dual_rating', note: true, experience: true };
const text: Question = { id: 'word', label: 'Your safeword', type: 'text' };
const section: Section = { id: 's', title: 'S', why: 'why', kind: 'questions', items: [dual, text] };
const names = { a: 'Alex', b: 'Sam' };
const revealed = (a: RevealedSection['a'], b: RevealedSection['b']): RevealedSection => ({ round: 1, a, b, changed: {} });

function rowFor(seat: 'a' | 'b', r: RevealedSection, discreet = false) {
  const rows = buildRows(section, r, seat, seat === 'a' ? 'b' : 'a', names, discreet);
  return rows.find((x) => x.question.id === 'rope');
}

describe('reveal rows (one line per direction, naming people)', () => {
  it('CR1 says the complementary D/s item is a match, from each side', () => {
    const r = revealed({ rope: { giving: 'yes', receiving: 'hard_limit' } }, { rope: { giving: 'hard_limit', receiving: 'favourite' } });
    expect(rowFor('a', r)?.lines).toEqual([
      { way: 'mine', cls: 'match', text: 'You → Sam: you’d give Yes, Sam would receive Favourite — a match' },
      { way: 'theirs', cls: 'neither', text: 'Sam → you: neither of you wants this' },
    ]);
    expect(rowFor('b', r)?.lines[0]).toEqual({ way: 'theirs', cls: 'match', text: 'Alex → you: Alex would give Yes, you’d receive Favourite — a match' });
    expect(hardLimitsBySeat(section, r)).toEqual({
      a: [{ itemId: 'rope', label: 'Rope', side: 'receiving' }],
      b: [{ itemId: 'rope', label: 'Rope', side: 'giving' }],
    });
  });

  it('CR2 files matches and things to talk about under their filters', () => {
    const match = rowFor('a', revealed({ rope: { giving: 'yes' } }, { rope: { receiving: 'yes' } }));
    const maybe = rowFor('a', revealed({ rope: { giving: 'yes' } }, { rope: { receiving: 'curious' } }));
    if (!match || !maybe) throw new Error('rows missing');
    expect([matchesFilter(match, 'matches'), matchesFilter(match, 'talk')]).toEqual([true, false]);
    expect([matchesFilter(maybe, 'matches'), matchesFilter(maybe, 'talk')]).toEqual([false, true]);
    expect(maybe.lines[0]?.text).toBe('You → Sam: you’d give Yes, Sam would receive Curious — a maybe');
  });

  it('CR3 in a discreet room shows only shared directions and leaves out items with none', () => {
    const r = revealed({ rope: { giving: 'yes' } }, { rope: { receiving: 'yes' } });
    expect(rowFor('a', r, true)?.lines.map((l) => l.cls)).toEqual(['match']);
    expect(rowFor('a', revealed({ rope: { receiving: 'hard_limit' } }, {}), true)).toBeUndefined();
  });
});

describe('RevealRow', () => {
  it('CR4 renders each line with a text label, not colour alone, and the template’s talking prompt', () => {
    const row = rowFor('a', revealed({ rope: { giving: 'yes', note: 'gently' } }, { rope: { receiving: 'not_now' } }));
    if (!row) throw new Error('row missing');
    render(
      <ul>
        <RevealRow question={dual} mine={row.mine} theirs={row.theirs} lines={row.lines} compare={null} partnerName="Sam" prompts={defaultTemplate.guidance.talkPrompts} />
      </ul>,
    );
    const li = screen.getAllByRole('listitem')[0] as HTMLElement;
    expect(li.getAttribute('data-classes')).toBe('difference');
    expect(li.textContent).toContain('Difference');
    expect(li.textContent).toContain('You → Sam: you’d give Yes, Sam would receive Not now — a difference to talk about');
    expect(li.textContent).toContain(defaultTemplate.guidance.talkPrompts?.difference);
    expect(li.textContent).toContain('“gently”');
  });

  it('CR5 renders free text as text, never as markup, and marks later changes', () => {
    render(
      <ul>
        <RevealRow question={text} mine={{ text: '<img src=x onerror=alert(1)>' }} theirs={{ text: 'Red' }} lines={[]} compare={null} partnerName="Sam" changed={{ name: 'Sam', at: Date.now() - 120_000 }} />
      </ul>,
    );
    const li = screen.getByRole('listitem');
    expect(li.querySelector('img')).toBeNull();
    expect(li.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(li.textContent).toContain('changed after reveal by Sam');
  });
});
