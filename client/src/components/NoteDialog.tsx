import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Dialog } from './Dialog';
import { strings } from '../lib/strings';

interface Props {
  open: boolean;
  title: string;
  body: string;
  noteLabel: string;
  confirm: string;
  failed: string;
  onClose: () => void;
  /** sends the command with the trimmed note (null when empty); true when it went through */
  onSubmit: (note: string | null) => Promise<boolean>;
}

/** A step that asks first and takes an optional note for the partner (pause, a new round). */
export function NoteDialog({ open, title, body, noteLabel, confirm, failed, onClose, onSubmit }: Props) {
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const trimmed = note.trim();
    const ok = await onSubmit(trimmed ? trimmed : null);
    setBusy(false);
    if (ok) {
      setNote('');
      onClose();
    } else setError(failed);
  };

  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <p>{body}</p>
        <div className="field">
          <label htmlFor={`${id}-note`}>{noteLabel}</label>
          <textarea id={`${id}-note`} rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {strings.common.cancel}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
