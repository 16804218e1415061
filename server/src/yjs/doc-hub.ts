import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ParleyError } from '@parley/shared/protocol/errors';
import { parseDocName } from '@parley/shared/protocol/ids';
import type { FastifyBaseLogger } from 'fastify';
import { Signal } from '../lib/signal';
import type { DocStore } from '../store/doc-store';
import type { DocBus } from './doc-bus';
import { DocReplication, type Subscription } from './doc-replication';
import { DocWrites, mergeWithGc } from './doc-writes';
import { LiveDoc, originOf, type DocConnection, type UpdateOrigin } from './live-doc';
import { encodeUpdate } from './messages';
import { RoomGoneError } from './room-gone';
import type { WriteBatcher } from './write-batcher';

/** What a read or a command answers when what it read or wrote could not be stored. */
export const notStored = () => new ParleyError('unavailable', 'The room could not be saved just now. Try again.');

export type { DocConnection, LiveDoc, UpdateOrigin } from './live-doc';

/** A loaded doc and what the registry keeps about it. */
interface DocState {
  live: LiveDoc;
  writes: DocWrites;
  subscription: Subscription;
  leases: number;
  idleTimer: NodeJS.Timeout | null;
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

/**
 * The registry of Yjs documents in memory: loads each once (concurrent requests share one
 * load), pins it while it has connections or leases, and unloads it after an idle delay only
 * once its writes are flushed and its log compacted. Each doc is a `LiveDoc` (connections,
 * awareness); its `DocWrites` persist every update before it is relayed; `DocReplication`
 * keeps it in step with other nodes.
 */
export class DocHub {
  private readonly docs = new Map<string, DocState>();
  private readonly loading = new Map<string, Promise<DocState>>();
  /** rooms being evicted for an erase (count of evictRoom calls running): their loads are discarded */
  private readonly closing = new Map<string, number>();
  /** once per load, before any connection sees the doc */
  readonly loaded = new Signal<[live: LiveDoc]>();
  /** `evictRoom` began: whatever else holds the room's connections (the sealed docs) closes them too */
  readonly evicting = new Signal<[roomId: string, code: CloseCode, reason: string]>();
  private readonly replication: DocReplication;
  private destroyed = false;

  constructor(private readonly opts: DocHubOptions) {
    this.replication = new DocReplication(opts.bus ?? null, opts.store, opts.log);
    this.replication.resynced.on(() => {
      for (const state of this.docs.values()) {
        void this.replication.refresh(state.live).catch((error: unknown) => this.opts.log.warn({ err: (error as Error).message }, 'resync failed'));
      }
    });
  }

