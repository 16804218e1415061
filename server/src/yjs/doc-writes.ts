import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { DocStore } from '../store/doc-store';
import { RoomGoneError } from './room-gone';
import { DocDroppedError, type WriteBatcher } from './write-batcher';

export interface DocWritesOptions {
  store: DocStore;
  batcher: WriteBatcher;
  log: FastifyBaseLogger;
  /** compact a doc's log into a snapshot after this many appended updates */
  compactEvery: number;
  /** stored bytes one doc may reach */
  maxDocBytes?: number;
}

/** What becomes of one update once its batch settled. */
export interface WriteOutcome {
  /** stored: relay it now */
  durable(): void;
  /** the room is being erased: the update was neither stored nor may it be relayed */
  refused(): void;
  /** the store failed: the update lives only in memory and in its writer's client */
  failed(error: unknown): void;
}

/**
 * One doc's persistence: every update goes into the write batcher and is relayed only once
 * its batch committed; the log is compacted into a snapshot every `compactEvery` updates (and
 * by the hub before an idle doc is unloaded); its stored size is kept for MAX_DOC_BYTES.
 */
export class DocWrites {
  pending = 0;
  /** settles once the latest write is durable and relayed (true) or was not stored (false) */
  private last: Promise<boolean> = Promise.resolve(true);
  /** set when the doc is dropped: updates still waiting for a batch are not stored */
  private dropped = false;
  private appendedSinceCompaction = 0;
  private compaction: NodeJS.Immediate | null = null;

  constructor(
    private readonly name: string,
    /** stored bytes of the doc (loaded log + appended since) */
    private bytes: number,
    private readonly opts: DocWritesOptions,
  ) {}

  /** Whether an update of `bytes` still fits the doc's size limit. */
  admits(bytes: number): boolean {
    return this.bytes + bytes <= (this.opts.maxDocBytes ?? Infinity);
  }

  /**
   * Resolves once every update persisted so far settled (batches commit in order): true if the
   * latest is stored, false if it was not (and then neither was any later one of this doc).
   */
  get settled(): Promise<boolean> {
    return this.last;
  }

  persist(update: Uint8Array, outcome: WriteOutcome): void {
    this.pending++;
    this.last = this.opts.batcher.enqueue({ docName: this.name, update }, () => !this.dropped).then(
      () => {
        this.pending--;
        this.appendedSinceCompaction++;
        this.bytes += update.length;
        outcome.durable();
        if (this.appendedSinceCompaction >= this.opts.compactEvery) this.compactSoon();
        return true;
      },
      (error: unknown) => {
        this.pending--;
        if (error instanceof RoomGoneError) outcome.refused();
        else if (!(error instanceof DocDroppedError)) outcome.failed(error);
        return false;
      },
    );
  }

  /** Folds the log into one snapshot, if anything was appended since the last one. */
  async compact(): Promise<void> {
    this.appendedSinceCompaction = 0;
    if ((await this.opts.store.pendingUpdateCount(this.name)) === 0) return;
    await this.opts.store.compactDoc(this.name, mergeWithGc);
  }

  private compactSoon(): void {
    this.appendedSinceCompaction = 0;
    this.compaction ??= setImmediate(() => {
      this.compaction = null;
      this.compact().catch((error: unknown) => this.opts.log.warn({ err: error, doc: this.name }, 'compaction failed'));
    });
  }

  /** Stops a compaction that has not started (the doc is being dropped). */
  destroy(): void {
    this.dropped = true;
    if (this.compaction) clearImmediate(this.compaction);
    this.compaction = null;
  }
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
