import { useMemo } from 'react';
import { DraftText } from '../../components/DraftText';
import { usePrivateState, useRoom } from '../../lib/room-context';
import { sharedText } from '../../lib/room-doc';
import { strings } from '../../lib/strings';
import { writePrivateNote } from './answers';
import { SharedText } from '../../components/SharedText';

export function PrivateNotes({ sectionId, sectionTitle }: { sectionId: string; sectionTitle: string }) {
  const { session } = useRoom();
  const { notes } = usePrivateState();
  const id = `private-notes-${sectionId}`;
  return (
    <section className="notes notes--private" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="notes__heading">
        {strings.room.privateNotesHeading}
      </h2>
      <p className="hint" id={`${id}-help`}>
        {strings.room.privateNotesHelp}
      </p>
      <DraftText
        id={id}
        label={strings.room.privateNotesLabel(sectionTitle)}
        describedBy={`${id}-help`}
        multiline
        rows={3}
        value={notes[sectionId] ?? ''}
        onCommit={(text) => writePrivateNote(session.privateDoc, sectionId, text)}
      />
    </section>
  );
}

export function SharedNotes() {
  const { session } = useRoom();
  const text = useMemo(() => sharedText.notes(session.sharedDoc), [session]);
  return (
    <section className="notes notes--shared" aria-labelledby="shared-notes-heading">
      <h2 id="shared-notes-heading" className="notes__heading">
        {strings.room.sharedNotesHeading}
      </h2>
      <p className="hint" id="shared-notes-help">
        {strings.room.sharedNotesHelp}
      </p>
      <SharedText id="shared-notes" field="notes" text={text} labelledBy="shared-notes-heading" describedBy="shared-notes-help" />
    </section>
  );
}
