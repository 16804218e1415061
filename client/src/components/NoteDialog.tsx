import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Dialog } from './Dialog';
import { FormError } from './form/FormError';
import { strings } from '../lib/strings';
import { useCommand } from '../lib/use-command';
import type { Outcome } from '../lib/use-command';

interface Props {
  open: boolean;
  title: string;
  body: string;
  /** null: no note field (a sealed room, where notes cannot travel sealed yet) */
  noteLabel: string | null;
  confirm: string;
  failed: string;
  onClose: () => void;
  /** sends the command with the trimmed note (null when empty) */
  onSubmit: (note: string | null) => Promise<Outcome>;
}

/** A step that asks first and takes an optional note for the partner (pause, a new round). */
export function NoteDialog({ open, title, body, noteLabel, confirm, failed, onClose, onSubmit }: Props) {
  const id = useId();
  const [note, setNote] = useState('');
  const send = useCommand(onSubmit, { failed });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = note.trim();
    if ((await send.run(trimmed ? trimmed : null)).ok) {
      setNote('');
      onClose();
    }
  };

  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <p>{body}</p>
        {noteLabel !== null && (
          <div className="field">
            <label htmlFor={`${id}-note`}>{noteLabel}</label>
            <textarea id={`${id}-note`} rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        )}
        <FormError message={send.error} />
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {strings.common.cancel}
          </button>
          <button type="submit" className="button button--primary" disabled={send.busy}>
            {confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
