import type { DocRef } from '@parley/shared/protocol/ids';
import { parseDocName } from '@parley/shared/protocol/ids';
import type { FastifyBaseLogger } from 'fastify';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocStore } from '../store/doc-store';
import { encodeAwareness, encodeUpdate } from './messages';
import type { BusMessageKind as BusMessage, DocBus } from './doc-bus';
import type { WriteBatcher } from './write-batcher';

/** One live connection of a doc, as the hub sees it. */
export interface DocConnection {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** told which awareness client ids this connection added/removed */
  trackAwareness?(added: number[], removed: number[]): void;
}

/**
 * Who wrote a transaction: a connection, the server itself, the store while loading, or
 * another node ('replica': already durable, relayed here only).
 */
export type UpdateOrigin = DocConnection | 'server' | 'load' | 'replica';

export interface LiveDoc {
  readonly name: string;
  readonly ref: DocRef;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly conns: Set<DocConnection>;
  /** true once evicted or unloaded: nobody may write to it any more */
  closed: boolean;
}

interface DocState {
  live: LiveDoc;
  leases: number;
  pendingWrites: number;
  appendedSinceCompaction: number;
  idleTimer: NodeJS.Timeout | null;
  unsubscribe: (() => Promise<void>) | null;
  /** stored bytes of the doc (loaded log + appended since), for MAX_DOC_BYTES */
  bytes: number;
}

export interface DocHubOptions {
  store: DocStore;
  batcher: WriteBatcher;
  log: FastifyBaseLogger;
  /** unload a doc this long after its last connection and lease went away */
  idleUnloadMs: number;
  /** compact a doc's log into a snapshot after this many appended updates */
  compactEvery: number;
  /** several nodes: carries durable updates and awareness to the other nodes */
  bus?: DocBus | null;
  /** docs in memory at most; a load beyond is refused (the connection gets 4503) */
  maxDocs?: number;
  /** stored bytes one doc may reach */
  maxDocBytes?: number;
}

type DurableListener = (live: LiveDoc, update: Uint8Array, origin: UpdateOrigin) => void;
type LoadedListener = (live: LiveDoc) => void;

/**
 * Owns every Yjs document in memory: loads each once (concurrent requests share one load),
 * persists every update before relaying it, and unloads idle docs only after their writes
 * are flushed.
 */
export class DocHub {
  private readonly docs = new Map<string, DocState>();
  private readonly loading = new Map<string, Promise<DocState>>();
  private readonly durableListeners: DurableListener[] = [];
  private readonly loadedListeners: LoadedListener[] = [];
  private destroyed = false;

  constructor(private readonly opts: DocHubOptions) {
    opts.bus?.onResync(() => {
      for (const name of this.docs.keys()) {
        void this.refresh(name).catch((error: unknown) => this.opts.log.warn({ err: (error as Error).message }, 'resync failed'));
      }
    });
  }

  /** Whether other nodes may write the same docs (then reads that decide something refresh first). */
  get replicated(): boolean {
    return !!this.opts.bus;
  }

  /**
   * With several nodes: merges what the shared store has into the in-memory doc, so that a
   * decision taken here (a reveal, a room-doc write) sees every other node's durable updates.
   */
  async refresh(name: string): Promise<void> {
    const state = this.docs.get(name);
    if (!state || !this.opts.bus) return;
    const updates = await this.opts.store.loadDoc(name);
    if (state.live.closed) return;
    state.live.doc.transact(() => {
      for (const update of updates) Y.applyUpdate(state.live.doc, update);
    }, 'replica');
  }

  /** Called for every update once it is durable (after relay), e.g. to mirror revealed answers. */
  onDurableUpdate(listener: DurableListener): void {
    this.durableListeners.push(listener);
  }

  /** Called once per load, before any connection sees the doc. */
  onLoaded(listener: LoadedListener): void {
    this.loadedListeners.push(listener);
  }

  get loadedCount(): number {
    return this.docs.size;
  }

  /** The doc if it is in memory now. */
  peek(name: string): LiveDoc | undefined {
    return this.docs.get(name)?.live;
  }

  /** Loads (once) and pins the doc until `release` is called. */
  async acquire(name: string): Promise<{ live: LiveDoc; release: () => void }> {
    const state = await this.ensure(name);
    state.leases++;
    this.cancelIdle(state);
    let released = false;
    return {
      live: state.live,
      release: () => {
        if (released) return;
        released = true;
        state.leases--;
        this.scheduleIdle(state);
      },
    };
  }

