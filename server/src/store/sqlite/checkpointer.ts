import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints from a worker thread with its own SQLite connection. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, on the event loop, and its
 * fsync showed up as 20–95 ms stalls in the relay path (bench profile). Checkpointing often
 * and PASSIVEly elsewhere keeps the WAL small without ever blocking a commit.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(dbFile: string, everyMs = 200): Checkpointer {
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.betterSqlite);
    let db;
    try {
      db = new Database(workerData.dbFile, { fileMustExist: true });
      db.pragma('busy_timeout = 1000');
    } catch {
      // The database went away before this thread started (closed and removed): nothing to do.
      process.exit(0);
    }
    const timer = setInterval(() => {
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    }, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
    `,
    { eval: true, workerData: { dbFile, betterSqlite, everyMs } },
  );
  worker.unref();
  // A checkpoint that cannot run is not worth a crash: the main connection's safety net remains.
  worker.on('error', () => undefined);
  let stopped: Promise<void> | null = null;
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      })),
  };
}
