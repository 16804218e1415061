import { AgreementView } from '../features/agreement/AgreementView';
import { RevealView, SectionHistory } from '../features/reveal/RevealView';
import { RoomPage } from '../features/room/RoomPage';
import type { SectionRenderers } from '../lib/room-context';

/** The room feature asks the app for the parts that belong to the reveal and agreement features. */
const renderers: SectionRenderers = {
  revealed: (section, { justRevealed, editItem }) => (
    <RevealView key={section.id} section={section} justRevealed={justRevealed} editItem={editItem} />
  ),
  agreement: (section) => <AgreementView key={section.id} section={section} />,
  history: (section) => <SectionHistory key={`history-${section.id}`} section={section} />,
};

/** The room page with its reveal and agreement parts: one lazily loaded chunk. */
export default function RoomRoute({ roomId }: { roomId: string }) {
  return <RoomPage roomId={roomId} renderers={renderers} />;
}