  /** Runs `fn` with the doc pinned in memory. */
  async withDoc<T>(name: string, fn: (live: LiveDoc) => T | Promise<T>): Promise<T> {
    const { live, release } = await this.acquire(name);
    try {
      return await fn(live);
    } finally {
      release();
    }
  }

  /** Whether a client update of `bytes` still fits the doc's size limit. */
  admits(live: LiveDoc, bytes: number): boolean {
    const state = this.docs.get(live.name);
    return !state || state.bytes + bytes <= (this.opts.maxDocBytes ?? Infinity);
  }

  /** Like `withDoc`, with every node's durable updates merged in first (see `refresh`). */
  async read<T>(name: string, fn: (live: LiveDoc) => T | Promise<T>): Promise<T> {
    return this.withDoc(name, async (live) => {
      await this.refresh(name);
      return fn(live);
    });
  }

  addConnection(live: LiveDoc, conn: DocConnection): void {
    const state = this.docs.get(live.name);
    if (!state || state.live !== live) throw new Error('doc is not loaded');
    live.conns.add(conn);
    this.cancelIdle(state);
  }

  removeConnection(live: LiveDoc, conn: DocConnection): void {
    live.conns.delete(conn);
    const state = this.docs.get(live.name);
    if (state && state.live === live) this.scheduleIdle(state);
  }

  /** Resolves once every update applied so far is durable. */
  async flushed(): Promise<void> {
    await this.opts.batcher.drain();
  }

  /** Closes every connection of the room's docs with `code` and drops them from memory. */
  async evictRoom(roomId: string, code: number, reason: string): Promise<void> {
    for (const state of [...this.docs.values()]) {
      if (state.live.ref.roomId === roomId) this.evict(state, code, reason);
    }
    await Promise.allSettled([...this.loading.entries()].filter(([n]) => n.startsWith(`${roomId}/`)).map(([, p]) => p));
    for (const state of [...this.docs.values()]) {
      if (state.live.ref.roomId === roomId) this.evict(state, code, reason);
    }
    await this.flushed();
  }

  /** Flushes everything, compacts what changed, closes all connections with `code`. */
  async shutdown(code: number, reason: string): Promise<void> {
    this.destroyed = true;
    await Promise.allSettled(this.loading.values());
    for (const state of this.docs.values()) {
      for (const conn of state.live.conns) conn.close(code, reason);
    }
    await this.flushed();
    for (const state of [...this.docs.values()]) {
      await this.compact(state).catch((error: unknown) =>
        this.opts.log.error({ err: error, doc: state.live.name }, 'compaction failed at shutdown'),
      );
      this.drop(state);
    }
  }

