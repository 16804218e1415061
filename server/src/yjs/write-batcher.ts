import type { DocStore, DocUpdate } from '../store/doc-store';

/**
 * Collects the updates of one event-loop tick and appends them to the store in one
 * transaction. `enqueue` resolves once that transaction committed, so callers relay an
 * update only after it is durable. Persistence never holds the relay back by more than a tick
 * plus the commit itself.
 */
export class WriteBatcher {
  private pending: { item: DocUpdate; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  /** set when a commit failed, cleared by the next successful one (readiness reports it) */
  failing: Error | null = null;

  constructor(
    private readonly store: DocStore,
    private readonly onFlush: (updates: number, ms: number) => void = () => {},
  ) {}

  enqueue(item: DocUpdate): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Resolves when everything enqueued so far has been committed (or failed). It waits for the
   * batch already scheduled for this tick rather than committing it early, so callers that
   * wait (sync answers, room-doc writes) still share one transaction per tick.
   */
  async drain(): Promise<void> {
    if (this.scheduled) await this.nextFlush;
    await this.inFlight;
  }

  private nextFlush: Promise<void> = Promise.resolve();
  private flushStarted: () => void = () => undefined;

  private schedule(): void {
    if (this.scheduled) return;
    this.nextFlush = new Promise((resolve) => (this.flushStarted = resolve));
    this.scheduled = setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = null;
    this.flushStarted();
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const started = performance.now();
    // Commits are chained so that batches land in the order they were made.
    this.inFlight = this.inFlight.then(() =>
      this.store.appendUpdates(batch.map((b) => b.item)).then(
        () => {
          this.failing = null;
          this.onFlush(batch.length, performance.now() - started);
          for (const b of batch) b.resolve();
        },
        (error: unknown) => {
          this.failing = error instanceof Error ? error : new Error(String(error));
          for (const b of batch) b.reject(error);
        },
      ),
    );
  }
}
