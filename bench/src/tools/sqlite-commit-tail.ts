import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Commit-time tail of Parley's update log without the server around it: 4000 single-update
 * transactions into the `doc_updates` schema (server/src/store/sqlite/migrations.ts), WAL,
 * synchronous=NORMAL, with SQLite's default auto-checkpoint (1000 pages) and with it off.
 * Shows how much of the tail is the checkpoint's fsync running inside a commit.
 * Usage: tsx bench/src/tools/sqlite-commit-tail.ts
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-commit-tail-'));
const blob = Buffer.alloc(120, 7);
try {
  for (const autoCheckpoint of [1000, 0]) {
    const db = new Database(path.join(dir, `t-${autoCheckpoint}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('secure_delete = ON');
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.exec(`CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, room_id TEXT NOT NULL, doc_name TEXT NOT NULL, data BLOB NOT NULL);
             CREATE INDEX doc_updates_doc_seq ON doc_updates (doc_name, seq);
             CREATE INDEX doc_updates_room ON doc_updates (room_id);`);
    const insert = db.prepare<[string, string, Buffer]>('INSERT INTO doc_updates (room_id, doc_name, data) VALUES (?, ?, ?)');
    const append = db.transaction((room: string) => insert.run(room, `${room}/shared`, blob));
    const times: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const started = performance.now();
      append(`room${String(i % 100).padStart(18, '0')}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => (times[Math.floor(p * times.length)] ?? NaN).toFixed(2);
    const walKiB = Math.round(fs.statSync(path.join(dir, `t-${autoCheckpoint}.db-wal`)).size / 1024);
    process.stdout.write(
      `wal_autocheckpoint=${autoCheckpoint}: p50 ${q(0.5)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${(times.at(-1) ?? NaN).toFixed(1)} ms; ` +
        `commits > 5 ms: ${times.filter((t) => t > 5).length}; WAL now ${walKiB} KiB` +
        (autoCheckpoint === 0 ? ` (${((walKiB * 1024) / 4000 / 4096).toFixed(1)} pages per commit)` : '') +
        '\n',
    );
    db.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
