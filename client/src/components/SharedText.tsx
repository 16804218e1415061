import type * as Y from 'yjs';
import { CollaborativeTextarea } from './CollaborativeTextarea';
import { useRoom } from '../lib/room-context';
import { strings } from '../lib/strings';

/**
 * A text both partners write in the shared doc (the shared notes, the agreement's own words),
 * with the partner's caret. A sealed room's shared doc needs the pair key, which exists once the
 * partner has joined: until then it says so instead of taking text that could not be sent.
 */
export function SharedText({ id, field, text, labelledBy, describedBy }: { id: string; field: string; text: Y.Text; labelledBy: string; describedBy: string }) {
  const { session, sealed } = useRoom();
  if (sealed && !sealed.pair) {
    return (
      <p className="notes__waiting" data-testid={`${id}-waiting`}>
        {strings.sealedRoom.sharedWaiting}
      </p>
    );
  }
  return <CollaborativeTextarea id={id} field={field} text={text} awareness={session.sharedProvider.awareness} labelledBy={labelledBy} describedBy={describedBy} rows={6} />;
}
