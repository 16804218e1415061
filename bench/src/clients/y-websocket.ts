import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { countingWebSocket, syncSignal, type OpenedDoc } from './types';

/** A stock y-websocket provider (what Parley's web client uses), Node `ws` underneath. */
export function openWithYWebsocket(serverUrl: string, name: string, doc: Y.Doc, params: Record<string, string>): OpenedDoc {
  const counter = { bytes: 0 };
  const provider = new WebsocketProvider(serverUrl, name, doc, {
    params,
    WebSocketPolyfill: countingWebSocket(counter) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 1000,
  });
  const signal = syncSignal();
  const closeCodes: number[] = [];
  provider.on('sync', (synced: boolean) => synced && signal.resolve());
  provider.on('connection-close', (event: CloseEvent | null) => {
    closeCodes.push(event?.code ?? 0);
    // Refusals are final, as in the web client.
    if (event && event.code >= 4400 && event.code < 4500) provider.shouldConnect = false;
  });
  return {
    doc,
    synced: signal.promise,
    bytesReceived: () => counter.bytes,
    closeCodes,
    destroy: () => provider.destroy(),
  };
}
