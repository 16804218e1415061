import { useCallback, useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { diffText, transformIndex } from '../lib/text-diff';
import type { TextDelta } from '../lib/text-diff';

/** Transaction origin of edits made in this textarea, so its own changes are not re-applied. */
const LOCAL_ORIGIN = Symbol('textarea');

interface RemoteCursor {
  clientId: number;
  name: string;
  seat: string;
  anchor: number;
  head: number;
}

interface Props {
  text: Y.Text;
  /** shared-doc awareness: publishes this caret and draws the partner's */
  awareness?: Awareness;
  /** which field the awareness cursor belongs to */
  field: string;
  id: string;
  label?: string;
  labelledBy?: string;
  describedBy?: string;
  rows?: number;
  placeholder?: string;
  cursorLabel?: (name: string) => string;
}

interface CursorState {
  field: string;
  anchor: unknown;
  head: unknown;
}

/**
 * A plain textarea bound to a Y.Text: local edits become minimal Y.Text changes, remote changes
 * update the value while keeping the caret where the user left it, and the partner's caret and
 * selection are drawn on a mirror layer behind the text.
 */
export function CollaborativeTextarea({
  text,
  awareness,
  field,
  id,
  label,
  labelledBy,
  describedBy,
  rows = 6,
  placeholder,
  cursorLabel,
}: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const mirrorRef = useRef<HTMLDivElement>(null);
  const [initial] = useState(() => text.toString());
  const [value, setValue] = useState(initial);
  const [cursors, setCursors] = useState<RemoteCursor[]>([]);

  const publishCursor = useCallback(() => {
    const el = ref.current;
    const doc = text.doc;
    if (!awareness || !el || !doc) return;
    if (document.activeElement !== el) return;
    const cursor: CursorState = {
      field,
      anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, el.selectionStart)),
      head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, el.selectionEnd)),
    };
    awareness.setLocalStateField('cursor', cursor);
  }, [awareness, field, text]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.value = text.toString();
    setValue(el.value);

    const onInput = () => {
      const change = diffText(text.toString(), el.value, el.selectionEnd);
      if (change) {
        text.doc?.transact(() => {
          if (change.remove > 0) text.delete(change.index, change.remove);
          if (change.insert) text.insert(change.index, change.insert);
        }, LOCAL_ORIGIN);
      }
      setValue(el.value);
      publishCursor();
    };
    const observer = (event: Y.YTextEvent, tr: Y.Transaction) => {
      if (tr.origin === LOCAL_ORIGIN) return;
      const delta = event.delta as TextDelta;
      const start = transformIndex(el.selectionStart, delta);
      const end = transformIndex(el.selectionEnd, delta);
      const direction = el.selectionDirection;
      const focused = document.activeElement === el;
      el.value = text.toString();
      if (focused) el.setSelectionRange(start, end, direction ?? undefined);
      setValue(el.value);
    };
    const onBlur = () => awareness?.setLocalStateField('cursor', null);
    const onSelect = () => publishCursor();
    const onDocSelection = () => {
      if (document.activeElement === el) publishCursor();
    };

    text.observe(observer);
    el.addEventListener('input', onInput);
    el.addEventListener('blur', onBlur);
    el.addEventListener('focus', onSelect);
    el.addEventListener('select', onSelect);
    el.addEventListener('keyup', onSelect);
    el.addEventListener('mouseup', onSelect);
    document.addEventListener('selectionchange', onDocSelection);
    return () => {
      text.unobserve(observer);
      el.removeEventListener('input', onInput);
      el.removeEventListener('blur', onBlur);
      el.removeEventListener('focus', onSelect);
      el.removeEventListener('select', onSelect);
      el.removeEventListener('keyup', onSelect);
      el.removeEventListener('mouseup', onSelect);
      document.removeEventListener('selectionchange', onDocSelection);
    };
  }, [text, awareness, publishCursor]);

  // The partner's caret: read from awareness, resolved against the current text.
  useEffect(() => {
    if (!awareness) return;
    const doc = text.doc;
    const read = () => {
      if (!doc) return;
      const found: RemoteCursor[] = [];
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === awareness.clientID) return;
        const cursor = state.cursor as CursorState | null | undefined;
        const user = state.user as { name?: unknown; seat?: unknown } | undefined;
        if (!cursor || cursor.field !== field) return;
        const anchor = toIndex(cursor.anchor, doc);
        const head = toIndex(cursor.head, doc);
        if (anchor === null || head === null) return;
        found.push({
          clientId,
          name: typeof user?.name === 'string' ? user.name : '',
          seat: user?.seat === 'a' || user?.seat === 'b' ? user.seat : 'b',
          anchor,
          head,
        });
      });
      setCursors(found);
    };
    read();
    awareness.on('change', read);
    text.observe(read);
    return () => {
      awareness.off('change', read);
      text.unobserve(read);
    };
  }, [awareness, text, field]);

  // Keep the mirror's wrapping and scroll identical to the textarea's.
  useEffect(() => {
    const el = ref.current;
    const mirror = mirrorRef.current;
    if (!el || !mirror) return;
    const sync = () => {
      const css = getComputedStyle(el);
      const borders = parseFloat(css.borderLeftWidth) + parseFloat(css.borderRightWidth);
      const scrollbar = el.offsetWidth - el.clientWidth - borders;
      mirror.style.setProperty('--scrollbar', `${Math.max(0, scrollbar)}px`);
      mirror.scrollTop = el.scrollTop;
    };
    sync();
    el.addEventListener('scroll', sync);
    const observer = new ResizeObserver(sync);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', sync);
      observer.disconnect();
    };
  }, [cursors, value]);

  return (
    <div className="collab">
      {cursors.length > 0 && (
        <div className="collab__mirror" ref={mirrorRef} aria-hidden="true">
          {renderMirror(value, cursors, cursorLabel)}
        </div>
      )}
      <textarea
        ref={ref}
        id={id}
        className="collab__input"
        rows={rows}
        aria-label={labelledBy ? undefined : label}
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        placeholder={placeholder}
        spellCheck
        defaultValue={initial}
      />
    </div>
  );
}

function toIndex(json: unknown, doc: Y.Doc): number | null {
  try {
    const rel = Y.createRelativePositionFromJSON(json);
    const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
    return abs ? abs.index : null;
  } catch {
    return null;
  }
}

/** Text split around the remote carets, with a marker and a highlighted selection for each. */
function renderMirror(
  value: string,
  cursors: RemoteCursor[],
  cursorLabel: ((name: string) => string) | undefined,
) {
  const cursor = cursors[0];
  if (!cursor) return null;
  const clamp = (n: number) => Math.max(0, Math.min(value.length, n));
  const from = clamp(Math.min(cursor.anchor, cursor.head));
  const to = clamp(Math.max(cursor.anchor, cursor.head));
  const caretAt = clamp(cursor.head);
  const caret = (
    <span className={`collab__caret collab__caret--${cursor.seat}`} data-testid="remote-cursor">
      <span className="collab__caret-name">{cursorLabel ? cursorLabel(cursor.name) : cursor.name}</span>
    </span>
  );
  const selected = value.slice(from, to);
  return (
    <>
      {value.slice(0, from)}
      {caretAt === from && caret}
      {selected && <span className={`collab__selection collab__selection--${cursor.seat}`}>{selected}</span>}
      {caretAt !== from && caret}
      {value.slice(to)}
      {/* a trailing newline needs a character after it to take up a line */}
      {'\u200b'}
    </>
  );
}
