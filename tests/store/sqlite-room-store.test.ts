import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqlite, type SqliteDatabase } from '@parley/server/store/sqlite/database';
import { SqliteDocStore } from '@parley/server/store/sqlite/doc-store';
import { SqliteRoomStore } from '@parley/server/store/sqlite/room-store';
import type { ParticipantRecord, RoomRecord } from '@parley/server/store/room-store';
import { describeRoomStoreContract } from './room-store.contract';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'parley-'));

describeRoomStoreContract('SQLite', async () => {
  const dataDir = tempDir();
  const database = openSqlite({ dataDir, syncWrites: 'normal' });
  return {
    store: new SqliteRoomStore(database),
    docStore: new SqliteDocStore(database),
    cleanup: async () => {
      database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SQLite room deletion leaves no trace on disk (privacy)', () => {
  const CANARY = 'CANARY-7f3a9c-secret-answer';
  let dataDir: string;
  let database: SqliteDatabase;
  let rooms: SqliteRoomStore;
  let docs: SqliteDocStore;

  beforeEach(() => {
    dataDir = tempDir();
    database = openSqlite({ dataDir, syncWrites: 'normal' });
    rooms = new SqliteRoomStore(database);
    docs = new SqliteDocStore(database);
  });
  afterEach(() => {
    database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every file SQLite keeps for the database, as raw bytes. */
  const filesOnDisk = (): Map<string, Buffer> =>
    new Map(
      ['parley.db', 'parley.db-wal', 'parley.db-shm']
        .map((name) => path.join(dataDir, name))
        .filter((file) => fs.existsSync(file))
        .map((file) => [path.basename(file), fs.readFileSync(file)]),
    );
  const filesContaining = (needle: string): string[] =>
    [...filesOnDisk()].filter(([, bytes]) => bytes.indexOf(needle) !== -1).map(([name]) => name);

  async function roomWith(id: string, secret: string) {
    const room: RoomRecord = {
      id,
      title: null,
      revealMode: 'full',
      templateId: 'default',
      templateVersion: 1,
      createdAt: 1,
      touchedAt: 1,
      workshopId: null,
      sealed: false,
    };
    const person = (seat: 'a' | 'b'): ParticipantRecord => ({
      id: `${id}-${seat}`,
      roomId: id,
      seat,
      displayName: `${secret}-${seat}`,
      tokenHash: createHash('sha256').update(`${id}${seat}`).digest(),
      createdAt: 1,
      publicKey: null,
      binding: null,
    });
    const inviteHash = createHash('sha256').update(`${id}invite`).digest();
    await rooms.createRoom({ room, creator: person('a'), inviteHash, sections: [] });
    await rooms.claimInvite(id, inviteHash, person('b'));

    // Many small edits (page splits), one large one (overflow pages), and a compacted doc.
    for (const docName of [`${id}/private/${id}-a`, `${id}/shared`]) {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 200; i++) doc.getText('t').insert(0, `${secret} note ${i}. `);
      doc.getText('big').insert(0, `${secret} `.repeat(2_000));
      await docs.appendUpdates(updates.map((update) => ({ docName, update })));
    }
    await docs.compactDoc(`${id}/shared`, Y.mergeUpdates);
  }

  it('SR1 erases doc content and display names from parley.db, -wal and -shm', async () => {
    const keptSecret = 'KEPT-other-room-content';
    await roomWith('room_deleted1', CANARY);
    await roomWith('roomXdeleted1', keptSecret);

    // Control: before deletion the canary is on disk, so the search below can find it.
    database.checkpoint();
    expect(filesContaining(CANARY)).toContain('parley.db');

    // What RoomService.erase runs: rows, docs, then the database's one checkpoint; a later
    // explicit checkpoint must not bring anything back.
    expect(await rooms.deleteRoom('room_deleted1', 2)).toBe(true);
    await docs.deleteRoomDocs('room_deleted1');
    expect(await database.checkpointFully()).toBe(true);
    expect(filesContaining(CANARY)).toEqual([]);
    database.checkpoint();
    expect(filesContaining(CANARY)).toEqual([]);
    expect(filesContaining(keptSecret)).toContain('parley.db');
    const kept = new Y.Doc();
    for (const update of await docs.loadDoc('roomXdeleted1/shared')) Y.applyUpdate(kept, update);
    expect(kept.getText('t').toString()).toContain(keptSecret);
  });

  it('SR2 deleteRoomDocs alone also leaves no doc content behind', async () => {
    await roomWith('room_docs0001', CANARY);
    await docs.deleteRoomDocs('room_docs0001');
    database.checkpoint();
    // only the display names (participants rows) still hold the canary
    const names = (await rooms.listParticipants('room_docs0001')).map((p) => p.displayName);
    expect(names).toEqual([`${CANARY}-a`, `${CANARY}-b`]);
    expect(filesContaining(`${CANARY} note`)).toEqual([]);
    expect(filesContaining(`${CANARY} ${CANARY}`)).toEqual([]);
  });
});
