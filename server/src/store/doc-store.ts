/**
 * Durable storage of Yjs documents as an append-only log of updates per doc, compacted
 * in the background into one snapshot. Every implementation (SQLite, Postgres) passes
 * the same contract suite in `tests/store/doc-store.contract.ts`.
 */
export interface DocUpdate {
  /** full doc name, `<roomId>/<rest>`; the room id is the part before the first `/` */
  docName: string;
  update: Uint8Array;
  /**
   * Sealed docs only (docs/sealed-rooms.md §4): when given, the store takes the update's log
   * position in the commit and writes it here once committed. Positions of one doc count up
   * by one from the last entry (or the snapshot's position), in commit order, on every node.
   * The standard path leaves it out and pays nothing for it.
   */
  logged?: { position: number };
}

/** One entry of a doc's log with its position (see `DocUpdate.logged`). */
export interface LogEntry {
  position: number;
  data: Uint8Array;
}

/** A sealed doc as a client at some position needs it: the snapshot if it helps, then the entries. */
export interface DocLog {
  /** the snapshot and the position it covers (every entry ≤ it is in it); null if none or not needed */
  snapshot: LogEntry | null;
  /** the entries after the snapshot (and after the asked position), in position order */
  entries: LogEntry[];
  /** the doc's latest position: its last entry's, or the snapshot's, or 0 */
  last: number;
}

/**
 * What `replaceUpTo` did: `replaced`; `refused`, the room is gone or being erased (nothing
 * written, as `appendUpdates` refuses); `behind`, the stored snapshot covers more than this one
 * (it would lose what lies between); `ahead`, the position is past the doc's last entry.
 */
export type ReplaceOutcome = 'replaced' | 'refused' | 'behind' | 'ahead';

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
  /**
   * Sealed docs: the log with positions, the snapshot only if it covers more than `after`,
   * and the entries after both. Every entry of the doc must have been appended with `logged`.
   */
  loadLog(docName: string, after: number): Promise<DocLog>;
  /**
   * Sealed docs (a client's compaction): in one transaction, replaces the snapshot and every
   * entry at or before `position` with `snapshot`; entries after it stay, and so do appends
   * that commit meanwhile (they get later positions).
   */
  replaceUpTo(docName: string, position: number, snapshot: Uint8Array): Promise<ReplaceOutcome>;
  /**
   * Sealed docs (a `DATA_KEY` rotation): in one transaction, replaces the bytes of the snapshot
   * and of every entry for which `rewrite` answers new bytes (null: keep as is). Positions, and
   * entries appended meanwhile, stay as they are. Answers how many rows it rewrote.
   */
  rewriteLog(docName: string, rewrite: (data: Uint8Array) => Uint8Array | null): Promise<number>;
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
