import { useState } from 'react';
import type { Section } from '@parley/shared/template/schema';
import { NoteDialog } from '../../components/NoteDialog';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';

/**
 * "Start a new round" asks first and takes an optional note: the partner's reveal closes when
 * it happens, so they are told who reopened the section and, if given, why.
 */
export function ReopenRound({ section }: { section: Section }) {
  const { session, names, partnerSeat, sealed } = useRoom();
  const [open, setOpen] = useState(false);
  // The server refuses a note in a sealed room: nothing seals it yet (sealed-rooms.md §7).

  return (
    <section className="reopen" aria-labelledby={`reopen-${section.id}`}>
      <h3 id={`reopen-${section.id}`}>{strings.reveal.reopen}</h3>
      <p className="hint">{strings.reveal.reopenHelp}</p>
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        {strings.reveal.reopen}
      </button>
      <NoteDialog
        open={open}
        title={strings.reveal.reopenDialogHeading(section.title)}
        body={sealed ? `${strings.reveal.reopenDialogBody(names[partnerSeat])} ${strings.sealed.noNote}` : strings.reveal.reopenDialogBody(names[partnerSeat])}
        noteLabel={sealed ? null : strings.reveal.reopenNoteLabel(names[partnerSeat])}
        confirm={strings.reveal.reopenConfirm}
        failed={strings.reveal.reopenFailed}
        onClose={() => setOpen(false)}
        onSubmit={(note) => session.command('section:reopen', { sectionId: section.id, note })}
      />
    </section>
  );
}
