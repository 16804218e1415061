import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { api, ApiError } from '../../lib/api';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';

interface Props {
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

export function DeleteRoomDialog({ open, onClose, onDeleted }: Props) {
  const { roomId, token } = useRoom();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteRoom(roomId, token);
      onDeleted();
    } catch (err) {
      // already gone counts as done
      if (err instanceof ApiError && (err.code === 'not_found' || err.code === 'unauthorized')) onDeleted();
      else {
        setError(strings.del.failed);
        setBusy(false);
      }
    }
  };

  return (
    <Dialog open={open} title={strings.del.dialogHeading} onClose={onClose} role="alertdialog">
      <p>{strings.del.dialogBody}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={onClose} autoFocus>
          {strings.common.cancel}
        </button>
        <button type="button" className="button button--danger" onClick={remove} disabled={busy}>
          {busy ? strings.del.deleting : strings.del.confirm}
        </button>
      </div>
    </Dialog>
  );
}
