import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { CloseCode } from '@parley/shared/protocol/close-codes';
import { docName } from '@parley/shared/protocol/ids';
import type { Seat } from '@parley/shared/protocol/ids';
import type { PresenceParticipant, RoomClientEvents, RoomServerEvents } from '@parley/shared/protocol/socket';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import { commandSender, eventListener, handshakeRefusal, type CommandSender } from './control-socket';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';
/** Why a session stopped for good. */
export type SessionEnd = 'deleted' | 'unauthorized' | 'forbidden';

export interface SessionState {
  connection: ConnectionState;
  presence: PresenceParticipant[];
  ended: SessionEnd | null;
}

interface SessionOptions {
  roomId: string;
  participantId: string;
  token: string;
  seat: Seat;
  displayName: string;
  /** `ws(s)://host`; defaults to this page's origin */
  wsOrigin?: string;
}

/**
 * Owns everything live about one room for one participant: the three Yjs documents and their
 * providers, the offline copy of the private doc, and the socket.io control channel.
 * `destroy()` stops every connection, listener and timer it started.
 */
export class RoomSession {
  readonly privateDoc = new Y.Doc();
  readonly sharedDoc = new Y.Doc();
  /** Written by the server only: the client observes it and never changes it. */
  readonly roomDoc = new Y.Doc();
  readonly sharedProvider: WebsocketProvider;
  private readonly providers: WebsocketProvider[];
  private readonly persistence: IndexeddbPersistence;
  private readonly socket: Socket<RoomServerEvents, RoomClientEvents>;
  /** Sends a control command; resolves with the server's ack (or a local `unavailable`). */
  readonly command: CommandSender<RoomServerEvents, RoomClientEvents>;
  /** Listens to a server event of the control channel (and to every reconnect, as `connect`); returns the stop function. */
  readonly on: ReturnType<typeof eventListener<RoomServerEvents, RoomClientEvents>>;
  private state: SessionState = { connection: 'connecting', presence: [], ended: null };
  private readonly listeners = new Set<() => void>();
  private focus: string | null = null;
  private destroyed = false;

  constructor(private readonly opts: SessionOptions) {
    const origin = window.location.origin;
    const wsOrigin = opts.wsOrigin ?? origin.replace(/^http/, 'ws');
    // `room` is not read by Parley: a proxy can route a whole room to one node with it
    // (Caddy `lb_policy query room`, docs/operations.md), so that most edits stay on one node.
    const params = { token: opts.token, room: opts.roomId };

    this.persistence = new IndexeddbPersistence(
      `parley:${docName.private(opts.roomId, opts.participantId)}`,
      this.privateDoc,
    );
    const privateProvider = new WebsocketProvider(
      `${wsOrigin}/yjs`,
      docName.private(opts.roomId, opts.participantId),
      this.privateDoc,
      { params },
    );
    this.sharedProvider = new WebsocketProvider(`${wsOrigin}/yjs`, docName.shared(opts.roomId), this.sharedDoc, {
      params,
    });
    const roomProvider = new WebsocketProvider(`${wsOrigin}/yjs`, docName.room(opts.roomId), this.roomDoc, {
      params,
    });
    // Awareness only matters for shared-notes cursors; the other docs announce nothing.
    privateProvider.awareness.setLocalState(null);
    roomProvider.awareness.setLocalState(null);
    this.sharedProvider.awareness.setLocalStateField('user', { name: opts.displayName, seat: opts.seat });
    this.providers = [privateProvider, this.sharedProvider, roomProvider];

    for (const provider of this.providers) {
      provider.on('status', this.recompute);
      provider.on('connection-close', (event: CloseEvent | null) => {
        if (event) this.onYjsClose(event.code);
      });
    }

    this.socket = io(`${origin}${SOCKET_NAMESPACES.room}`, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { roomId: opts.roomId, token: opts.token },
      query: { room: opts.roomId },
      reconnectionDelayMax: 4_000,
    });
    this.command = commandSender(this.socket);
    this.on = eventListener(this.socket);
    this.socket.on('connect', () => {
      this.recompute();
      void this.command('presence:update', { focus: this.focus });
    });
    this.socket.on('disconnect', this.recompute);
    this.socket.on('connect_error', (err) => {
      // Decided by the refusal's data; a refusal for other reasons (rate limit, server busy) retries.
      const refusal = handshakeRefusal(err);
      if (refusal?.code === 'unauthorized') this.end(refusal.reason === 'room_deleted' ? 'deleted' : 'unauthorized');
      this.recompute();
    });
    this.socket.on('presence', (p) => {
      this.set({ presence: p.participants });
    });
    this.socket.on('room:deleted', () => this.end('deleted'));

    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (!navigator.onLine) this.onOffline();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  /** Tells the partner which section I look at; said again after every reconnect. */
  setFocus(sectionId: string | null): void {
    this.focus = sectionId;
    void this.command('presence:update', { focus: sectionId });
  }

  /** Marks the session as over (e.g. after deleting the room ourselves). */
  end(reason: SessionEnd): void {
    if (this.state.ended) return;
    this.set({ ended: reason });
    this.stopConnections();
  }

  /** Erases this browser's offline copy of the private doc. */
  async clearLocalData(): Promise<void> {
    try {
      await this.persistence.clearData();
    } catch {
      // already gone
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.stopConnections();
    this.destroyed = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    void this.persistence.destroy();
    this.privateDoc.destroy();
    this.sharedDoc.destroy();
    this.roomDoc.destroy();
    this.listeners.clear();
  }

  private stopConnections(): void {
    for (const provider of this.providers) provider.destroy();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private onYjsClose(code: number): void {
    if (code === CloseCode.gone) this.end('deleted');
    else if (code === CloseCode.unauthorized) this.end('unauthorized');
    else if (code === CloseCode.forbidden) this.end('forbidden');
    // 4503 and network closes: the provider reconnects by itself
  }

  // Chromium keeps sockets half-alive while offline; drop them so the state is honest and
  // every edit made meanwhile is synced by a fresh handshake when the network returns.
  private onOffline = (): void => {
    if (this.state.ended) return;
    for (const provider of this.providers) provider.disconnect();
    this.socket.disconnect();
    this.recompute();
  };

  private onOnline = (): void => {
    if (this.state.ended) return;
    for (const provider of this.providers) provider.connect();
    this.socket.connect();
    this.recompute();
  };

  private recompute = (): void => {
    if (this.destroyed) return;
    let connection: ConnectionState;
    if (!navigator.onLine) connection = 'offline';
    else if (this.socket.connected && this.providers.every((p) => p.wsconnected)) connection = 'online';
    else connection = this.state.connection === 'connecting' ? 'connecting' : 'reconnecting';
    if (connection !== this.state.connection) this.set({ connection });
  };

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }
}