  private async ensure(name: string): Promise<DocState> {
    if (this.destroyed) throw new Error('shutting down');
    const existing = this.docs.get(name);
    if (existing) return existing;
    let loading = this.loading.get(name);
    if (!loading && this.docs.size + this.loading.size >= (this.opts.maxDocs ?? Infinity)) {
      throw new Error('too many documents in memory');
    }
    if (!loading) {
      loading = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, loading);
    }
    return loading;
  }

  private async load(name: string): Promise<DocState> {
    const ref = parseDocName(name);
    if (!ref) throw new Error('malformed doc name');
    // Subscribe before reading the store, so nothing published in between is missed.
    const early: [BusMessage, Uint8Array][] = [];
    let deliver = (kind: BusMessage, data: Uint8Array) => void early.push([kind, data]);
    const unsubscribe = this.opts.bus ? await this.opts.bus.subscribe(name, (kind, data) => deliver(kind, data)) : null;
    const updates = await this.opts.store.loadDoc(name).catch(async (error: unknown) => {
      await unsubscribe?.();
      throw error;
    });
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    }, 'load');
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const live: LiveDoc = { name, ref, doc, awareness, conns: new Set(), closed: false };
    awareness.on('update', (changes: AwarenessChanges, origin: unknown) => {
      relayAwareness(live, changes, origin);
      // Our connections' changes (or their removal, origin null) go to the other nodes.
      if (this.opts.bus && origin !== 'replica' && origin !== 'timeout') {
        const changed = [...changes.added, ...changes.updated, ...changes.removed];
        this.opts.bus.publish(name, 'awareness', encodeAwarenessUpdate(awareness, changed));
      }
    });
    const state: DocState = { live, leases: 0, pendingWrites: 0, appendedSinceCompaction: 0, idleTimer: null, unsubscribe, bytes: updates.reduce((n, u) => n + u.length, 0) };
    deliver = (kind, data) => {
      if (live.closed) return;
      try {
        if (kind === 'update') Y.applyUpdate(doc, data, 'replica');
        else applyAwarenessUpdate(awareness, data, 'replica');
      } catch (error) {
        this.opts.log.warn({ err: (error as Error).message, doc: name }, 'bad message from another node');
      }
    };
    for (const [kind, data] of early.splice(0)) deliver(kind, data);
    doc.on('update', (update: Uint8Array, origin: unknown) => this.persistThenRelay(state, update, origin as UpdateOrigin));
    this.docs.set(name, state);
    for (const listener of this.loadedListeners) listener(live);
    this.scheduleIdle(state);
    return state;
  }

  private persistThenRelay(state: DocState, update: Uint8Array, origin: UpdateOrigin): void {
    const { live } = state;
    if (origin === 'load') return;
    if (origin === 'replica') {
      // Durable on the node it came from: relay to our connections only.
      const frame = encodeUpdate(update);
      for (const conn of live.conns) conn.send(frame);
      return;
    }
    state.pendingWrites++;
    this.opts.batcher.enqueue({ docName: live.name, update }).then(
      () => {
        state.pendingWrites--;
        state.appendedSinceCompaction++;
        state.bytes += update.length;
        if (live.closed) return;
        const frame = encodeUpdate(update);
        for (const conn of live.conns) if (conn !== origin) conn.send(frame);
        this.opts.bus?.publish(live.name, 'update', update);
        for (const listener of this.durableListeners) listener(live, update, origin);
        if (state.appendedSinceCompaction >= this.opts.compactEvery) this.compactSoon(state);
        this.scheduleIdle(state);
      },
      (error: unknown) => {
        state.pendingWrites--;
        // The update lives only in memory and in the writer's client. Drop the doc so that it
        // reloads from the store; reconnecting clients send what the store lacks again.
        this.opts.log.error({ err: error, doc: live.name }, 'could not persist update; evicting doc');
        this.evict(state, 4503, 'storage unavailable');
      },
    );
  }

  private compactSoon(state: DocState): void {
    state.appendedSinceCompaction = 0;
    setImmediate(() => {
      this.compact(state).catch((error: unknown) =>
        this.opts.log.warn({ err: error, doc: state.live.name }, 'compaction failed'),
      );
    });
  }

  private async compact(state: DocState): Promise<void> {
    state.appendedSinceCompaction = 0;
    if ((await this.opts.store.pendingUpdateCount(state.live.name)) === 0) return;
    await this.opts.store.compactDoc(state.live.name, mergeWithGc);
  }

  private scheduleIdle(state: DocState): void {
    if (state.live.closed || state.live.conns.size > 0 || state.leases > 0 || state.idleTimer) return;
    state.idleTimer = setTimeout(() => {
      state.idleTimer = null;
      void this.unloadIfIdle(state);
    }, this.opts.idleUnloadMs);
    state.idleTimer.unref();
  }

  private cancelIdle(state: DocState): void {
    if (state.idleTimer) clearTimeout(state.idleTimer);
    state.idleTimer = null;
  }

  private async unloadIfIdle(state: DocState): Promise<void> {
    const idle = () => state.live.conns.size === 0 && state.leases === 0 && !state.live.closed;
    if (!idle()) return;
    await this.flushed();
    if (state.pendingWrites > 0) return this.scheduleIdle(state);
    try {
      await this.compact(state);
    } catch (error) {
      this.opts.log.warn({ err: error, doc: state.live.name }, 'compaction before unload failed');
    }
    if (idle() && state.pendingWrites === 0) this.drop(state);
    else this.scheduleIdle(state);
  }

  private evict(state: DocState, code: number, reason: string): void {
    for (const conn of state.live.conns) conn.close(code, reason);
    this.drop(state);
  }

  private drop(state: DocState): void {
    this.cancelIdle(state);
    void state.unsubscribe?.();
    state.live.closed = true;
    state.live.conns.clear();
    if (this.docs.get(state.live.name) === state) this.docs.delete(state.live.name);
    state.live.awareness.destroy();
    state.live.doc.destroy();
  }
}

/**
 * Relays awareness changes to every connection of the doc, the sender included: like the
 * stock server, whose echo keeps an idle client's connection alive.
 */
interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

function relayAwareness(live: LiveDoc, changes: AwarenessChanges, origin: unknown): void {
  const changed = [...changes.added, ...changes.updated, ...changes.removed];
  const conn = origin as DocConnection | null;
  conn?.trackAwareness?.([...changes.added, ...changes.updated], changes.removed);
  const frame = encodeAwareness(live.awareness, changed);
  for (const c of live.conns) c.send(frame);
}

/** Compaction through a gc'ing doc, so deleted content does not survive in the snapshot. */
export function mergeWithGc(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
