import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCheckpointer } from './checkpointer';
import { runMigrations } from './migrations';

export interface SqliteOptions {
  dataDir: string;
  /** 'full' makes every commit survive power loss (SYNC_WRITES=full), at a latency cost. */
  syncWrites: 'normal' | 'full';
}

/** One open `parley.db`, shared by the doc store and the room store. */
export interface SqliteDatabase {
  readonly db: Database.Database;
  /** absolute path of `parley.db` */
  readonly file: string;
  /**
   * Copies the WAL into the main file and truncates the WAL to zero bytes. Until then a
   * deletion's zeroed pages live only in the WAL while `parley.db` still holds the old ones.
   * Best effort: a concurrent reader can keep frames alive until the next checkpoint.
   */
  checkpoint(): void;
  /** Checkpoints, then closes. Idempotent. */
  close(): void;
}

const DB_FILE = 'parley.db';
const BUSY_TIMEOUT_MS = 5_000;
const SAFETY_NET_CHECKPOINT_PAGES = 10_000;

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

  const checkpoint = (): void => {
    db.pragma('wal_checkpoint(TRUNCATE)');
  };
  const checkpointer = startCheckpointer(file);

  return {
    db,
    file,
    checkpoint,
    close() {
      if (!db.open) return;
      checkpointer.stop();
      checkpoint();
      db.close();
    },
  };
}
