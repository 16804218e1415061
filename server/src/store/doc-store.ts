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

export interface AppendResult {
  /**
   * Docs of the batch whose room has no row or is being erased (see `RoomStore.markErasing`):
   * none of their updates was stored. Each listed once.
   */
  refused: string[];
}

export interface DocStore {
  /**
   * Appends the updates in one transaction. Resolves only once they are committed
   * (durable against a process crash); rejects if nothing of the batch was stored. Updates of
   * a doc whose room is gone or being erased are left out, not failed: the rest of the batch,
   * other rooms' updates, is stored all the same.
   */
  appendUpdates(batch: readonly DocUpdate[]): Promise<AppendResult>;
  /** The stored updates of a doc, snapshot first (if any), in append order. Empty if unknown. */
  loadDoc(docName: string): Promise<Uint8Array[]>;
  /** Number of updates stored after the doc's snapshot. */
  pendingUpdateCount(docName: string): Promise<number>;
  /**
   * Replaces the snapshot and every update read into it by `merge(updates)`; updates
   * appended meanwhile are kept. `merge` receives what `loadDoc` would return. Writes nothing
   * for a doc whose room is gone or being erased.
   */
  compactDoc(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void>;
  /** Erases every doc of the room (snapshot and log); the caller checkpoints (`StoreDatabase`). */
  deleteRoomDocs(roomId: string): Promise<void>;
  /**
   * Erases every stored doc whose room row is gone (versions before the erasing mark could
   * leave such rows behind); returns how many rows went.
   */
  deleteOrphanDocs(): Promise<number>;
  /** Answers when storage is usable (for /readyz). Closing is the database's (`StoreDatabase`). */
  ping(): Promise<void>;
}
