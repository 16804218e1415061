import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { api, ApiError } from '../../lib/api';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import { useAgreementDownload } from '../../lib/use-agreement-download';
import { overHttp, useCommand } from '../../lib/use-command';

interface Props {
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

export function DeleteRoomDialog({ open, onClose, onDeleted }: Props) {
  const { roomId, token } = useRoom();
  const remove = useCommand(
    overHttp(async () => {
      await api.deleteRoom(roomId, token).catch((err: unknown) => {
        // already gone counts as done
        if (!(err instanceof ApiError && (err.code === 'not_found' || err.code === 'unauthorized'))) throw err;
      });
      onDeleted();
    }),
    { failed: strings.del.failed },
  );
  // Offered before the delete: afterwards there is nothing left to export.
  const copy = useAgreementDownload();

  return (
    <Dialog open={open} title={strings.del.dialogHeading} onClose={onClose} role="alertdialog">
      <p>{strings.del.dialogBody}</p>
      <section className="delete-copy" aria-labelledby="delete-copy-heading">
        <h3 id="delete-copy-heading">{strings.del.copyHeading}</h3>
        <p className="hint">{strings.del.copyHelp}</p>
        <button type="button" className="button button--secondary" onClick={() => void copy.run('md')} disabled={copy.busy}>
          {copy.acked ? strings.del.copyDone : strings.del.copy}
        </button>
        <FormError message={copy.error} takeFocus={false} />
      </section>
      <FormError message={remove.error} takeFocus={false} />
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={onClose} autoFocus>
          {strings.common.cancel}
        </button>
        <button type="button" className="button button--danger" onClick={() => void remove.run()} disabled={remove.busy}>
          {remove.busy ? strings.del.deleting : strings.del.confirm}
        </button>
      </div>
    </Dialog>
  );
}
