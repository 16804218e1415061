// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollaborativeTextarea } from '../../client/src/components/CollaborativeTextarea';

afterEach(cleanup);

/** Two docs kept in sync by hand, like two browsers behind the server. */
function pair() {
  const local = new Y.Doc();
  const remote = new Y.Doc();
  local.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(remote, u, 'remote'));
  remote.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(local, u, 'remote'));
  return { local: local.getText('notes'), remote: remote.getText('notes') };
}

describe('CollaborativeTextarea', () => {
  it('CT1 sends local typing to the partner as Y.Text edits', () => {
    const { local, remote } = pair();
    render(<CollaborativeTextarea text={local} field="notes" id="n" label="Shared notes" />);
    const box = screen.getByLabelText('Shared notes') as HTMLTextAreaElement;
    box.focus();
    box.value = 'Bring water';
    box.setSelectionRange(11, 11);
    fireEvent.input(box);
    expect(remote.toString()).toBe('Bring water');
  });

  it('CT2 shows remote edits and keeps the caret where the user left it', () => {
    const { local, remote } = pair();
    local.insert(0, 'hello world');
    render(<CollaborativeTextarea text={local} field="notes" id="n" label="Shared notes" />);
    const box = screen.getByLabelText('Shared notes') as HTMLTextAreaElement;
    expect(box.value).toBe('hello world');
    box.focus();
    box.setSelectionRange(6, 6); // before "world"
    act(() => remote.insert(0, '>> '));
    expect(box.value).toBe('>> hello world');
    expect(box.selectionStart).toBe(9);
    act(() => remote.insert(box.value.length, '!'));
    expect(box.selectionStart).toBe(9);
  });
});
