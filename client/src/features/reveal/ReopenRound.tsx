import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Section } from '@parley/shared/template/schema';
import { Dialog } from '../../components/Dialog';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';

/**
 * "Start a new round" asks first and takes an optional note: the partner's reveal closes when
 * it happens, so they are told who reopened the section and, if given, why.
 */
export function ReopenRound({ section }: { section: Section }) {
  const { session, names, partnerSeat } = useRoom();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const trimmed = note.trim();
    const ack = await session.command('section:reopen', { sectionId: section.id, note: trimmed ? trimmed : null });
    setBusy(false);
    if (ack.ok) {
      setNote('');
      setOpen(false);
    } else setError(strings.reveal.reopenFailed);
  };

  return (
    <section className="reopen" aria-labelledby={`reopen-${section.id}`}>
      <h3 id={`reopen-${section.id}`}>{strings.reveal.reopen}</h3>
      <p className="hint">{strings.reveal.reopenHelp}</p>
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        {strings.reveal.reopen}
      </button>
      <Dialog open={open} title={strings.reveal.reopenDialogHeading(section.title)} onClose={() => setOpen(false)}>
        <form onSubmit={submit} className="form">
          <p>{strings.reveal.reopenDialogBody(names[partnerSeat])}</p>
          <div className="field">
            <label htmlFor={`reopen-note-${section.id}`}>{strings.reveal.reopenNoteLabel(names[partnerSeat])}</label>
            <textarea id={`reopen-note-${section.id}`} rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
              {strings.common.cancel}
            </button>
            <button type="submit" className="button button--primary" disabled={busy}>
              {strings.reveal.reopenConfirm}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
