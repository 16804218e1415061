import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints from a worker thread with its own SQLite connection. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, on the event loop, and its
 * fsync showed up as 20–95 ms stalls in the relay path (bench profile). Checkpointing PASSIVEly
 * elsewhere keeps the WAL small without ever blocking a commit. Once a second, not more often:
 * every checkpoint copies the pages written since the last one, and a busy doc's tail pages
 * change with every commit, so at 200 ms the worker spent a quarter as much CPU as the event
 * loop (bench edits-10 profile) copying the same pages again.
 */
export interface Checkpointer {
  /**
   * Closes the worker's connection and returns once it is closed (at most `STOP_WAIT_MS`), so
   * that the caller's connection is the last one: SQLite removes the `-wal` and `-shm` files
   * only when the last connection closes, and a shutdown should leave the files settled.
   */
  stop(): void;
}

const STOP_WAIT_MS = 2000;

export function startCheckpointer(dbFile: string, everyMs = 1000): Checkpointer {
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  // Set to 1 by the worker once it holds no connection (closed, or never opened).
  const released = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.betterSqlite);
    const release = () => { Atomics.store(workerData.released, 0, 1); Atomics.notify(workerData.released, 0); };
    let db;
    try {
      db = new Database(workerData.dbFile, { fileMustExist: true });
      db.pragma('busy_timeout = 1000');
    } catch {
      // The database went away before this thread started (closed and removed): nothing to do.
      release();
      process.exit(0);
    }
    const timer = setInterval(() => {
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    }, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); db.close(); release(); process.exit(0); });
    `,
    { eval: true, workerData: { dbFile, betterSqlite, everyMs, released } },
  );
  worker.unref();
  // A checkpoint that cannot run is not worth a crash: the main connection's safety net remains.
  worker.on('error', () => undefined);
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      // Blocks this thread briefly, once, at shutdown: close() stays synchronous.
      Atomics.wait(released, 0, 0, STOP_WAIT_MS);
    },
  };
}
