import { agreementFile } from './agreement-file';
import { api } from './api';
import { downloadBlob, downloadText } from './download';
import { useRoom, useRoomState } from './room-context';
import { localTimeZone, strings } from './strings';
import { useCurrentAgreement } from './use-current-agreement';
import { overHttp, useCommand } from './use-command';

/**
 * Downloads the agreement export: from the agreement, and before a delete. A standard room's
 * comes from the server (`GET /api/rooms/:id/agreement`); a sealed room's server has none, so it
 * is built here from what this browser opened, as the server builds it.
 */
export function useAgreementDownload() {
  const { roomId, token } = useRoom();
  const room = useRoomState();
  const { agreement, hash, sealed } = useCurrentAgreement();
  return useCommand(
    overHttp(async (format: 'md' | 'json') => {
      const fileName = `${strings.agreement.fileBase}.${format}`;
      if (sealed) {
        if (!hash) throw new Error('the agreement is still being prepared');
        // in the reader's zone, so the file's confirmation times read as the screen's
        const file = agreementFile(agreement, hash, room.meta.confirmations, format, localTimeZone());
        downloadText(file.body, fileName, file.type);
        return;
      }
      downloadBlob(await api.exportAgreement(roomId, token, format, localTimeZone()), fileName);
    }),
    { failed: strings.agreement.exportFailed },
  );
}
