import { CloseCode } from '@parley/shared/protocol/close-codes';
import type { DocRef } from '@parley/shared/protocol/ids';
import { parseDocName } from '@parley/shared/protocol/ids';
import type { FastifyBaseLogger } from 'fastify';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocStore } from '../store/doc-store';
import { encodeAwareness, encodeUpdate } from './messages';
import type { BusMessageKind as BusMessage, DocBus } from './doc-bus';
import { RoomGoneError } from './room-gone';
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
  /** why it was evicted: what a connection that arrives too late is told */
  closedWith: { code: number; reason: string } | null;
}

interface DocState {
  live: LiveDoc;
  leases: number;
  pendingWrites: number;
  /** settles once the doc's latest write is durable and relayed (or failed) */
  lastWrite: Promise<void>;
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
  /** whether the room has its row and is not being erased (read from the shared store) */
  roomIsLive: (roomId: string) => Promise<boolean>;
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
  /** rooms being evicted for an erase (count of evictRoom calls running): their loads are discarded */
  private readonly closing = new Map<string, number>();
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

  /**
   * Resolves once every update applied to this doc so far is durable and relayed (or failed,
   * which evicts the doc). Batches commit in order, so the latest write settling is enough.
   */
  durable(live: LiveDoc): Promise<void> {
    const state = this.docs.get(live.name);
    return state && state.live === live ? state.lastWrite : Promise.resolve();
  }

  /** Resolves once every update applied so far, to any doc, is durable. */
  async flushed(): Promise<void> {
    await this.opts.batcher.drain();
  }

  /**
   * Closes every connection of the room's docs with `code` and drops them from memory, then
   * waits for their writes in flight. Loads of the room that finish meanwhile are discarded;
   * callers erasing the room mark it first (`RoomStore.markErasing`), which keeps out later ones.
   */
  async evictRoom(roomId: string, code: number, reason: string): Promise<void> {
    this.closing.set(roomId, (this.closing.get(roomId) ?? 0) + 1);
    try {
      for (const state of [...this.docs.values()]) {
        if (state.live.ref.roomId === roomId) this.evict(state, code, reason);
      }
      await Promise.allSettled([...this.loading.entries()].filter(([n]) => n.startsWith(`${roomId}/`)).map(([, p]) => p));
      for (const state of [...this.docs.values()]) {
        if (state.live.ref.roomId === roomId) this.evict(state, code, reason);
      }
      await this.flushed();
    } finally {
      const left = (this.closing.get(roomId) ?? 1) - 1;
      if (left > 0) this.closing.set(roomId, left);
      else this.closing.delete(roomId);
    }
  }

  /**
   * Whether the doc's room may still be read, asked of the shared store before content goes
   * out (a sync answer). If not, this node drops the room's docs (4410) even if no other node
   * told it about the erase.
   */
  async stillLive(live: LiveDoc): Promise<boolean> {
    const { roomId } = live.ref;
    if (live.closed || this.closing.has(roomId)) return false;
    if (await this.opts.roomIsLive(roomId)) return !live.closed;
    if (!this.closing.has(roomId)) void this.evictRoom(roomId, CloseCode.gone, 'room deleted');
    return false;
  }

  /**
   * The doc as stored, merged into one update, without loading it (so also for a room being
   * erased, whose docs `acquire` refuses): what pairing carries over from the room it erases.
   */
  async readStored(name: string): Promise<Uint8Array> {
    return mergeWithGc(await this.opts.store.loadDoc(name));
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
    const roomGone = () => this.closing.has(ref.roomId);
    const updates = await this.opts.store
      .loadDoc(name)
      .then(async (loaded) => {
        // Asked after the read: a room whose erase began before it is marked by now, and what
        // was read must not be served (its rows may not be deleted yet).
        if (roomGone() || !(await this.opts.roomIsLive(ref.roomId)) || roomGone()) throw new RoomGoneError(name);
        return loaded;
      })
      .catch(async (error: unknown) => {
        await unsubscribe?.();
        throw error;
      });
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    }, 'load');
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const live: LiveDoc = { name, ref, doc, awareness, conns: new Set(), closed: false, closedWith: null };
    awareness.on('update', (changes: AwarenessChanges, origin: unknown) => {
      relayAwareness(live, changes, origin);
      // Our connections' changes (or their removal, origin null) go to the other nodes.
      if (this.opts.bus && origin !== 'replica' && origin !== 'timeout') {
        const changed = [...changes.added, ...changes.updated, ...changes.removed];
        this.opts.bus.publish(name, 'awareness', encodeAwarenessUpdate(awareness, changed));
      }
    });
    const state: DocState = { live, leases: 0, pendingWrites: 0, lastWrite: Promise.resolve(), appendedSinceCompaction: 0, idleTimer: null, unsubscribe, bytes: updates.reduce((n, u) => n + u.length, 0) };
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
    state.lastWrite = this.opts.batcher.enqueue({ docName: live.name, update }).then(
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
        if (error instanceof RoomGoneError) {
          // The room is being erased: what it got meanwhile is neither kept nor relayed.
          this.opts.log.info({ doc: live.ref.kind }, 'write to an erased room refused');
          this.evict(state, CloseCode.gone, 'room deleted');
          return;
        }
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
    if (state.live.closed) return;
    state.live.closedWith = { code, reason };
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
