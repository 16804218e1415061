import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type pg from 'pg';
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
