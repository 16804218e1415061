import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StoreDatabase } from '../database';
import type { FlagOf } from '../rows';
import { startCheckpointer } from './checkpointer';
import { runMigrations } from './migrations';

export interface SqliteOptions {
  dataDir: string;
  /** 'full' makes every commit survive power loss (SYNC_WRITES=full), at a latency cost. */
  syncWrites: 'normal' | 'full';
}

/** One open `parley.db`, shared by the doc, room, workshop and encryption stores. */
export interface SqliteDatabase extends StoreDatabase {
  readonly db: Database.Database;
  /** absolute path of `parley.db` */
  readonly file: string;
  /**
   * Copies the WAL into the main file and truncates the WAL to zero bytes. Until then a
   * deletion's zeroed pages live only in the WAL while `parley.db` still holds the old ones.
   * Best effort: a concurrent reader or the checkpoint worker can keep frames alive; returns
   * whether the WAL was fully checkpointed and truncated.
   */
  checkpoint(): boolean;
  /**
   * `checkpoint` until it completes (bounded): what an erase runs last, so the erased room's
   * old page versions do not linger in the WAL while the checkpoint worker or a reader was busy.
   */
  checkpointFully(): Promise<boolean>;
  /** Checkpoints, then closes (synchronously: the promise is already settled). Idempotent. */
  close(): Promise<void>;
}

/** SQLite has no boolean: flags are stored as 0/1. */
export const sqliteFlag: FlagOf = (value) => (value ? 1 : 0);
/** Values are bound in column order. */
export const sqlitePlaceholder = (): string => '?';

const DB_FILE = 'parley.db';
const BUSY_TIMEOUT_MS = 5_000;
const SAFETY_NET_CHECKPOINT_PAGES = 10_000;
/** an erase retries its checkpoint this far apart, for this long (each try may wait busy_timeout) */
const FULL_CHECKPOINT_RETRY_MS = 20;
const FULL_CHECKPOINT_FOR_MS = 2_000;

export function openSqlite(opts: SqliteOptions): SqliteDatabase {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.resolve(opts.dataDir, DB_FILE);
  const db = new Database(file);
  try {
    // WAL + NORMAL: a commit survives a process crash (kill -9), which is the contract's bar.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.syncWrites === 'full' ? 'FULL' : 'NORMAL'}`);
    // Deleted rooms must not be recoverable from free pages or slack space of the file.
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Checkpoints run in a worker (see checkpointer.ts); this connection only steps in as a
    // safety net if the WAL grows past ~40 MB because the worker is not keeping up.
    db.pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
    runMigrations(db);
  } catch (err) {
    db.close();
    throw err;
  }

  const checkpoint = (): boolean => {
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return !!row && row.busy === 0 && row.checkpointed === row.log;
  };
  const checkpointFully = async (): Promise<boolean> => {
    const deadline = Date.now() + FULL_CHECKPOINT_FOR_MS;
    while (db.open) {
      if (checkpoint()) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, FULL_CHECKPOINT_RETRY_MS));
    }
    return false;
  };
  const checkpointer = startCheckpointer(file);

  return {
    db,
    file,
    checkpoint,
    checkpointFully,
    async close() {
      if (!db.open) return;
      checkpointer.stop();
      checkpoint();
      db.close();
    },
  };
}
