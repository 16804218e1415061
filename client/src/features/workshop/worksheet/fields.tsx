import { useId, useState } from 'react';
import { strings as allStrings } from '../../../lib/strings';
import { oneLine, toLines } from './edit';

const strings = allStrings.worksheet;

/** A labelled textarea of one item per line; keeps what is typed (blank lines included) while editing. */
export function LinesField({ label, hint, value, onChange, rows = 4 }: { label: string; hint?: string; value: readonly string[]; onChange: (lines: string[]) => void; rows?: number }) {
  const id = useId();
  const [text, setText] = useState(value.join('\n'));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-help`}>
          {hint}
        </p>
      )}
      <textarea
        id={id}
        rows={rows}
        aria-describedby={hint ? `${id}-help` : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(toLines(e.target.value));
        }}
      />
    </div>
  );
}

/** A labelled one-line text, shown in a textarea so long guidance wraps; line breaks become spaces. */
export function TextField({ label, value, onChange, multiline = false, optional = false }: { label: string; value: string; onChange: (text: string) => void; multiline?: boolean; optional?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} rows={3} value={value} required={!optional} onChange={(e) => onChange(oneLine(e.target.value))} />
      ) : (
        <input id={id} type="text" autoComplete="off" value={value} required={!optional} onChange={(e) => onChange(e.target.value)} />
      )}
    </div>
  );
}

/** Up, down and remove for one entry of a list, each named after what it moves. */
export function ListControls({ name, index, count, onMove, onRemove }: { name: string; index: number; count: number; onMove: (delta: number) => void; onRemove: () => void }) {
  return (
    <div className="ws-controls">
      <button type="button" className="button button--quiet" aria-label={strings.moveUp(name)} disabled={index === 0} onClick={() => onMove(-1)}>
        {strings.up}
      </button>
      <button type="button" className="button button--quiet" aria-label={strings.moveDown(name)} disabled={index === count - 1} onClick={() => onMove(1)}>
        {strings.down}
      </button>
      <button type="button" className="button button--quiet button--quiet-danger" aria-label={strings.remove(name)} onClick={onRemove}>
        {strings.removeShort}
      </button>
    </div>
  );
}
