import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DataCipher, sealContext } from '@parley/server/store/encrypted/cipher';
import { EncryptedDocStore } from '@parley/server/store/encrypted/doc-store';
import { EncryptedRoomStore } from '@parley/server/store/encrypted/room-store';
import { EncryptedWorkshopStore } from '@parley/server/store/encrypted/workshop-store';
import { openSqlite } from '@parley/server/store/sqlite/database';
import { SqliteDocStore } from '@parley/server/store/sqlite/doc-store';
import { SqliteEncryptionStore } from '@parley/server/store/sqlite/encryption-store';
import { SqliteRoomStore } from '@parley/server/store/sqlite/room-store';
import { SqliteWorkshopStore } from '@parley/server/store/sqlite/workshop-store';
import type { WorkshopRecord } from '@parley/server/store/workshop-store';
import { describeDocStoreContract } from './doc-store.contract';
import { describeEncryptionStoreContract } from './encryption-store.contract';
import { describeRoomStoreContract } from './room-store.contract';
import { describeWorkshopStoreContract } from './workshop-store.contract';
import { insertOrphanSqlite } from '../helpers/room-rows';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'parley-enc-'));
const cipher = new DataCipher(randomBytes(32));
const open = (dataDir: string) => openSqlite({ dataDir, syncWrites: 'normal' });
const canaryWorkshop = (canary: string): WorkshopRecord => ({
  id: 'ws-1',
  title: `${canary} workshop`,
  facilitatorName: `${canary} facilitator`,
  facilitatorHash: randomBytes(32),
  joinCode: 'ABC234',
  templateId: 'default',
  templateVersion: 1,
  lockSections: false,
  unlocked: [],
  timerEndsAt: null,
  message: { message: `${canary} first message`, at: 1 },
  createdAt: 1,
  endedAt: null,
});

describeDocStoreContract('encrypted SQLite', async () => {
  const dataDir = tempDir();
  let database = open(dataDir);
  let store = new EncryptedDocStore(new SqliteDocStore(database), cipher);
  return {
    store,
    rooms: new EncryptedRoomStore(new SqliteRoomStore(database), cipher),
    insertOrphan: async (docName, update) => insertOrphanSqlite(database.db, docName, cipher.seal(update, sealContext.doc(docName))),
    reopen: async () => {
      await database.close();
      database = open(dataDir);
      store = new EncryptedDocStore(new SqliteDocStore(database), cipher);
      return store;
    },
    cleanup: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describeRoomStoreContract('encrypted SQLite', async () => {
  const dataDir = tempDir();
  const database = open(dataDir);
  return {
    store: new EncryptedRoomStore(new SqliteRoomStore(database), cipher),
    docStore: new EncryptedDocStore(new SqliteDocStore(database), cipher),
    cleanup: async () => {
      database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describeWorkshopStoreContract('encrypted SQLite', async () => {
  const dataDir = tempDir();
  const database = open(dataDir);
  return {
    workshops: new EncryptedWorkshopStore(new SqliteWorkshopStore(database), cipher),
    rooms: new EncryptedRoomStore(new SqliteRoomStore(database), cipher),
    docs: new EncryptedDocStore(new SqliteDocStore(database), cipher),
    cleanup: async () => {
      database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describeEncryptionStoreContract('SQLite', async () => {
  const dataDir = tempDir();
  const database = open(dataDir);
  return {
    docs: new SqliteDocStore(database),
    rooms: new SqliteRoomStore(database),
    workshops: new SqliteWorkshopStore(database),
    encryption: new SqliteEncryptionStore(database),
    insertOrphan: async (docName, update) => insertOrphanSqlite(database.db, docName, update),
    cleanup: async () => {
      database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('encrypted SQLite on disk', () => {
  it('ES1 no canary of a doc, title, display name or workshop text is in parley.db, -wal or -shm', async () => {
    const CANARY = `CANARY-${randomBytes(6).toString('hex')}`;
    const dataDir = tempDir();
    const database = open(dataDir);
    try {
      const docs = new EncryptedDocStore(new SqliteDocStore(database), cipher);
      const rooms = new EncryptedRoomStore(new SqliteRoomStore(database), cipher);
      const workshops = new EncryptedWorkshopStore(new SqliteWorkshopStore(database), cipher);
      const creator = { id: 'p-a', roomId: 'room-1', seat: 'a' as const, displayName: `${CANARY} name`, tokenHash: randomBytes(32), createdAt: 1, publicKey: null, binding: null };
      await rooms.createRoom({
        room: { id: 'room-1', title: `${CANARY} title`, revealMode: 'full', templateId: 'default', templateVersion: 1, createdAt: 1, touchedAt: 1, workshopId: null, sealed: false },
        creator,
        inviteHash: randomBytes(32),
        sections: [],
      });
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 50; i++) doc.getText('t').insert(0, `${CANARY} note ${i} `);
      doc.getText('big').insert(0, `${CANARY} `.repeat(2_000));
      await docs.appendUpdates(updates.map((update) => ({ docName: 'room-1/shared', update })));
      await docs.compactDoc('room-1/shared', Y.mergeUpdates);
      await docs.appendUpdates(updates.slice(0, 5).map((update) => ({ docName: 'room-1/private/p-a', update })));
      await workshops.createWorkshop(canaryWorkshop(CANARY));
      await workshops.updateWorkshop('ws-1', { message: { message: `${CANARY} message`, at: 2 } });

      const files = ['parley.db', 'parley.db-wal', 'parley.db-shm'].map((name) => path.join(dataDir, name)).filter((file) => fs.existsSync(file));
      expect(files.length).toBeGreaterThanOrEqual(2); // db and WAL, before and after a checkpoint
      for (const step of ['before checkpoint', 'after checkpoint']) {
        if (step === 'after checkpoint') database.checkpoint();
        for (const file of files.filter((f) => fs.existsSync(f))) {
          expect(fs.readFileSync(file).indexOf(CANARY), `${path.basename(file)} ${step}`).toBe(-1);
        }
      }
      // control: the content is there, readable through the key
      expect((await rooms.getRoom('room-1'))?.title).toBe(`${CANARY} title`);
      expect(await workshops.getWorkshop('ws-1')).toMatchObject({ title: `${CANARY} workshop`, facilitatorName: `${CANARY} facilitator`, message: { message: `${CANARY} message` } });
      const loaded = new Y.Doc();
      for (const update of await docs.loadDoc('room-1/shared')) Y.applyUpdate(loaded, update);
      expect(loaded.getText('t').toString()).toContain(`${CANARY} note 49`);
    } finally {
      database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
