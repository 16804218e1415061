import { Dialog } from '../../components/Dialog';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import { useRoomWorkshop } from './room-workshop';

/**
 * What kind of room this is, said once and calmly: sealed (the server cannot read answers) or
 * standard (it can). Workshop rooms are always standard and say nothing new.
 */
function RoomKind() {
  const { view } = useRoom();
  const { workshop, left } = useRoomWorkshop();
  if (view.sealed) return <p className="hint room-kind">{strings.sealedRoom.infoSealed}</p>;
  if (workshop || left) return null;
  return <p className="hint room-kind">{strings.sealedRoom.infoStandard}</p>;
}

/** “Before you begin”: the template's primer, shown on a first visit and on request. */
export function PrimerDialog({ open, onClose, first }: { open: boolean; onClose: () => void; first: boolean }) {
  const { template } = useRoom();
  return (
    <Dialog open={open} title={strings.primer.heading} onClose={onClose}>
      <ul className="primer">
        {template.guidance.primer.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <RoomKind />
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onClose} autoFocus>
          {first ? strings.primer.dismiss : strings.primer.close}
        </button>
      </div>
    </Dialog>
  );
}
