import type { CloseCode } from '@parley/shared/protocol/close-codes';
import type { DocRef } from '@parley/shared/protocol/ids';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwareness } from './messages';

/** One live connection of a doc, as the hub sees it. */
export interface DocConnection {
  send(frame: Uint8Array): void;
  close(code: CloseCode, reason: string): void;
  /** told which awareness client ids this connection added/removed */
  trackAwareness?(added: number[], removed: number[]): void;
}

/**
 * Who wrote a transaction (or an awareness change): a connection, the server itself, the store
 * while loading, or another node (`replica`: already durable there, relayed here only).
 */
export type UpdateOrigin =
  | { readonly source: 'connection'; readonly conn: DocConnection }
  | { readonly source: 'server' }
  | { readonly source: 'load' }
  | { readonly source: 'replica' };

/** Every origin made here, so that one read back from a transaction needs no cast. */
const tagged = new WeakMap<object, UpdateOrigin>();
const tag = <O extends UpdateOrigin>(origin: O): O => (tagged.set(origin, origin), origin);

export const Origin = {
  server: tag({ source: 'server' }),
  load: tag({ source: 'load' }),
  replica: tag({ source: 'replica' }),
  connection: (conn: DocConnection) => tag({ source: 'connection', conn }),
} as const;

/**
 * The tagged origin of a Yjs transaction or awareness change. An untagged one (yjs's own, or
 * y-protocols' `'timeout'` for outdated awareness) counts as the server's.
 */
export function originOf(origin: unknown): UpdateOrigin {
  return (typeof origin === 'object' && origin !== null && tagged.get(origin)) || Origin.server;
}

/** The connection that wrote, if a connection did. */
export const writerOf = (origin: unknown): DocConnection | null => {
  const tagged = originOf(origin);
  return tagged.source === 'connection' ? tagged.conn : null;
};

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * A doc in memory: its Y.Doc, awareness and connections. It relays awareness to its
 * connections itself (the sender included, like the stock server, whose echo keeps an idle
 * client's connection alive); updates go through the hub, which persists them first.
 */
export class LiveDoc {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new Awareness(this.doc);
  readonly conns = new Set<DocConnection>();
  /** true once evicted or unloaded: nobody may write to it any more */
  closed = false;
  /** why it was evicted: what a connection that arrives too late is told */
  closedWith: { code: CloseCode; reason: string } | null = null;

  constructor(
    readonly name: string,
    readonly ref: DocRef,
    stored: readonly Uint8Array[],
    /** awareness changes made here (not by another node), e.g. to publish them */
    onLocalAwareness: (changed: number[]) => void,
  ) {
    this.doc.transact(() => {
      for (const update of stored) Y.applyUpdate(this.doc, update);
    }, Origin.load);
    this.awareness.setLocalState(null);
    this.awareness.on('update', (changes: AwarenessChanges, origin: unknown) => {
      const changed = [...changes.added, ...changes.updated, ...changes.removed];
      writerOf(origin)?.trackAwareness?.([...changes.added, ...changes.updated], changes.removed);
      this.broadcast(encodeAwareness(this.awareness, changed));
      if (originOf(origin).source !== 'replica' && origin !== 'timeout') onLocalAwareness(changed);
    });
  }

  /** Sends `frame` to every connection except `except`. */
  broadcast(frame: Uint8Array, except: DocConnection | null = null): void {
    for (const conn of this.conns) if (conn !== except) conn.send(frame);
  }

  /** Closes every connection with `code`, remembering why for late arrivals. */
  closeAll(code: CloseCode, reason: string): void {
    this.closedWith = { code, reason };
    for (const conn of this.conns) conn.close(code, reason);
  }

  destroy(): void {
    this.closed = true;
    this.conns.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
