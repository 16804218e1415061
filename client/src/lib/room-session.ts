import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { CloseCode } from '@parley/shared/protocol/close-codes';
import { docName } from '@parley/shared/protocol/ids';
import type { Seat } from '@parley/shared/protocol/ids';
import type { PresenceParticipant, RoomClientEvents, RoomServerEvents } from '@parley/shared/protocol/socket';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import type { PairKeys } from '@parley/shared/sealed/pair';
import { commandSender, eventListener, handshakeRefusal, type CommandSender } from './control-socket';
import { sealedAwareness, sealedChannel, yjsChannel, type ChannelEvents, type DocChannel } from './doc-channels';
import type { SealedRoomKeys } from './room-context';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';
/** Why a session stopped for good. */
export type SessionEnd = 'deleted' | 'unauthorized' | 'forbidden';

/** The docs a sealed room's partner (or another device) writes to. */
export type SealedDocKind = 'private' | 'shared';

export interface SessionState {
  connection: ConnectionState;
  presence: PresenceParticipant[];
  ended: SessionEnd | null;
  /** sealed rooms: docs whose latest entry could not be opened or validated (until the next good one) */
  unreadable: Record<SealedDocKind, boolean>;
  /**
   * sealed rooms: the section each seat looks at, from the shared doc's sealed awareness (the
   * server is told none: docs/sealed-rooms.md §4); standard rooms use presence's `focus`
   */
  sealedFocus: Partial<Record<Seat, string>>;
}

interface SessionOptions {
  roomId: string;
  participantId: string;
  token: string;
  seat: Seat;
  displayName: string;
  /** `ws(s)://host`; defaults to this page's origin */
  wsOrigin?: string;
  /**
   * A sealed room's keys: the private and shared docs then travel sealed over `/sealed`; the
   * shared doc waits for the pair keys (`connectShared`) while the partner has not joined.
   */
  sealed?: SealedRoomKeys;
}

/**
 * Owns everything live about one room for one participant: the three Yjs documents and their
 * channels (docs/sealed-rooms.md §4: the stock provider, or sealed ones in a sealed room), the
 * offline copy of the private doc, and the socket.io control channel.
 * `destroy()` stops every connection, listener and timer it started.
 */
export class RoomSession {
  readonly privateDoc = new Y.Doc();
  readonly sharedDoc = new Y.Doc();
  /** Written by the server only: the client observes it and never changes it. */
  readonly roomDoc = new Y.Doc();
  /** The shared doc's awareness (shared-notes cursors), whichever channel carries it. */
  readonly sharedProvider: { readonly awareness: Awareness };
  private readonly channels: DocChannel[];
  /** a sealed room's shared doc, once the pair keys are known */
  private sharedChannel: DocChannel | null = null;
  private readonly ownAwareness: Awareness | null = null;
  private readonly persistence: IndexeddbPersistence;
  private readonly socket: Socket<RoomServerEvents, RoomClientEvents>;
  /** Sends a control command; resolves with the server's ack (or a local `unavailable`). */
  readonly command: CommandSender<RoomServerEvents, RoomClientEvents>;
  /** Listens to a server event of the control channel (and to every reconnect, as `connect`); returns the stop function. */
  readonly on: ReturnType<typeof eventListener<RoomServerEvents, RoomClientEvents>>;
  private state: SessionState = { connection: 'connecting', presence: [], ended: null, unreadable: { private: false, shared: false }, sealedFocus: {} };
  private readonly listeners = new Set<() => void>();
  private focus: string | null = null;
  private destroyed = false;
  private readonly wsOrigin: string;

