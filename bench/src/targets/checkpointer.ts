import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Experiment (bench only, `--experiment worker-checkpoint`): WAL checkpoints from a worker
 * thread with its own SQLite connection, every `everyMs`. The server's connection then never
 * reaches its auto-checkpoint threshold (1000 WAL pages), so the checkpoint's fsync no longer
 * runs inside a commit on the event loop. This is the change proposed for
 * server/src/store/sqlite/database.ts, tried without touching server code.
 */
export function startWorkerCheckpointer(dbFile: string, everyMs = 100): { stop: () => Promise<void> } {
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.betterSqlite);
    const db = new Database(workerData.dbFile);
    db.pragma('busy_timeout = 1000');
    const timer = setInterval(() => {
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    }, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
    `,
    { eval: true, workerData: { dbFile, betterSqlite, everyMs } },
  );
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
