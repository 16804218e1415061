/**
 * Durable storage of Yjs documents as an append-only log of updates per doc, compacted
 * in the background into one snapshot. Every implementation (SQLite, Postgres) passes
 * the same contract suite in `tests/store/doc-store.contract.ts`.
 */
export interface DocUpdate {
  /** full doc name, `<roomId>/<rest>`; the room id is the part before the first `/` */
  docName: string;
  update: Uint8Array;
}

export interface DocStore {
  /**
   * Appends the updates in one transaction. Resolves only once they are committed
   * (durable against a process crash); rejects if nothing of the batch was stored.
   */
  appendUpdates(batch: readonly DocUpdate[]): Promise<void>;
  /** The stored updates of a doc, snapshot first (if any), in append order. Empty if unknown. */
  loadDoc(docName: string): Promise<Uint8Array[]>;
  /** Number of updates stored after the doc's snapshot. */
  pendingUpdateCount(docName: string): Promise<number>;
  /**
   * Replaces the snapshot and every update read into it by `merge(updates)`; updates
   * appended meanwhile are kept. `merge` receives what `loadDoc` would return.
   */
  compactDoc(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void>;
  /** Erases every doc of the room (snapshot and log). */
  deleteRoomDocs(roomId: string): Promise<void>;
  /** Answers when storage is usable (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
