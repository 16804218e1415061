import WebSocket from 'ws';
import type * as Y from 'yjs';
import type { TargetName } from '../targets/ipc';

export type SeatName = 'a' | 'b';

/** What one partner needs to open a doc of a room (Parley: id + token; baselines: nothing). */
export interface SeatCredentials {
  id: string;
  token: string;
}

export interface BenchRoom {
  id: string;
  a: SeatCredentials;
  b: SeatCredentials;
}

/** One provider on one doc, as a partner's client holds it. */
export interface OpenedDoc {
  doc: Y.Doc;
  /** the provider reported its first full sync */
  synced: Promise<void>;
  /** bytes received on the WebSocket so far */
  bytesReceived(): number;
  /** close codes seen (a refused or dropped connection shows up here) */
  closeCodes: number[];
  destroy(): void;
}

/** How the load generator talks to one target. */
export interface TargetDriver {
  readonly name: TargetName;
  createRoom(): Promise<BenchRoom>;
  /** `<roomId>/shared` (Parley) or a doc of that same name (baselines) */
  openShared(room: BenchRoom, seat: SeatName, doc: Y.Doc): OpenedDoc;
  /**
   * What the clients themselves spend per edit, timed one at a time outside the measurement
   * window (sealed rooms: sealing, opening and validating; others have no such step)
   */
  clientCostPerEdit?(): Promise<Record<string, number>>;
}

export type WebSocketClass = new (address: string | URL, protocols?: string | string[]) => WebSocket;

/** A `ws` WebSocket that counts the bytes it receives. */
export function countingWebSocket(counter: { bytes: number }): WebSocketClass {
  return class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      this.on('message', (data: WebSocket.RawData) => {
        counter.bytes += Array.isArray(data) ? data.reduce((s, b) => s + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
      });
    }
  };
}

/** A resolvable promise for "first sync". */
export function syncSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Random ids for the baselines, shaped like Parley's (22 base64url chars). */
export const randomId = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
