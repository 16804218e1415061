/** Pure helpers for binding a plain textarea to a Y.Text. */

export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The single edit that turns `before` into `after`. `caret` (the caret after the edit) picks the
 * intended spot when the change is ambiguous, e.g. typing "a" inside "aa".
 */
export function diffText(before: string, after: string, caret?: number): TextChange | null {
  if (before === after) return null;
  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (caret !== undefined) {
    const inserted = Math.max(0, after.length - before.length);
    prefix = Math.max(0, Math.min(prefix, caret - inserted));
  }
  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length) - prefix;
  while (
    suffix < maxSuffix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // never split a surrogate pair
  while (prefix > 0 && isLowSurrogate(after.charCodeAt(prefix))) prefix--;
  while (suffix > 0 && isLowSurrogate(after.charCodeAt(after.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** A Y.Text delta as `YTextEvent#delta` reports it. */
export type TextDelta = Array<{ insert?: unknown; retain?: number; delete?: number }>;

/** Where a caret at `index` ends up after a remote change described by `delta`. */
export function transformIndex(index: number, delta: TextDelta): number {
  let pos = 0; // position in the old text
  let result = index;
  for (const op of delta) {
    if (pos > index) break;
    if (op.retain !== undefined) {
      pos += op.retain;
    } else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      // text inserted exactly at the caret goes after it: the caret stays where the user left it
      if (pos < index) result += len;
    } else if (op.delete !== undefined) {
      const removedBeforeCaret = Math.max(0, Math.min(op.delete, index - pos));
      result -= removedBeforeCaret;
      pos += op.delete;
    }
  }
  return Math.max(0, result);
}

/** One line of a line diff: kept, or only in the old version, or only in the new one. */
export interface LineChange {
  kind: 'kept' | 'removed' | 'added';
  line: string;
}

/**
 * The lines that turn `before` into `after` (longest common subsequence, removals before the
 * additions that replace them). Quadratic, for documents of a few hundred lines such as the
 * agreement's; beyond `limit` lines on either side it compares them as sets instead.
 */
export function diffLines(before: readonly string[], after: readonly string[], limit = 2000): LineChange[] {
  if (before.length > limit || after.length > limit) {
    const old = new Set(before);
    const now = new Set(after);
    return [
      ...before.filter((l) => !now.has(l)).map((line) => ({ kind: 'removed' as const, line })),
      ...after.filter((l) => !old.has(l)).map((line) => ({ kind: 'added' as const, line })),
    ];
  }
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: length of the longest common subsequence of before[i..] and after[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ kind: 'kept', line: before[i]! });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ kind: 'removed', line: before[i++]! });
    } else {
      out.push({ kind: 'added', line: after[j++]! });
    }
  }
  return out;
}
