import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import { countingWebSocket, randomId, syncSignal, type BenchRoom, type OpenedDoc, type SeatName, type TargetDriver } from './types';

/** Hocuspocus speaks its own framing (doc name in every message): its own provider drives it. */
export function hocuspocusDriver(wsUrl: string): TargetDriver {
  return {
    name: 'hocuspocus',
    createRoom: async (): Promise<BenchRoom> => ({ id: randomId(), a: { id: randomId(), token: 'a' }, b: { id: randomId(), token: 'b' } }),
    openShared: (room: BenchRoom, seat: SeatName, doc: Y.Doc): OpenedDoc => {
      const counter = { bytes: 0 };
      const signal = syncSignal();
      const closeCodes: number[] = [];
      // The provider hands url and WebSocketPolyfill to the websocket it creates and manages.
      const options = {
        url: wsUrl,
        name: `${room.id}/shared`,
        document: doc,
        token: room[seat].token,
        WebSocketPolyfill: countingWebSocket(counter),
        onSynced: ({ state }: { state: boolean }) => state && signal.resolve(),
        onClose: ({ event }: { event: { code: number } }) => void closeCodes.push(event.code),
      };
      const provider = new HocuspocusProvider(options as HocuspocusProviderConfiguration);
      return { doc, synced: signal.promise, bytesReceived: () => counter.bytes, closeCodes, destroy: () => provider.destroy() };
    },
  };
}
