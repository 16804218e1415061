import { api } from './api';
import { downloadBlob } from './download';
import { useRoom } from './room-context';
import { strings } from './strings';
import { overHttp, useCommand } from './use-command';

/** Downloads the agreement export (`GET /api/rooms/:id/agreement`): from the agreement, and before a delete. */
export function useAgreementDownload() {
  const { roomId, token } = useRoom();
  return useCommand(
    overHttp(async (format: 'md' | 'json') => {
      downloadBlob(await api.exportAgreement(roomId, token, format), `${strings.agreement.fileBase}.${format}`);
    }),
    { failed: strings.agreement.exportFailed },
  );
}
