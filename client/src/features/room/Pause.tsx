import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { PauseState } from '@parley/shared/protocol/room-doc';
import { Dialog } from '../../components/Dialog';
import { useRoom } from '../../lib/room-context';
import { formatWhen, strings } from '../../lib/strings';

export function PauseDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { session } = useRoom();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const trimmed = note.trim();
    const ack = await session.command('room:pause', { paused: true, note: trimmed ? trimmed : null });
    setBusy(false);
    if (ack.ok) {
      setNote('');
      onClose();
    } else setError(strings.pause.failed);
  };

  return (
    <Dialog open={open} title={strings.pause.dialogHeading} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <p>{strings.pause.dialogBody}</p>
        <div className="field">
          <label htmlFor="pause-note">{strings.pause.noteLabel}</label>
          <textarea id="pause-note" rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
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
            {strings.pause.confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The calm screen both partners see while the room is paused. Either of them can resume. */
export function PauseScreen({ pause }: { pause: PauseState }) {
  const { session, seat, names } = useRoom();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const resume = async () => {
    setBusy(true);
    setError(null);
    const ack = await session.command('room:pause', { paused: false });
    setBusy(false);
    if (!ack.ok) setError(strings.pause.failed);
  };

  return (
    <div className="pause-screen" role="region" aria-labelledby="pause-heading">
      <div className="pause-screen__card">
        <div className="pause-screen__breath" aria-hidden="true" />
        <h1 id="pause-heading" ref={headingRef} tabIndex={-1}>
          {strings.pause.screenHeading}
        </h1>
        <p>
          {pause.by === seat ? strings.pause.pausedByYou : strings.pause.pausedBy(names[pause.by])}{' '}
          {strings.pause.since(formatWhen(pause.at))}
        </p>
        {pause.note && (
          <blockquote className="pause-screen__note" data-testid="pause-note">
            {pause.note}
          </blockquote>
        )}
        <p className="pause-screen__body">{strings.pause.screenBody}</p>
        <button type="button" className="button button--primary" onClick={resume} disabled={busy}>
          {strings.pause.resume}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
