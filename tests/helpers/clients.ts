import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Ack } from '@parley/shared/protocol/socket';

/** Everything a client received, as raw bytes / JSON text, to assert that canaries are absent. */
export class Recorder {
  readonly chunks: Buffer[] = [];
  add(data: Buffer | string): void {
    this.chunks.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
  }
  contains(needle: string): boolean {
    const n = Buffer.from(needle, 'utf8');
    return this.chunks.some((c) => c.indexOf(n) !== -1);
  }
  get bytes(): number {
    return this.chunks.reduce((s, c) => s + c.length, 0);
  }
}

/** A `ws` WebSocket class that records every frame it receives. */
function recordingWebSocket(recorder: Recorder) {
  return class RecordingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      this.on('message', (data: WebSocket.RawData) => {
        recorder.add(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
      });
    }
  };
}

export interface DocClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closeCodes: number[];
  recorder: Recorder;
  synced: Promise<void>;
  closed: Promise<number>;
  destroy(): void;
}

/** A stock y-websocket provider on `<roomId>/<rest>`, as the web client opens it. */
export function openDoc(wsUrl: string, name: string, token: string | null, opts: { recorder?: Recorder; doc?: Y.Doc } = {}): DocClient {
  const doc = opts.doc ?? new Y.Doc();
  const recorder = opts.recorder ?? new Recorder();
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, name, doc, {
    params: token === null ? {} : { token },
    WebSocketPolyfill: recordingWebSocket(recorder) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closeCodes: number[] = [];
  let resolveClosed: (code: number) => void = () => undefined;
  const closed = new Promise<number>((r) => (resolveClosed = r));
  provider.on('connection-close', (event: CloseEvent | null) => {
    const code = event?.code ?? 0;
    closeCodes.push(code);
    resolveClosed(code);
    // Like the web client: a refused connection is not retried.
    if ([4400, 4401, 4403, 4410, 1009].includes(code)) provider.shouldConnect = false;
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (s: boolean) => s && resolve());
  });
  return {
    doc,
    provider,
    closeCodes,
    recorder,
    synced,
    closed,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface ControlClient {
  socket: Socket;
  recorder: Recorder;
  events: { name: string; payload: unknown }[];
  send<T = unknown>(event: string, payload: unknown): Promise<Ack<T>>;
  next(name: string, predicate?: (payload: never) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

/** A socket.io client on `/room`, recording every event and ack it receives. */
export async function connectControl(url: string, roomId: string, token: string, opts: { transports?: ('polling' | 'websocket')[]; recorder?: Recorder } = {}): Promise<ControlClient> {
  const recorder = opts.recorder ?? new Recorder();
  const socket = io(`${url}/room`, {
    auth: { roomId, token },
    transports: opts.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const events: { name: string; payload: unknown }[] = [];
  const waiters: { name: string; predicate: (p: never) => boolean; resolve: (p: unknown) => void }[] = [];
  socket.onAny((name: string, payload: unknown) => {
    recorder.add(JSON.stringify([name, payload]));
    events.push({ name, payload });
    for (const w of [...waiters]) {
      if (w.name === name && w.predicate(payload as never)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  return {
    socket,
    recorder,
    events,
    send: <T>(event: string, payload: unknown) =>
      new Promise<Ack<T>>((resolve) => {
        socket.emit(event, payload, (ack: Ack<T>) => {
          recorder.add(JSON.stringify(ack));
          resolve(ack);
        });
      }),
    next: (name, predicate = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${name}`)), timeoutMs);
        waiters.push({ name, predicate, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      }),
    close: () => socket.close(),
  };
}

/** Polls `check` until it returns true (bounded). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
