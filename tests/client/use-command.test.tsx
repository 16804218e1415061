// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ChoiceCards } from '../../client/src/components/form/ChoiceCards';
import { Field } from '../../client/src/components/form/Field';
import { FormError } from '../../client/src/components/form/FormError';
import { ApiError } from '../../client/src/lib/api';
import { overHttp, useCommand } from '../../client/src/lib/use-command';
import type { Failure, Outcome } from '../../client/src/lib/use-command';

afterEach(cleanup);

/** A send whose answers the test releases one by one, in any order. */
function gatedSend() {
  const pending: ((outcome: Outcome) => void)[] = [];
  const send = (_label: string) => new Promise<Outcome>((resolve) => pending.push(resolve));
  return { send, pending };
}

const refused = (code: Failure['code']): Outcome => ({ ok: false, error: { code, message: 'diagnostic, never shown' } });

function CommandButton({ send, disableWhileBusy = true }: { send: (label: string) => Promise<Outcome>; disableWhileBusy?: boolean }) {
  const command = useCommand(send, { failed: (f) => (f.code === 'stale' ? 'Changed meanwhile' : 'Did not go through') });
  return (
    <div>
      <button type="button" disabled={disableWhileBusy && command.busy} onClick={() => void command.run('go')}>
        Send
      </button>
      {command.busy && <span>sending</span>}
      {command.acked && <span>done</span>}
      <FormError message={command.error} takeFocus={false} />
    </div>
  );
}

describe('useCommand', () => {
  it('keeps the button busy until the ack, then says it went through', async () => {
    const { send, pending } = gatedSend();
    render(<CommandButton send={send} />);
    const button = screen.getByRole('button', { name: 'Send' });
    fireEvent.click(button);
    expect(button).toHaveProperty('disabled', true);
    screen.getByText('sending');
    await act(async () => pending[0]?.({ ok: true }));
    expect(button).toHaveProperty('disabled', false);
    screen.getByText('done');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('words a refusal from its code and leaves focus on the button', async () => {
    const { send, pending } = gatedSend();
    render(<CommandButton send={send} />);
    const button = screen.getByRole('button', { name: 'Send' });
    button.focus();
    fireEvent.click(button);
    await act(async () => pending[0]?.(refused('stale')));
    expect(screen.getByRole('alert').textContent).toBe('Changed meanwhile');
    expect(document.activeElement).toBe(button);
    expect(screen.queryByText('done')).toBeNull();
    // sending again clears the old refusal while the new send is in flight
    fireEvent.click(button);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('an older answer arriving last does not overwrite the newer one', async () => {
    const { send, pending } = gatedSend();
    render(<CommandButton send={send} disableWhileBusy={false} />);
    const button = screen.getByRole('button', { name: 'Send' });
    fireEvent.click(button);
    fireEvent.click(button);
    await act(async () => pending[1]?.({ ok: true }));
    screen.getByText('sending'); // the first is still out
    await act(async () => pending[0]?.(refused('unavailable')));
    expect(screen.queryByText('sending')).toBeNull();
    screen.getByText('done');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('overHttp', () => {
  it('passes an ApiError on as itself and counts anything else thrown as internal', async () => {
    const apiError = new ApiError('rate_limited', 429, 'slow down');
    const outcome = await overHttp(() => Promise.reject(apiError))();
    expect(outcome).toEqual({ ok: false, error: apiError });
    expect(!outcome.ok && outcome.error).toBe(apiError);
    const other = await overHttp(() => Promise.reject(new SyntaxError('bad json')))();
    expect(other.ok === false && other.error.code).toBe('internal');
    await expect(overHttp((n: number) => Promise.resolve(n * 2))(21)).resolves.toEqual({ ok: true, data: 42 });
  });
});

describe('form components', () => {
  it('Field and ChoiceCards label their inputs and describe them by their hints', () => {
    function Form() {
      const [mode, setMode] = useState<'full' | 'discreet'>('full');
      return (
        <form>
          <Field id="f-name" label="Your name" hint="What your partner will see." defaultValue="" />
          <ChoiceCards
            legend="How should answers be revealed?"
            name="revealMode"
            helpIdPrefix="mode"
            choices={[
              { value: 'full', label: 'Everything', help: 'Both answers are shown.' },
              { value: 'discreet', label: 'Discreet', help: 'Only what you both said yes to.' },
            ]}
            value={mode}
            onChange={setMode}
          />
          <output>{mode}</output>
        </form>
      );
    }
    render(<Form />);
    const name = screen.getByRole('textbox', { name: 'Your name' });
    expect(name.getAttribute('aria-describedby')).toBe('f-name-help');
    expect(document.getElementById('f-name-help')?.textContent).toBe('What your partner will see.');
    screen.getByRole('group', { name: 'How should answers be revealed?' });
    const discreet = screen.getByRole('radio', { name: /Discreet/ });
    expect(document.getElementById(discreet.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Only what you both said yes to.');
    expect(discreet.getAttribute('aria-describedby')).toBe('mode-discreet-help');
    fireEvent.click(discreet);
    expect(screen.getByRole('status').textContent).toBe('discreet');
  });

  it('a form’s error takes focus when it appears', () => {
    const { rerender } = render(<FormError message={null} />);
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<FormError message="That code did not open a workshop." />);
    expect(document.activeElement).toBe(screen.getByRole('alert'));
  });
});
