import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Commit cost of Parley's update log without the server around it: 4000 single-update commits
 * into the log schema of before and after migration 6 (server/src/store/sqlite/migrations.ts),
 * WAL, synchronous=NORMAL, with SQLite's default auto-checkpoint (1000 pages) and with it off.
 * Prints CPU per commit, WAL pages per commit and the commit-time tail, the old schema beside the
 * new one in the same run. Shows what the schema costs and how much of the tail is the
 * checkpoint's fsync running inside a commit.
 * Usage: tsx bench/src/tools/sqlite-commit-tail.ts
 */
const SCHEMAS = {
  // before migration 6: global AUTOINCREMENT seq, a doc index and a room index (4 pages a commit)
  'seq+2 indexes': {
    ddl: `CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, room_id TEXT NOT NULL, doc_name TEXT NOT NULL, data BLOB NOT NULL);
          CREATE INDEX doc_updates_doc_seq ON doc_updates (doc_name, seq);
          CREATE INDEX doc_updates_room ON doc_updates (room_id);`,
    insert: 'INSERT INTO doc_updates (room_id, doc_name, data) VALUES (@room, @doc, @data)',
  },
  // migration 6: primary key (doc_name, seq), seq per doc
  '(doc, seq) key': {
    ddl: `CREATE TABLE doc_snapshots (doc_name TEXT PRIMARY KEY, upto_seq INTEGER NOT NULL);
          CREATE TABLE doc_updates (doc_name TEXT NOT NULL, seq INTEGER NOT NULL, room_id TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc_name, seq));`,
    insert: `INSERT INTO doc_updates (doc_name, seq, room_id, data) SELECT @doc,
               coalesce((SELECT max(seq) FROM doc_updates WHERE doc_name = @doc), (SELECT upto_seq FROM doc_snapshots WHERE doc_name = @doc), 0) + 1, @room, @data`,
  },
} as const;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-commit-tail-'));
const blob = Buffer.alloc(120, 7);
try {
  for (const [schema, { ddl, insert: insertSql }] of Object.entries(SCHEMAS)) for (const autoCheckpoint of [1000, 0]) {
    const file = path.join(dir, `t-${schema.replace(/\W+/g, '')}-${autoCheckpoint}.db`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('secure_delete = ON');
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.exec(ddl);
    const insert = db.prepare<[{ room: string; doc: string; data: Buffer }]>(insertSql);
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < 4000; i++) {
      const room = `room${String(i % 100).padStart(18, '0')}`;
      const started = performance.now();
      insert.run({ room, doc: `${room}/shared`, data: blob });
      times.push(performance.now() - started);
    }
    const { user, system } = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    const q = (p: number) => (times[Math.floor(p * times.length)] ?? NaN).toFixed(2);
    const walKiB = Math.round(fs.statSync(`${file}-wal`).size / 1024);
    process.stdout.write(
      `${schema.padEnd(14)} wal_autocheckpoint=${String(autoCheckpoint).padEnd(4)}: CPU ${((user + system) / 4000).toFixed(1)} µs/commit; ` +
        `p50 ${q(0.5)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${(times.at(-1) ?? NaN).toFixed(1)} ms; ` +
        `commits > 5 ms: ${times.filter((t) => t > 5).length}; WAL now ${walKiB} KiB` +
        (autoCheckpoint === 0 ? ` (${((walKiB * 1024) / 4000 / 4096).toFixed(1)} pages per commit)` : '') +
        '\n',
    );
    db.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
