import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DataCipher, sealContext } from '@parley/server/store/encrypted/cipher';
import { EncryptedDocStore } from '@parley/server/store/encrypted/doc-store';
import { EncryptedRoomStore } from '@parley/server/store/encrypted/room-store';
import { EncryptedWorkshopStore } from '@parley/server/store/encrypted/workshop-store';
import { openPostgres } from '@parley/server/store/postgres/database';
import { PostgresDocStore } from '@parley/server/store/postgres/doc-store';
import { PostgresEncryptionStore } from '@parley/server/store/postgres/encryption-store';
import { PostgresRoomStore } from '@parley/server/store/postgres/room-store';
import { PostgresWorkshopStore } from '@parley/server/store/postgres/workshop-store';
import { describeDocStoreContract } from './doc-store.contract';
import { describeEncryptionStoreContract } from './encryption-store.contract';
import { describeRoomStoreContract } from './room-store.contract';
import { describeWorkshopStoreContract } from './workshop-store.contract';
import { insertOrphanPostgres } from '../helpers/room-rows';
import { DATABASE_URL, dropSchema, freshSchema } from '../helpers/pg-schema';

const cipher = new DataCipher(randomBytes(32));

describeDocStoreContract('encrypted Postgres', async () => {
  const schema = freshSchema();
  let database = await openPostgres({ url: DATABASE_URL, schema });
  let store = new EncryptedDocStore(new PostgresDocStore(database), cipher);
  return {
    store,
    rooms: new EncryptedRoomStore(new PostgresRoomStore(database), cipher),
    insertOrphan: (docName, update) => insertOrphanPostgres(database.pool, docName, cipher.seal(update, sealContext.doc(docName))),
    reopen: async () => {
      await database.close();
      database = await openPostgres({ url: DATABASE_URL, schema });
      store = new EncryptedDocStore(new PostgresDocStore(database), cipher);
      return store;
    },
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});

describeRoomStoreContract('encrypted Postgres', async () => {
  const schema = freshSchema();
  const database = await openPostgres({ url: DATABASE_URL, schema });
  return {
    store: new EncryptedRoomStore(new PostgresRoomStore(database), cipher),
    docStore: new EncryptedDocStore(new PostgresDocStore(database), cipher),
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});

describeWorkshopStoreContract('encrypted Postgres', async () => {
  const schema = freshSchema();
  const database = await openPostgres({ url: DATABASE_URL, schema });
  return {
    workshops: new EncryptedWorkshopStore(new PostgresWorkshopStore(database), cipher),
    rooms: new EncryptedRoomStore(new PostgresRoomStore(database), cipher),
    docs: new EncryptedDocStore(new PostgresDocStore(database), cipher),
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});

describeEncryptionStoreContract('Postgres', async () => {
  const schema = freshSchema();
  const database = await openPostgres({ url: DATABASE_URL, schema });
  return {
    docs: new PostgresDocStore(database),
    rooms: new PostgresRoomStore(database),
    workshops: new PostgresWorkshopStore(database),
    encryption: new PostgresEncryptionStore(database),
    insertOrphan: (docName, update) => insertOrphanPostgres(database.pool, docName, update),
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});

describe('encrypted Postgres tables', () => {
  it('EP1 no canary of a doc, title, display name or workshop text is in any text or bytea column', async () => {
    const CANARY = `CANARY-${randomBytes(6).toString('hex')}`;
    const schema = freshSchema();
    const database = await openPostgres({ url: DATABASE_URL, schema });
    try {
      const docs = new EncryptedDocStore(new PostgresDocStore(database), cipher);
      const rooms = new EncryptedRoomStore(new PostgresRoomStore(database), cipher);
      const workshops = new EncryptedWorkshopStore(new PostgresWorkshopStore(database), cipher);
      await rooms.createRoom({
        room: { id: 'room-1', title: `${CANARY} title`, revealMode: 'full', templateId: 'default', templateVersion: 1, createdAt: 1, touchedAt: 1, workshopId: null, sealed: false },
        creator: { id: 'p-a', roomId: 'room-1', seat: 'a', displayName: `${CANARY} name`, tokenHash: randomBytes(32), createdAt: 1, publicKey: null, binding: null },
        inviteHash: randomBytes(32),
        sections: [],
      });
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 20; i++) doc.getText('t').insert(0, `${CANARY} note ${i} `);
      await docs.appendUpdates(updates.map((update) => ({ docName: 'room-1/shared', update })));
      await docs.compactDoc('room-1/shared', Y.mergeUpdates);
      await docs.appendUpdates(updates.slice(0, 3).map((update) => ({ docName: 'room-1/private/p-a', update })));
      await workshops.createWorkshop({
        id: 'ws-1',
        title: `${CANARY} workshop`,
        facilitatorName: `${CANARY} facilitator`,
        facilitatorHash: randomBytes(32),
        joinCode: 'ABC234',
        templateId: 'default',
        templateVersion: 1,
        lockSections: false,
        unlocked: [],
        timerEndsAt: null,
        message: null,
        createdAt: 1,
        endedAt: null,
      });
      await workshops.updateWorkshop('ws-1', { message: { message: `${CANARY} message`, at: 2 } });

      const { rows: columns } = await database.pool.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND data_type IN ('text', 'bytea')`,
        [schema],
      );
      expect(columns.length).toBeGreaterThan(10);
      const found: string[] = [];
      for (const { table_name, column_name, data_type } of columns) {
        const needle = data_type === 'bytea' ? Buffer.from(CANARY) : CANARY;
        const { rowCount } = await database.pool.query(
          `SELECT 1 FROM "${table_name}" WHERE position($1::${data_type} IN "${column_name}") > 0`,
          [needle],
        );
        if (rowCount) found.push(`${table_name}.${column_name}`);
      }
      expect(found).toEqual([]);
      expect((await rooms.listParticipants('room-1'))[0]?.displayName).toBe(`${CANARY} name`);
      expect(await workshops.getWorkshop('ws-1')).toMatchObject({ title: `${CANARY} workshop`, facilitatorName: `${CANARY} facilitator`, message: { message: `${CANARY} message` } });
    } finally {
      await database.close();
      await dropSchema(schema);
    }
  });
});
