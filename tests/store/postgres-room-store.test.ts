import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgres, type PostgresDatabase } from '@parley/server/store/postgres/database';
import { PostgresDocStore } from '@parley/server/store/postgres/doc-store';
import { PostgresRoomStore } from '@parley/server/store/postgres/room-store';
import type { ParticipantRecord, RoomRecord } from '@parley/server/store/room-store';
import { describeRoomStoreContract } from './room-store.contract';
import { DATABASE_URL, dropSchema, freshSchema } from '../helpers/pg-schema';


describeRoomStoreContract('Postgres', async () => {
  const schema = freshSchema();
  const database = await openPostgres({ url: DATABASE_URL, schema });
  return {
    store: new PostgresRoomStore(database),
    docStore: new PostgresDocStore(database),
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

function roomWith(id: string, secret: string) {
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
  const person = (seat: 'a' | 'b', suffix = ''): ParticipantRecord => ({
    id: `${id}-${seat}${suffix}`,
    roomId: id,
    seat,
    displayName: `${secret}-${seat}`,
    tokenHash: sha256(`${id}${seat}${suffix}`),
    createdAt: 1,
    publicKey: null,
    binding: null,
  });
  return {
    room,
    creator: person('a'),
    joiner: person('b'),
    rival: person('b', '-rival'),
    inviteHash: sha256(`${id}invite`),
  };
}

/** Two pools over one schema: two server nodes sharing one database. */
describe('Postgres room store across two nodes', () => {
  let schema: string;
  let nodes: PostgresDatabase[];
  let one: PostgresRoomStore;
  let two: PostgresRoomStore;

  beforeEach(async () => {
    schema = freshSchema();
    nodes = [await openPostgres({ url: DATABASE_URL, schema }), await openPostgres({ url: DATABASE_URL, schema })];
    [one, two] = nodes.map((database) => new PostgresRoomStore(database)) as [PostgresRoomStore, PostgresRoomStore];
  });
  afterEach(async () => {
    await Promise.all(nodes.map((database) => database.close()));
    await dropSchema(schema);
  });

  it('PR1 of two claims of one invite on two nodes exactly one wins (20 rounds)', async () => {
    for (let i = 0; i < 20; i++) {
      const f = roomWith(`room-claim-${i}`, 'Name');
      await one.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: [] });
      const results = await Promise.all([
        one.claimInvite(f.room.id, f.inviteHash, f.joiner),
        two.claimInvite(f.room.id, f.inviteHash, f.rival),
      ]);
      expect([...results].sort()).toEqual(['ok', 'used']);
      const winner = results[0] === 'ok' ? f.joiner : f.rival;
      const seated = await two.listParticipants(f.room.id);
      expect(seated.map((p) => p.id)).toEqual([f.creator.id, winner.id]);
    }
  });

  it('PR2 a claim racing a deletion on another node never leaves a live, untombstoned joiner', async () => {
    for (let i = 0; i < 20; i++) {
      const f = roomWith(`room-race-${i}`, 'Name');
      await one.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: [] });
      const [claimed, deleted] = await Promise.all([
        one.claimInvite(f.room.id, f.inviteHash, f.joiner),
        two.deleteRoom(f.room.id, 2),
      ]);
      expect(deleted).toBe(true);
      expect(await one.findParticipantByTokenHash(f.joiner.tokenHash)).toBeNull();
      // a joiner seated before the deletion learns the room is gone (4410), not unknown
      expect(await two.isDeletedToken(f.joiner.tokenHash)).toBe(claimed === 'ok');
      expect(['ok', 'not_found']).toContain(claimed);
    }
  });
});

describe('Postgres room deletion leaves nothing readable (privacy)', () => {
  const CANARY = 'CANARY-7f3a9c-secret-answer';
  let schema: string;
  let database: PostgresDatabase;
  let rooms: PostgresRoomStore;
  let docs: PostgresDocStore;

  beforeEach(async () => {
    schema = freshSchema();
    database = await openPostgres({ url: DATABASE_URL, schema });
    rooms = new PostgresRoomStore(database);
    docs = new PostgresDocStore(database);
  });
  afterEach(async () => {
    await database.close();
    await dropSchema(schema);
  });

  /** `table.column` of every text and bytea column of the schema that holds `needle`. */
  async function columnsContaining(needle: string): Promise<string[]> {
    const { rows: columns } = await database.pool.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 AND data_type IN ('text', 'bytea')`,
      [schema],
    );
    expect(columns.length).toBeGreaterThan(10); // the search covers the schema, not nothing
    const found: string[] = [];
    for (const { table_name, column_name, data_type } of columns) {
      const value = data_type === 'bytea' ? Buffer.from(needle) : needle;
      const { rowCount } = await database.pool.query(
        `SELECT 1 FROM "${table_name}" WHERE position($1::${data_type} IN "${column_name}") > 0`,
        [value],
      );
      if (rowCount) found.push(`${table_name}.${column_name}`);
    }
    return found.sort();
  }

  async function fill(id: string, secret: string) {
    const f = roomWith(id, secret);
    await rooms.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: [] });
    await rooms.claimInvite(id, f.inviteHash, f.joiner);
    // many small edits, one large one (TOASTed), and a compacted doc
    for (const docName of [`${id}/private/${id}-a`, `${id}/shared`]) {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 50; i++) doc.getText('t').insert(0, `${secret} note ${i}. `);
      doc.getText('big').insert(0, `${secret} `.repeat(2_000));
      await docs.appendUpdates(updates.map((update) => ({ docName, update })));
    }
    await docs.compactDoc(`${id}/shared`, Y.mergeUpdates);
  }

  it('PR3 erases doc content and display names from every table', async () => {
    const keptSecret = 'KEPT-other-room-content';
    await fill('room_deleted1', CANARY);
    await fill('roomXdeleted1', keptSecret);

    // Control: before deletion the search finds the canary where it was written.
    expect(await columnsContaining(CANARY)).toEqual([
      'doc_snapshots.data',
      'doc_updates.data',
      'participants.display_name',
    ]);

    // What RoomService.erase runs: the rows, then the docs.
    expect(await rooms.deleteRoom('room_deleted1', 2)).toBe(true);
    await docs.deleteRoomDocs('room_deleted1');
    expect(await columnsContaining(CANARY)).toEqual([]);
    expect(await columnsContaining(keptSecret)).toEqual([
      'doc_snapshots.data',
      'doc_updates.data',
      'participants.display_name',
    ]);
    const kept = new Y.Doc();
    for (const update of await docs.loadDoc('roomXdeleted1/shared')) Y.applyUpdate(kept, update);
    expect(kept.getText('t').toString()).toContain(keptSecret);
  });
});