  constructor(private readonly opts: SessionOptions) {
    const origin = window.location.origin;
    const wsOrigin = opts.wsOrigin ?? origin.replace(/^http/, 'ws');
    // `room` is not read by Parley: a proxy can route a whole room to one node with it
    // (Caddy `lb_policy query room`, docs/operations.md), so that most edits stay on one node.
    const params = { token: opts.token, room: opts.roomId };
    this.wsOrigin = wsOrigin;
    const events: ChannelEvents = { onStatus: this.recompute, onClose: (code) => this.onYjsClose(code) };

    this.persistence = new IndexeddbPersistence(
      `parley:${docName.private(opts.roomId, opts.participantId)}`,
      this.privateDoc,
    );
    const privateName = docName.private(opts.roomId, opts.participantId);
    const roomChannel = yjsChannel(wsOrigin, docName.room(opts.roomId), this.roomDoc, params, events);
    // Awareness only matters for shared-notes cursors; the other docs announce nothing.
    roomChannel.awareness.setLocalState(null);
    if (opts.sealed) {
      const privateChannel = sealedChannel(
        this.privateDoc,
        { wsOrigin, name: privateName, token: opts.token, roomId: opts.roomId, key: opts.sealed.seat.privateDoc, replayGuard: true, onUnreadable: this.unreadableIn('private') },
        events,
      );
      this.ownAwareness = new Awareness(this.sharedDoc);
      this.ownAwareness.on('change', this.readSealedFocus);
      this.sharedProvider = { awareness: this.ownAwareness };
      this.channels = [privateChannel, roomChannel];
    } else {
      const privateChannel = yjsChannel(wsOrigin, privateName, this.privateDoc, params, events);
      privateChannel.awareness.setLocalState(null);
      const shared = yjsChannel(wsOrigin, docName.shared(opts.roomId), this.sharedDoc, params, events);
      this.sharedProvider = shared;
      this.channels = [privateChannel, shared, roomChannel];
    }
    this.sharedProvider.awareness.setLocalStateField('user', { name: opts.displayName, seat: opts.seat });

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
      void this.command('presence:update', { focus: this.serverFocus() });
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
    if (opts.sealed?.pair) this.connectShared(opts.sealed.pair);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  /** Whether the shared doc is on a channel (a sealed room's waits for the partner's key). */
  get sharedConnected(): boolean {
    return !this.opts.sealed || this.sharedChannel !== null;
  }

  /** A sealed room's shared doc, over the pair's key, once the partner has joined (once). */
  connectShared(pair: PairKeys): void {
    if (!this.opts.sealed || this.sharedChannel || this.destroyed || this.state.ended) return;
    const name = docName.shared(this.opts.roomId);
    const awareness = this.sharedProvider.awareness;
    this.sharedChannel = sealedChannel(
      this.sharedDoc,
      {
        wsOrigin: this.wsOrigin,
        name,
        token: this.opts.token,
        roomId: this.opts.roomId,
        key: pair.shared,
        // Both partners hold this key and sender ids are plaintext: a guard could be poisoned (sealed-rooms.md §3).
        replayGuard: false,
        awareness: sealedAwareness(this.sharedDoc, awareness, pair.sharedAwareness),
        onUnreadable: this.unreadableIn('shared'),
      },
      { onStatus: this.recompute, onClose: (code) => this.onYjsClose(code) },
    );
    this.channels.push(this.sharedChannel);
    this.set({});
  }

  /** Tells the partner which section I look at; said again after every reconnect. */
  setFocus(sectionId: string | null): void {
    this.focus = sectionId;
    this.ownAwareness?.setLocalStateField('focus', sectionId);
    void this.command('presence:update', { focus: this.serverFocus() });
  }

  /** A sealed room tells the server no section: the partner hears it through sealed awareness. */
  private serverFocus(): string | null {
    return this.opts.sealed ? null : this.focus;
  }

  private readSealedFocus = (): void => {
    if (!this.ownAwareness || this.destroyed) return;
    const focus: Partial<Record<Seat, string>> = {};
    for (const [clientId, state] of this.ownAwareness.getStates()) {
      if (clientId === this.ownAwareness.clientID) continue;
      const seat: unknown = state.user?.seat;
      if ((seat === 'a' || seat === 'b') && typeof state.focus === 'string') focus[seat] = state.focus;
    }
    const before = this.state.sealedFocus;
    if (before.a !== focus.a || before.b !== focus.b) this.set({ sealedFocus: focus });
  };

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
    this.ownAwareness?.off('change', this.readSealedFocus);
    this.ownAwareness?.destroy();
    this.privateDoc.destroy();
    this.sharedDoc.destroy();
    this.roomDoc.destroy();
    this.listeners.clear();
  }

  private stopConnections(): void {
    for (const channel of this.channels) channel.destroy();
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
    for (const channel of this.channels) channel.disconnect();
    this.socket.disconnect();
    this.recompute();
  };

  private onOnline = (): void => {
    if (this.state.ended) return;
    for (const channel of this.channels) channel.connect();
    this.socket.connect();
    this.recompute();
  };

  private recompute = (): void => {
    if (this.destroyed) return;
    let connection: ConnectionState;
    if (!navigator.onLine) connection = 'offline';
    else if (this.socket.connected && this.channels.every((c) => c.connected)) connection = 'online';
    else connection = this.state.connection === 'connecting' ? 'connecting' : 'reconnecting';
    if (connection !== this.state.connection) this.set({ connection });
  };

  /** Shows "a message from your partner could not be read" once per doc, until its next good message. */
  private unreadableIn(kind: SealedDocKind): (unreadable: boolean) => void {
    return (unreadable) => {
      if (this.destroyed || this.state.unreadable[kind] === unreadable) return;
      this.set({ unreadable: { ...this.state.unreadable, [kind]: unreadable } });
    };
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }
}
