import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '@parley/server/store/sqlite/database';
import { SqliteDocStore } from '@parley/server/store/sqlite/doc-store';
import { MIGRATIONS, runMigrations } from '@parley/server/store/sqlite/migrations';
import { SqliteRoomStore } from '@parley/server/store/sqlite/room-store';
import { createRoomRow, insertOrphanSqlite } from '../helpers/room-rows';
import { describeDocStoreContract } from './doc-store.contract';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'parley-'));

describeDocStoreContract('SQLite', async () => {
  const dataDir = tempDir();
  let database = openSqlite({ dataDir, syncWrites: 'normal' });
  let store = new SqliteDocStore(database);
  return {
    store,
    rooms: new SqliteRoomStore(database),
    insertOrphan: async (docName, update) => insertOrphanSqlite(database.db, docName, update),
    reopen: async () => {
      await database.close();
      database = openSqlite({ dataDir, syncWrites: 'normal' });
      store = new SqliteDocStore(database);
      return store;
    },
    cleanup: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SQLite database', () => {
  const opened: SqliteDatabase[] = [];
  const dirs: string[] = [];
  const open = (dataDir: string, syncWrites: 'normal' | 'full' = 'normal'): SqliteDatabase => {
    const database = openSqlite({ dataDir, syncWrites });
    opened.push(database);
    return database;
  };
  const newDir = (): string => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const database of opened.splice(0)) database.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SD1 creates the data dir and parley.db', () => {
    const dataDir = path.join(newDir(), 'nested', 'data');
    const database = open(dataDir);
    expect(database.file).toBe(path.join(dataDir, 'parley.db'));
    expect(fs.existsSync(database.file)).toBe(true);
  });

  it('SD2 runs in WAL mode with secure_delete and foreign keys on', () => {
    const { db } = open(newDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('SD3 SYNC_WRITES=full makes every commit synchronous', () => {
    const { db } = open(newDir(), 'full');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('SD4 applies migrations once, however often the file is opened', async () => {
    const dataDir = newDir();
    const first = openSqlite({ dataDir, syncWrites: 'normal' });
    const store = new SqliteDocStore(first);
    await createRoomRow(new SqliteRoomStore(first), 'room-aaaaaa');
    await store.appendUpdates([{ docName: 'room-aaaaaa/shared', update: new Uint8Array([0, 0]) }]);
    await first.close();

    const second = open(dataDir);
    const versions = second.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(await new SqliteDocStore(second).loadDoc('room-aaaaaa/shared')).toHaveLength(1);
  });

  it('SD5 refuses a database written by a newer schema', () => {
    const dataDir = newDir();
    openSqlite({ dataDir, syncWrites: 'normal' }).close();
    const raw = new Database(path.join(dataDir, 'parley.db'));
    raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)').run();
    raw.close();
    expect(() => openSqlite({ dataDir, syncWrites: 'normal' })).toThrow(/999/);
  });

  it('SD6 close checkpoints the WAL away and can be called twice', () => {
    const dataDir = newDir();
    const database = openSqlite({ dataDir, syncWrites: 'normal' });
    database.db.prepare("INSERT INTO deleted_tokens (token_hash, deleted_at) VALUES (x'01', 0)").run();
    database.close();
    database.close();
    const wal = path.join(dataDir, 'parley.db-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  });

  it('SD7 a failed batch stores nothing and rejects', async () => {
    const database = open(newDir());
    const store = new SqliteDocStore(database);
    await createRoomRow(new SqliteRoomStore(database), 'room-aaaaaa');
    const bad = { docName: 'room-aaaaaa/shared', update: null as unknown as Uint8Array }; // violates NOT NULL
    await expect(
      store.appendUpdates([{ docName: 'room-aaaaaa/shared', update: new Uint8Array([0, 0]) }, bad]),
    ).rejects.toThrow();
    expect(await store.loadDoc('room-aaaaaa/shared')).toEqual([]);
  });

  it('SD8 a log written before per-doc seq (schema 5) loads the same after the upgrade, and edits after it land in order', async () => {
    const dataDir = newDir();
    const docName = 'room-aaaaaa/shared';
    const other = 'room-bbbbbb/shared';
    const editor = new Y.Doc();
    const text = editor.getText('t');
    const updates: Uint8Array[] = [];
    editor.on('update', (u: Uint8Array) => updates.push(u));
    for (const word of ['one ', 'two ', 'three ', 'four ']) text.insert(text.length, word);
    {
      // The old schema, with the two rooms' rows interleaved in the global sequence and a
      // snapshot of the first two updates, as a version-5 server left them.
      const raw = new Database(path.join(dataDir, 'parley.db'));
      runMigrations(raw, MIGRATIONS.filter((m) => m.version <= 5));
      for (const id of ['room-aaaaaa', 'room-bbbbbb']) {
        raw.prepare("INSERT INTO rooms (id, reveal_mode, template_id, template_version, created_at, touched_at) VALUES (?, 'full', 'default', 1, 0, 0)").run(id);
      }
      const insert = raw.prepare('INSERT INTO doc_updates (room_id, doc_name, data) VALUES (?, ?, ?)');
      const seqs = updates.map((u) => {
        insert.run('room-bbbbbb', other, u);
        return Number(insert.run('room-aaaaaa', docName, u).lastInsertRowid);
      });
      raw.prepare("INSERT INTO doc_snapshots (doc_name, room_id, data, upto_seq) VALUES (?, 'room-aaaaaa', ?, ?)").run(docName, Y.mergeUpdates(updates.slice(0, 2)), seqs[1]);
      raw.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?').run(docName, seqs[1]);
      raw.close();
    }
    const database = open(dataDir);
    const store = new SqliteDocStore(database);
    const textOf = (list: Uint8Array[]) => {
      const doc = new Y.Doc();
      for (const u of list) Y.applyUpdate(doc, u);
      return doc.getText('t').toString();
    };
    expect(textOf(await store.loadDoc(docName))).toBe('one two three four ');
    expect(await store.pendingUpdateCount(docName)).toBe(2);
    expect(textOf(await store.loadDoc(other))).toBe('one two three four ');

    text.insert(text.length, 'five');
    await store.appendUpdates([{ docName, update: updates.at(-1)! }]);
    expect(textOf(await store.loadDoc(docName))).toBe('one two three four five');
    await store.compactDoc(docName, Y.mergeUpdates);
    text.insert(0, 'zero ');
    await store.appendUpdates([{ docName, update: updates.at(-1)! }]);
    expect(await store.pendingUpdateCount(docName)).toBe(1);
    expect(textOf(await store.loadDoc(docName))).toBe('zero one two three four five');
    // The old AUTOINCREMENT counter is gone with the old table.
    expect(database.db.prepare("SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'doc_updates'").get()).toEqual({ n: 0 });
  });
});
