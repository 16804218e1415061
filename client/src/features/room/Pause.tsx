import { useEffect, useRef } from 'react';
import type { PauseState } from '@parley/shared/protocol/room-doc';
import { FormError } from '../../components/form/FormError';
import { NoteDialog } from '../../components/NoteDialog';
import { useRoom } from '../../lib/room-context';
import { formatWhen, strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';

export function PauseDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { session, sealed } = useRoom();
  // The server refuses a note in a sealed room: nothing seals it yet (sealed-rooms.md §7).
  return (
    <NoteDialog
      open={open}
      title={strings.pause.dialogHeading}
      body={sealed ? `${strings.pause.dialogBody} ${strings.sealedRoom.pauseNoNote}` : strings.pause.dialogBody}
      noteLabel={sealed ? null : strings.pause.noteLabel}
      confirm={strings.pause.confirm}
      failed={strings.pause.failed}
      onClose={onClose}
      onSubmit={(note) => session.command('room:pause', { paused: true, note })}
    />
  );
}

/**
 * The calm screen both partners see while the room is paused. Only the one who paused can
 * resume; the other can ask them to, once, without a nag (the request shows as a quiet line).
 */
export function PauseScreen({ pause }: { pause: PauseState }) {
  const { session, seat, partnerSeat, names } = useRoom();
  const resume = useCommand(() => session.command('room:pause', { paused: false }), { failed: strings.pause.failed });
  const askToResume = useCommand(() => session.command('room:resume-request', {}), { failed: strings.pause.failed });
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const mine = pause.by === seat;
  const partner = names[partnerSeat];

  return (
    <div className="pause-screen" role="region" aria-labelledby="pause-heading">
      <div className="pause-screen__card">
        <div className="pause-screen__breath" aria-hidden="true" />
        <h1 id="pause-heading" ref={headingRef} tabIndex={-1}>
          {strings.pause.screenHeading}
        </h1>
        <p>
          {mine ? strings.pause.pausedByYou : strings.pause.pausedBy(names[pause.by])} {strings.pause.since(formatWhen(pause.at))}
        </p>
        {pause.note && (
          <blockquote className="pause-screen__note" data-testid="pause-note">
            {pause.note}
          </blockquote>
        )}
        <p className="pause-screen__body">{strings.pause.screenBody}</p>
        {mine ? (
          <>
            {pause.resumeAskedAt && (
              <p className="pause-screen__request" role="status">
                {strings.pause.partnerAsks(partner, formatWhen(pause.resumeAskedAt))}
              </p>
            )}
            <button type="button" className="button button--primary" onClick={() => void resume.run()} disabled={resume.busy}>
              {strings.pause.resume}
            </button>
          </>
        ) : (
          <>
            <p>{strings.pause.onlyPauser(names[pause.by])}</p>
            {pause.resumeAskedAt ? (
              <p className="pause-screen__request" role="status">
                {strings.pause.asked(names[pause.by])}
              </p>
            ) : (
              <button type="button" className="button button--secondary" onClick={() => void askToResume.run()} disabled={askToResume.busy}>
                {strings.pause.askToResume(names[pause.by])}
              </button>
            )}
          </>
        )}
        <FormError message={resume.error ?? askToResume.error} takeFocus={false} />
      </div>
    </div>
  );
}
