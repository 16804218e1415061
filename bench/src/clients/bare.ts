import type * as Y from 'yjs';
import { randomId, type BenchRoom, type SeatName, type TargetDriver } from './types';
import { openWithYWebsocket } from './y-websocket';

/** The bare y-websocket server: the URL path is the doc name, no auth. */
export function bareDriver(wsUrl: string): TargetDriver {
  return {
    name: 'bare',
    createRoom: async (): Promise<BenchRoom> => ({ id: randomId(), a: { id: randomId(), token: '' }, b: { id: randomId(), token: '' } }),
    openShared: (room: BenchRoom, _seat: SeatName, doc: Y.Doc) => openWithYWebsocket(wsUrl, `${room.id}/shared`, doc, {}),
  };
}
