/**
 * The one open database of a node (SQLite `parley.db` or a Postgres pool), shared by its doc,
 * room, workshop and encryption stores. The stores only read and write; opening, the closing
 * checkpoint and closing belong to this object, so no store can close what the others use.
 */
export interface StoreDatabase {
  /**
   * What an erase runs after its deletes, once: takes the erased content out of the files.
   * SQLite copies the WAL into `parley.db` and truncates it, retried until that completes
   * (bounded); until then a deletion's zeroed pages live only in the WAL while `parley.db`
   * still holds the old ones. Postgres: nothing to do. Resolves false if it did not complete.
   */
  checkpointFully(): Promise<boolean>;
  /** Closes the database (SQLite checkpoints first). Idempotent. */
  close(): Promise<void>;
}
