import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { writeSyncStep1 } from 'y-protocols/sync';
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

/** A `ws` WebSocket class that records every frame it receives (and hands it to `onFrame`). */
function recordingWebSocket(recorder: Recorder, onFrame: (frame: Buffer) => void) {
  return class RecordingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      this.on('message', (data: WebSocket.RawData) => {
        const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        recorder.add(frame);
        onFrame(frame);
      });
    }
  };
}

/** y-protocols frame types: messageSync, then sync step 2 (the server's answer to a step 1). */
const isSyncStep2 = (frame: Buffer): boolean => frame[0] === 0 && frame[1] === 1;

export interface DocClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closeCodes: number[];
  recorder: Recorder;
  synced: Promise<void>;
  closed: Promise<number>;
  /**
   * A positive barrier: resolves once the server holds everything this doc holds now (a second
   * connection with the same token syncs from the server until it has caught up). Durability
   * before relay makes that stored, too.
   */
  stored(timeoutMs?: number): Promise<void>;
  /**
   * A positive barrier on this connection: sends a sync step 1 and resolves at the server's
   * answer, which comes after everything the server sent on this connection before (and after
   * its commits in flight) and brings the doc up to the server's state. Resolves with the
   * answer's size in bytes (the recorder has it too), so that byte counts can leave it out.
   */
  caughtUp(timeoutMs?: number): Promise<number>;
  destroy(): void;
}

/** True if the doc has seen every update that `target` (a state vector) counts. */
const covers = (doc: Y.Doc, target: Map<number, number>): boolean => {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  return [...target].every(([client, clock]) => (have.get(client) ?? 0) >= clock);
};

/** A stock y-websocket provider on `<roomId>/<rest>`, as the web client opens it. */
export function openDoc(wsUrl: string, name: string, token: string | null, opts: { recorder?: Recorder; doc?: Y.Doc } = {}): DocClient {
  const doc = opts.doc ?? new Y.Doc();
  const recorder = opts.recorder ?? new Recorder();
  const frameListeners = new Set<(frame: Buffer) => void>();
  const onFrame = (frame: Buffer) => {
    for (const listener of [...frameListeners]) listener(frame);
  };
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, name, doc, {
    params: token === null ? {} : { token },
    WebSocketPolyfill: recordingWebSocket(recorder, onFrame) as unknown as typeof globalThis.WebSocket,
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
    stored: async (timeoutMs = 5000) => {
      const target = Y.decodeStateVector(Y.encodeStateVector(doc));
      const reader = openDoc(wsUrl, name, token);
      try {
        await until(() => covers(reader.doc, target), timeoutMs, `the server to hold ${name}`);
      } finally {
        reader.destroy();
      }
    },
    caughtUp: (timeoutMs = 5000) =>
      new Promise<number>((resolve, reject) => {
        const ws = provider.ws;
        if (!provider.wsconnected || !ws) return reject(new Error(`${name} is not connected`));
        const done = (result: Error | Buffer) => {
          clearTimeout(timer);
          frameListeners.delete(listener);
          if (result instanceof Error) reject(result);
          else resolve(result.length);
        };
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${name} to catch up`)), timeoutMs);
        const listener = (frame: Buffer) => isSyncStep2(frame) && done(frame);
        frameListeners.add(listener);
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0); // messageSync
        writeSyncStep1(encoder, doc);
        ws.send(encoding.toUint8Array(encoder));
      }),
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

/** The first event `name` matching `predicate`, already received or still to come. */
export function received<T>(c: ControlClient, name: string, predicate: (p: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  const hit = c.events.find((e) => e.name === name && predicate(e.payload as T));
  return hit ? Promise.resolve(hit.payload as T) : (c.next(name, predicate as (p: never) => boolean, timeoutMs) as Promise<T>);
}

/** Sends a scene signal and resolves with its id (throws if refused). */
export async function sendSignal(c: ControlClient, payload: unknown): Promise<string> {
  const ack = await c.send<{ id: string }>('signal:send', payload);
  if (!ack.ok || !ack.data) throw new Error(`signal:send refused: ${JSON.stringify(ack)}`);
  return ack.data.id;
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
