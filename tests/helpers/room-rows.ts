import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { expect } from 'vitest';
import type { RoomStore } from '@parley/server/store/room-store';

/**
 * A bare room row (one participant, no sections): a DocStore stores docs only for a room that
 * has its row and is not being erased, so store tests create the rooms their docs belong to.
 */
export async function createRoomRow(rooms: RoomStore, roomId: string, at = 1): Promise<void> {
  await rooms.createRoom({
    room: { id: roomId, title: null, revealMode: 'full', templateId: 'default', templateVersion: 1, createdAt: at, touchedAt: at, workshopId: null, sealed: false },
    creator: { id: `${roomId}-a`, roomId, seat: 'a', displayName: 'A', tokenHash: randomBytes(32), createdAt: at, publicKey: null, binding: null },
    inviteHash: randomBytes(32),
    sections: [],
  });
}

const roomIdOf = (docName: string): string => docName.split('/')[0] ?? docName;

/** A doc row as versions before the erasing mark could leave one behind: its room has no row. */
export function insertOrphanSqlite(db: Database.Database, docName: string, update: Uint8Array): void {
  db.prepare('INSERT INTO doc_updates (room_id, doc_name, seq, data) VALUES (?, ?, 1, ?)').run(roomIdOf(docName), docName, update);
}

/** The same in Postgres (the pool's search_path is the test's schema). */
export async function insertOrphanPostgres(pool: pg.Pool, docName: string, update: Uint8Array): Promise<void> {
  await pool.query('INSERT INTO doc_updates (room_id, doc_name, data) VALUES ($1, $2, $3)', [roomIdOf(docName), docName, update]);
}

/** A read of a server's SQLite file (in `dataDir`) on a connection of its own, closed at once. */
export function querySqlite<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, 'parley.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every file SQLite keeps for a server's database, as raw bytes (for canary searches). */
export const sqliteFileBytes = (dataDir: string): Buffer =>
  Buffer.concat(['parley.db', 'parley.db-wal'].map((f) => path.join(dataDir, f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));

/**
 * A sealed room's privacy check: no canary, in UTF-8 or UTF-16, in the server's SQLite files or
 * its logs, nor in plain text in anything a client recorded.
 */
export function expectNoCanaries(dataDir: string, logs: string, recorders: readonly { contains(text: string): boolean }[], canaries: readonly string[]): void {
  const bytes = sqliteFileBytes(dataDir);
  for (const canary of canaries) {
    expect(bytes.indexOf(Buffer.from(canary)), canary).toBe(-1);
    expect(bytes.indexOf(Buffer.from(canary, 'utf16le')), canary).toBe(-1);
    expect(logs).not.toContain(canary);
    for (const recorder of recorders) expect(recorder.contains(canary), canary).toBe(false);
  }
}
