import type { DocStore, DocUpdate } from '../store/doc-store';
import { RoomGoneError } from './room-gone';

/** An update whose doc was dropped from memory before its batch was committed: not stored. */
export class DocDroppedError extends Error {
  constructor(readonly docName: string) {
    super(`doc ${docName} was dropped before its update was stored`);
    this.name = 'DocDroppedError';
  }
}

interface Entry {
  item: DocUpdate;
  /** false once the update must not be stored any more (its doc was evicted) */
  wanted: () => boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** A promise with its resolver, for "the batch these updates will go into has settled". */
function settleSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Collects updates and appends them to the store in one transaction: those of one event-loop
 * tick, or, while a commit is in flight, everything that arrives until it is done (group
 * commit: with a store whose commits take milliseconds, like Postgres, the batches grow with the
 * load instead of queueing one transaction per tick). `enqueue` resolves once that transaction
 * committed, so callers relay an update only after it is durable. Batches commit one at a time,
 * in the order they were made. An update the store refused because its room is gone or being
 * erased rejects with `RoomGoneError`; the rest of its batch is unaffected.
 */
export class WriteBatcher {
  private pending: Entry[] = [];
  /** settles when the batch the pending entries will go into has committed or failed */
  private pendingSettled = settleSignal();
  private scheduled: NodeJS.Immediate | null = null;
  private committing: Promise<void> | null = null;
  /** set when a commit failed, cleared by the next successful one (readiness reports it) */
  failing: Error | null = null;

  constructor(
    private readonly store: DocStore,
    private readonly onFlush: (updates: number, ms: number) => void = () => {},
    /** a batch this full commits without waiting for the end of the tick */
    private readonly maxBatch = 32,
  ) {}

  /**
   * `wanted` is asked when the batch is made: an update of a doc evicted after a failed commit
   * depends on what that commit lost, so it is not stored either (it would sit in the log as a
   * struct whose dependencies never arrive) and rejects with `DocDroppedError`.
   */
  enqueue(item: DocUpdate, wanted: () => boolean = () => true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, wanted, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Resolves when everything enqueued so far has been committed (or failed). It waits for the
   * batch those updates are going into rather than committing it early, so callers that wait
   * (sync answers, room-doc writes) still share one transaction.
   */
  async drain(): Promise<void> {
    const waits: Promise<void>[] = [];
    if (this.committing) waits.push(this.committing);
    if (this.pending.length > 0) waits.push(this.pendingSettled.promise);
    await Promise.all(waits);
  }

  private schedule(): void {
    // While a commit is in flight the batch grows; the commit's end schedules it.
    if (this.committing) return;
    if (this.pending.length >= this.maxBatch) {
      // A burst (a reveal storm) would otherwise hold every relay until the end of the tick:
      // a full batch commits at once, so the first rooms' updates go out while later ones are
      // still being made.
      if (this.scheduled) clearImmediate(this.scheduled);
      this.scheduled = null;
      queueMicrotask(() => {
        if (!this.committing && this.pending.length > 0) this.flush();
      });
      return;
    }
    this.scheduled ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = null;
    const batch: Entry[] = [];
    for (const entry of this.pending) {
      if (entry.wanted()) batch.push(entry);
      else entry.reject(new DocDroppedError(entry.item.docName));
    }
    const settled = this.pendingSettled;
    this.pending = [];
    this.pendingSettled = settleSignal();
    if (batch.length === 0) {
      settled.resolve();
      return;
    }
    const started = performance.now();
    this.committing = this.store
      .appendUpdates(batch.map((b) => b.item))
      .then(
        ({ refused }) => {
          this.failing = null;
          const gone = new Set(refused);
          const stored = batch.filter((b) => !gone.has(b.item.docName));
          this.onFlush(stored.length, performance.now() - started);
          for (const b of batch) {
            if (gone.has(b.item.docName)) b.reject(new RoomGoneError(b.item.docName));
            else b.resolve();
          }
        },
        (error: unknown) => {
          this.failing = error instanceof Error ? error : new Error(String(error));
          for (const b of batch) b.reject(error);
        },
      )
      .finally(() => {
        this.committing = null;
        settled.resolve();
        if (this.pending.length > 0) this.schedule();
      });
  }
}
