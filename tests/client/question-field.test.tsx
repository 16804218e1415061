// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Question } from '@parley/shared/template/schema';
import { QuestionField } from '../../client/src/features/room/QuestionField';

afterEach(cleanup);

describe('QuestionField', () => {
  it('CQ1 dual rating: giving and receiving are separate labelled groups', () => {
    const onChange = vi.fn();
    const q: Question = { id: 'rope', label: 'Rope', type: 'dual_rating', conditions: true };
    render(<QuestionField question={q} answer={undefined} onChange={onChange} />);
    const giving = screen.getByRole('group', { name: 'Giving' });
    fireEvent.click(within(giving).getByRole('radio', { name: 'Yes, for you' }));
    expect(onChange).toHaveBeenLastCalledWith({ giving: 'yes_for_you' });
    fireEvent.click(within(screen.getByRole('group', { name: 'Receiving' })).getByRole('radio', { name: 'Hard limit' }));
    expect(onChange).toHaveBeenLastCalledWith({ receiving: 'hard_limit' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Sober only' }));
    expect(onChange).toHaveBeenLastCalledWith({ conditions: ['sober_only'] });
  });

  it('CQ2 choice, multi and scale report option ids and numbers', () => {
    const onChange = vi.fn();
    const multi: Question = {
      id: 'roles',
      label: 'Roles',
      type: 'multi',
      options: [
        { id: 'dom', label: 'Dominant' },
        { id: 'sub', label: 'submissive' },
      ],
    };
    render(<QuestionField question={multi} answer={{ choices: ['sub'] }} onChange={onChange} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Dominant' }));
    expect(onChange).toHaveBeenLastCalledWith({ choices: ['dom', 'sub'] });
    cleanup();

    const scale: Question = { id: 'energy', label: 'Energy', type: 'scale', min: 1, max: 5, labels: { low: 'tired', high: 'buzzing' } };
    render(<QuestionField question={scale} answer={{ scale: 2 }} onChange={onChange} />);
    expect((screen.getByRole('radio', { name: '2 of 5' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: '5 of 5 (buzzing)' }));
    expect(onChange).toHaveBeenLastCalledWith({ scale: 5 });
  });
});
