import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffLines, diffText, transformIndex } from '../../client/src/lib/text-diff';
import type { TextDelta } from '../../client/src/lib/text-diff';

describe('diffText (textarea → Y.Text)', () => {
  it('CD1 finds a single insertion, deletion and replacement', () => {
    expect(diffText('hello', 'hello world')).toEqual({ index: 5, remove: 0, insert: ' world' });
    expect(diffText('hello world', 'hello')).toEqual({ index: 5, remove: 6, insert: '' });
    expect(diffText('a cat sat', 'a dog sat')).toEqual({ index: 2, remove: 3, insert: 'dog' });
    expect(diffText('same', 'same')).toBeNull();
  });

  it('CD2 uses the caret to place an ambiguous insertion where the user typed', () => {
    // typing "a" at position 1 of "aa": caret ends at 2
    expect(diffText('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
  });

  it('CD3 never splits a surrogate pair', () => {
    const change = diffText('x😀', 'x😃');
    expect(change).not.toBeNull();
    const applied = 'x😀'.slice(0, change!.index) + change!.insert + 'x😀'.slice(change!.index + change!.remove);
    expect(applied).toBe('x😃');
    expect(change!.insert).toBe('😃');
  });

  it('CD4 applied to a Y.Text, turns any edit into the new value (randomised)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 16807) % 2147483647) % n);
    const doc = new Y.Doc();
    const text = doc.getText('t');
    let value = '';
    for (let i = 0; i < 300; i++) {
      const at = rand(value.length + 1);
      const del = rand(Math.min(4, value.length - at) + 1);
      const ins = 'abc \n'.slice(0, rand(4));
      const next = value.slice(0, at) + ins + value.slice(at + del);
      const change = diffText(text.toString(), next, at + ins.length);
      if (change) {
        if (change.remove) text.delete(change.index, change.remove);
        if (change.insert) text.insert(change.index, change.insert);
      }
      value = next;
      expect(text.toString()).toBe(value);
    }
  });
});

describe('transformIndex (keeps the caret stable on remote changes)', () => {
  it('CD5 shifts for text inserted or deleted before the caret, not after', () => {
    const insertBefore: TextDelta = [{ retain: 2 }, { insert: 'XY' }];
    expect(transformIndex(5, insertBefore)).toBe(7);
    const insertAfter: TextDelta = [{ retain: 6 }, { insert: 'XY' }];
    expect(transformIndex(5, insertAfter)).toBe(5);
    const deleteBefore: TextDelta = [{ retain: 1 }, { delete: 2 }];
    expect(transformIndex(5, deleteBefore)).toBe(3);
    const deleteAcross: TextDelta = [{ retain: 3 }, { delete: 5 }];
    expect(transformIndex(5, deleteAcross)).toBe(3);
    const atCaret: TextDelta = [{ retain: 5 }, { insert: 'Z' }];
    expect(transformIndex(5, atCaret)).toBe(5);
  });
});

describe('diffLines', () => {
  it('CD6 lists what was removed and added between two versions, keeps the rest, in order', () => {
    const before = ['Review: not set', 'Safeword: Pineapple', 'Rope bondage', 'Spanking'];
    const after = ['Review: 4 May', 'Safeword: Pineapple', 'Spanking', 'Wax'];
    expect(diffLines(before, after)).toEqual([
      { kind: 'removed', line: 'Review: not set' },
      { kind: 'added', line: 'Review: 4 May' },
      { kind: 'kept', line: 'Safeword: Pineapple' },
      { kind: 'removed', line: 'Rope bondage' },
      { kind: 'kept', line: 'Spanking' },
      { kind: 'added', line: 'Wax' },
    ]);
    expect(diffLines(before, before).every((c) => c.kind === 'kept')).toBe(true);
    // beyond the limit it falls back to a comparison of sets, still naming every change
    expect(diffLines(before, after, 2).filter((c) => c.kind !== 'kept')).toEqual([
      { kind: 'removed', line: 'Review: not set' },
      { kind: 'removed', line: 'Rope bondage' },
      { kind: 'added', line: 'Review: 4 May' },
      { kind: 'added', line: 'Wax' },
    ]);
  });
});
