import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';
import type { AeadKey } from '@parley/shared/sealed/envelope';
import { SealedDocProvider, type SealedAwareness, type SocketLike } from '@parley/shared/sealed/provider';

/**
 * How one of a room's Yjs docs reaches the server: the stock y-websocket provider over `/yjs`
 * (standard rooms, and every room's room doc), or `SealedDocProvider` over `/sealed` (a sealed
 * room's private and shared docs, docs/sealed-rooms.md §4). The session treats both alike.
 */
export interface DocChannel {
  /** synced with the server and sending (y-websocket: connected; sealed: live) */
  readonly connected: boolean;
  /** drops the connection (going offline); a sealed channel keeps its own and retries by itself */
  disconnect(): void;
  connect(): void;
  destroy(): void;
}

export interface ChannelEvents {
  /** the connection state may have changed */
  onStatus: () => void;
  /** the server closed for a reason (4401, 4403, 4410…) */
  onClose: (code: number) => void;
}

export interface YjsChannel extends DocChannel {
  readonly awareness: Awareness;
}

export function yjsChannel(wsOrigin: string, name: string, doc: Y.Doc, params: Record<string, string>, events: ChannelEvents): YjsChannel {
  const provider = new WebsocketProvider(`${wsOrigin}/yjs`, name, doc, { params });
  provider.on('status', events.onStatus);
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) events.onClose(event.code);
  });
  return {
    awareness: provider.awareness,
    get connected() {
      return provider.wsconnected;
    },
    disconnect: () => provider.disconnect(),
    connect: () => provider.connect(),
    destroy: () => provider.destroy(),
  };
}

export interface SealedChannelOptions {
  wsOrigin: string;
  /** the doc name: the envelopes' context and the channel's path */
  name: string;
  token: string;
  roomId: string;
  key: AeadKey;
  replayGuard: boolean;
  awareness?: SealedAwareness;
  /** an entry that did not open or validate (true), or the next one that did (false) */
  onUnreadable: (unreadable: boolean) => void;
}

export function sealedChannel(doc: Y.Doc, opts: SealedChannelOptions, events: ChannelEvents): DocChannel {
  // `room` is not read by Parley: a proxy may route a whole room to one node with it (as on /yjs).
  const query = new URLSearchParams({ token: opts.token, room: opts.roomId });
  const provider = new SealedDocProvider(doc, {
    url: `${opts.wsOrigin}/sealed/${opts.name}?${query.toString()}`,
    context: opts.name,
    key: opts.key,
    replayGuard: opts.replayGuard,
    socket: browserSocket,
    ...(opts.awareness ? { awareness: opts.awareness } : {}),
  });
  provider.on('status', (status) => {
    events.onStatus();
    if (status === 'closed' && provider.closedWith) events.onClose(provider.closedWith.code);
  });
  provider.on('unreadable', () => opts.onUnreadable(true));
  // A partner's (or another device's) update applied: the doc reads again.
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) opts.onUnreadable(false);
  };
  doc.on('update', onUpdate);
  return {
    get connected() {
      return provider.status === 'live';
    },
    // The provider reconnects with its own backoff; dropping it would drop its unacknowledged edits.
    disconnect: () => undefined,
    connect: () => undefined,
    destroy: () => {
      doc.off('update', onUpdate);
      provider.destroy();
    },
  };
}

/** The browser's WebSocket as the provider's `SocketLike` (whose handlers take plain events). */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    get binaryType() {
      return ws.binaryType;
    },
    set binaryType(type: string) {
      ws.binaryType = type === 'blob' ? 'blob' : 'arraybuffer';
    },
    get readyState() {
      return ws.readyState;
    },
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
  };
  ws.onopen = (event) => socket.onopen?.(event);
  ws.onclose = (event) => socket.onclose?.({ code: event.code, reason: event.reason });
  ws.onerror = (event) => socket.onerror?.(event);
  ws.onmessage = (event) => socket.onmessage?.({ data: event.data });
  return socket;
}

/**
 * y-protocols' `Awareness` on a sealed doc and the adapter `SealedDocProvider` takes: its own
 * client's state and its local updates (the 15 s renewal included) are sealed and sent; a
 * partner's arrive opened and validated.
 */
export function sealedAwareness(doc: Y.Doc, awareness: Awareness, key: AeadKey): SealedAwareness {
  return {
    key,
    localUpdate: () => (awareness.getLocalState() === null ? null : awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])),
    apply: (update, origin) => awarenessProtocol.applyAwarenessUpdate(awareness, update, origin),
    onLocalUpdate: (listener) => {
      const onUpdate = ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
        if (origin === 'local' && [...added, ...updated].includes(awareness.clientID)) listener();
      };
      awareness.on('update', onUpdate);
      return () => awareness.off('update', onUpdate);
    },
  };
}
