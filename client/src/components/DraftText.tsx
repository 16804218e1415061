import { useEffect, useRef, useState } from 'react';

interface Props {
  id: string;
  value: string;
  onCommit: (value: string) => void;
  multiline?: boolean;
  rows?: number;
  maxLength?: number;
  placeholder?: string;
  describedBy?: string;
  label?: string;
  className?: string;
}

const COMMIT_DELAY_MS = 300;

/**
 * A text field that keeps its own draft while the user types and commits it shortly after
 * (and on blur), so one keystroke is not one stored update. Outside changes (another device of
 * the same person) are adopted whenever the field holds no unsaved draft.
 */
export function DraftText({ id, value, onCommit, multiline, rows = 3, maxLength, placeholder, describedBy, label, className }: Props) {
  const [draft, setDraft] = useState(value);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;
  const draftRef = useRef(draft);
  draftRef.current = draft;

  useEffect(() => {
    if (!dirty.current) setDraft(value);
  }, [value]);

  const flush = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (dirty.current) {
      dirty.current = false;
      commitRef.current(draftRef.current);
    }
  };

  useEffect(() => flush, []);

  const change = (next: string) => {
    dirty.current = true;
    draftRef.current = next;
    setDraft(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush, COMMIT_DELAY_MS);
  };

  const common = {
    id,
    value: draft,
    maxLength,
    placeholder,
    className,
    'aria-describedby': describedBy,
    'aria-label': label,
    onBlur: flush,
  };
  return multiline ? (
    <textarea {...common} rows={rows} onChange={(e) => change(e.target.value)} />
  ) : (
    <input type="text" {...common} onChange={(e) => change(e.target.value)} />
  );
}
