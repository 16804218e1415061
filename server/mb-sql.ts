import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
const mode = process.argv[2] ?? 'NORMAL';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-'));
const db = new Database(path.join(dir, 'x.db'));
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('secure_delete = ON');
db.pragma(`locking_mode = ${mode}`);
db.exec(`CREATE TABLE rooms (id TEXT PRIMARY KEY, erasing_at INTEGER);
CREATE TABLE doc_updates (doc_name TEXT NOT NULL, seq INTEGER NOT NULL, room_id TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc_name, seq));
CREATE TABLE doc_snapshots (doc_name TEXT PRIMARY KEY, room_id TEXT NOT NULL, data BLOB NOT NULL, upto_seq INTEGER NOT NULL);`);
for (let i = 0; i < 100; i++) db.prepare('INSERT INTO rooms (id) VALUES (?)').run('room' + i);
const insert = db.prepare(`INSERT INTO doc_updates (doc_name, seq, room_id, data)
       SELECT @docName, coalesce((SELECT max(seq) FROM doc_updates WHERE doc_name = @docName), (SELECT upto_seq FROM doc_snapshots WHERE doc_name = @docName), 0) + 1, @roomId, @data
       WHERE EXISTS (SELECT 1 FROM rooms WHERE id = @roomId AND erasing_at IS NULL)`);
const data = Buffer.alloc(120, 7);
const N = 20000;
function cpu(f: () => void) { const s = process.cpuUsage(); const t = performance.now(); f(); const d = process.cpuUsage(s); return { cpuUs: (d.user + d.system) / N, wallUs: (performance.now() - t) * 1000 / N, sys: d.system / N }; }
console.log(mode, 'full insert', cpu(() => { for (let i = 0; i < N; i++) { const r = 'room' + (i % 100); insert.run({ docName: r + '/private/a', roomId: r, data }); if (i % 2000 === 0) db.pragma('wal_checkpoint(PASSIVE)'); } }));
