import { api } from './api';
import { downloadBlob } from './download';
import { useRoom } from './room-context';
import { localTimeZone, strings } from './strings';
import { overHttp, useCommand } from './use-command';

/** Downloads the agreement export (`GET /api/rooms/:id/agreement`): from the agreement, and before a delete. */
export function useAgreementDownload() {
  const { roomId, token } = useRoom();
  return useCommand(
    overHttp(async (format: 'md' | 'json') => {
      // in the reader's zone, so the file's confirmation times read as the screen's
      downloadBlob(await api.exportAgreement(roomId, token, format, localTimeZone()), `${strings.agreement.fileBase}.${format}`);
    }),
    { failed: strings.agreement.exportFailed },
  );
}
