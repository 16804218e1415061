import { Dialog } from '../../components/Dialog';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';

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
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onClose} autoFocus>
          {first ? strings.primer.dismiss : strings.primer.close}
        </button>
      </div>
    </Dialog>
  );
}
