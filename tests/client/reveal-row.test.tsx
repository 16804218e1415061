// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Question } from '@parley/shared/template/schema';
import { RevealRow } from '../../client/src/features/reveal/RevealRow';

afterEach(cleanup);

const dual: Question = { id: 'rope', label: 'Rope', type: 'dual_rating', note: true, experience: true };
const text: Question = { id: 'word', label: 'Your safeword', type: 'text' };

function row(props: Partial<Parameters<typeof RevealRow>[0]>) {
  render(
    <ul>
      <RevealRow question={dual} mine={undefined} theirs={undefined} match={null} partnerName="Sam" {...props} />
    </ul>,
  );
  return screen.getByRole('listitem');
}

describe('RevealRow', () => {
  it.each([
    ['mutual', 'Shared yes'],
    ['one_sided', 'One-sided'],
    ['mismatch', 'Mismatch'],
    ['limit', 'Limit'],
  ] as const)('shows the %s class with a text label, not colour alone', (match, label) => {
    const li = row({ match, mine: { giving: 'yes' }, theirs: { receiving: 'hard_limit' } });
    expect(li.getAttribute('data-match')).toBe(match);
    expect(li.className).toContain(`reveal-row--${match}`);
    expect(li.textContent).toContain(label);
  });

  it('shows both answers side by side with their details', () => {
    const li = row({
      match: 'mutual',
      mine: { giving: 'favourite', experience: 'some', note: 'gently' },
      theirs: { receiving: 'yes' },
    });
    expect(li.textContent).toContain('You');
    expect(li.textContent).toContain('giving: Favourite');
    expect(li.textContent).toContain('Experience: Some');
    expect(li.textContent).toContain('“gently”');
    expect(li.textContent).toContain('Sam');
    expect(li.textContent).toContain('receiving: Yes');
  });

  it('shows an off-table item without saying whose no it was', () => {
    const li = row({ mine: { offTable: true }, theirs: { offTable: true } });
    expect(li.getAttribute('data-match')).toBe('off_table');
    expect(li.textContent).toContain('Off the table');
    expect(li.textContent).not.toContain('Sam');
    expect(li.textContent).not.toContain('You');
  });

  it('renders free text as text, never as markup, and marks later changes', () => {
    const li = row({
      question: text,
      mine: { text: '<img src=x onerror=alert(1)>' },
      theirs: { text: 'Red' },
      changed: { name: 'Sam', at: Date.now() - 120_000 },
    });
    expect(li.querySelector('img')).toBeNull();
    expect(li.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(li.textContent).toContain('changed after reveal by Sam');
  });
});