  /** Whether other nodes may write the same docs (then reads that decide something refresh first). */
  get replicated(): boolean {
    return this.replication.enabled;
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

  /** Like `withDoc`, with every node's durable updates merged in first (several nodes). */
  async read<T>(name: string, fn: (live: LiveDoc) => T | Promise<T>): Promise<T> {
    return this.withDoc(name, async (live) => {
      await this.replication.refresh(live);
      return fn(live);
    });
  }

  /** Whether a client update of `bytes` still fits the doc's size limit. */
  admits(live: LiveDoc, bytes: number): boolean {
    return this.current(live)?.writes.admits(bytes) ?? true;
  }

  addConnection(live: LiveDoc, conn: DocConnection): void {
    const state = this.current(live);
    if (!state) throw new Error('doc is not loaded');
    live.conns.add(conn);
    this.cancelIdle(state);
  }

  removeConnection(live: LiveDoc, conn: DocConnection): void {
    live.conns.delete(conn);
    const state = this.current(live);
    if (state) this.scheduleIdle(state);
  }

  /**
   * Resolves once every update applied to this doc so far settled: true if all are durable and
   * relayed, false if one was not stored (a failed commit evicts the doc; what was queued after
   * it is dropped) or the doc is no longer the one in memory. Batches commit in order, so the
   * latest write settling is enough.
   */
  async durable(live: LiveDoc): Promise<boolean> {
    const state = this.current(live);
    if (!state) return false;
    return (await state.writes.settled) && this.current(live) === state;
  }

  /**
   * Reads the doc as it is now (with every node's durable updates merged in first) and returns
   * what `fn` made of it once all of that is stored: an HTTP answer, like a sync answer, holds
   * only durable content. Throws `unavailable` if it could not be stored.
   */
  async readDurable<T>(name: string, fn: (live: LiveDoc) => T): Promise<T> {
    return this.withDoc(name, async (live) => {
      await this.replication.refresh(live);
      const value = fn(live);
      if (!(await this.durable(live))) throw notStored();
      return value;
    });
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
  async evictRoom(roomId: string, code: CloseCode, reason: string): Promise<void> {
    this.evicting.emit(roomId, code, reason);
    this.closing.set(roomId, (this.closing.get(roomId) ?? 0) + 1);
    try {
      this.evictLoaded(roomId, code, reason);
      await Promise.allSettled([...this.loading.entries()].filter(([n]) => n.startsWith(`${roomId}/`)).map(([, p]) => p));
      this.evictLoaded(roomId, code, reason);
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
  async shutdown(code: CloseCode, reason: string): Promise<void> {
    this.destroyed = true;
    await Promise.allSettled(this.loading.values());
    for (const state of this.docs.values()) {
      for (const conn of state.live.conns) conn.close(code, reason);
    }
    await this.flushed();
    for (const state of [...this.docs.values()]) {
      await state.writes.compact().catch((error: unknown) => this.opts.log.error({ err: error, doc: state.live.name }, 'compaction failed at shutdown'));
      this.drop(state);
    }
  }

  private current(live: LiveDoc): DocState | undefined {
    const state = this.docs.get(live.name);
    return state && state.live === live ? state : undefined;
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
    const subscription = await this.replication.subscribe(name);
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
        await subscription.unsubscribe();
        throw error;
      });
    const live: LiveDoc = new LiveDoc(name, ref, updates, (changed) => this.replication.publishAwareness(live, changed));
    const writes = new DocWrites(name, updates.reduce((n, u) => n + u.length, 0), this.opts);
    const state: DocState = { live, writes, subscription, leases: 0, idleTimer: null };
    subscription.attach(live);
    live.doc.on('update', (update: Uint8Array, origin: unknown) => this.persistThenRelay(state, update, originOf(origin)));
    this.docs.set(name, state);
    this.loaded.emit(live);
    this.scheduleIdle(state);
    return state;
  }

  private persistThenRelay(state: DocState, update: Uint8Array, origin: UpdateOrigin): void {
    const { live } = state;
    if (origin.source === 'load') return;
    // Durable on the node it came from: relay to our connections only.
    if (origin.source === 'replica') return live.broadcast(encodeUpdate(update));
    state.writes.persist(update, {
      durable: () => {
        if (live.closed) return;
        live.broadcast(encodeUpdate(update), origin.source === 'connection' ? origin.conn : null);
        this.replication.publishUpdate(live, update);
        this.scheduleIdle(state);
      },
      refused: () => {
        // The room is being erased: what it got meanwhile is neither kept nor relayed.
        this.opts.log.info({ doc: live.ref.kind }, 'write to an erased room refused');
        this.evict(state, CloseCode.gone, 'room deleted');
      },
      failed: (error) => {
        // Drop the doc so that it reloads from the store; reconnecting clients send what the
        // store lacks again.
        this.opts.log.error({ err: error, doc: live.name }, 'could not persist update; evicting doc');
        this.evict(state, CloseCode.unavailable, 'storage unavailable');
      },
    });
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
    if (state.writes.pending > 0) return this.scheduleIdle(state);
    try {
      await state.writes.compact();
    } catch (error) {
      this.opts.log.warn({ err: error, doc: state.live.name }, 'compaction before unload failed');
    }
    if (idle() && state.writes.pending === 0) this.drop(state);
    else this.scheduleIdle(state);
  }

  private evictLoaded(roomId: string, code: CloseCode, reason: string): void {
    for (const state of [...this.docs.values()]) {
      if (state.live.ref.roomId === roomId) this.evict(state, code, reason);
    }
  }

  private evict(state: DocState, code: CloseCode, reason: string): void {
    if (state.live.closed) return;
    state.live.closeAll(code, reason);
    this.drop(state);
  }

  private drop(state: DocState): void {
    this.cancelIdle(state);
    state.writes.destroy();
    void state.subscription.unsubscribe();
    if (this.docs.get(state.live.name) === state) this.docs.delete(state.live.name);
    state.live.destroy();
  }
}
