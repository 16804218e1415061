import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgres, type PostgresDatabase } from '@parley/server/store/postgres/database';
import { PostgresDocStore } from '@parley/server/store/postgres/doc-store';
import { MIGRATIONS } from '@parley/server/store/postgres/migrations';
import { PostgresRoomStore } from '@parley/server/store/postgres/room-store';
import { describeDocStoreContract } from './doc-store.contract';
import { until } from '../helpers/clients';
import { DATABASE_URL, dropSchema, freshSchema } from '../helpers/pg-schema';
import { createRoomRow, insertOrphanPostgres } from '../helpers/room-rows';


describeDocStoreContract('Postgres', async () => {
  const schema = freshSchema();
  let database = await openPostgres({ url: DATABASE_URL, schema });
  let store = new PostgresDocStore(database);
  return {
    store,
    rooms: new PostgresRoomStore(database),
    insertOrphan: (docName, update) => insertOrphanPostgres(database.pool, docName, update),
    reopen: async () => {
      await database.close();
      database = await openPostgres({ url: DATABASE_URL, schema });
      store = new PostgresDocStore(database);
      return store;
    },
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});

const textOf = (updates: Uint8Array[]): string => {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

/** One update per insert, as a provider's edits arrive. */
function editsOf(words: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const word of words) doc.getText('t').insert(doc.getText('t').length, word);
  return updates;
}

describe('Postgres database', () => {
  const opened: PostgresDatabase[] = [];
  const schemas: string[] = [];
  const newSchema = (): string => {
    const schema = freshSchema();
    schemas.push(schema);
    return schema;
  };
  /** One pool stands for one server node. */
  const node = async (schema: string): Promise<PostgresDatabase> => {
    const database = await openPostgres({ url: DATABASE_URL, schema, poolSize: 4 });
    opened.push(database);
    return database;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  it('PD1 creates the schema and its tables there, not in public', async () => {
    const schema = newSchema();
    const database = await node(schema);
    const { rows } = await database.pool.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      'data_key_check',
      'deleted_tokens',
      'doc_snapshots',
      'doc_updates',
      'escrow',
      'invites',
      'pair_proposals',
      'participants',
      'rooms',
      'schema_migrations',
      'sections',
      'workshop_pairs',
      'workshop_templates',
      'workshops',
    ]);
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it('PD2 three nodes starting at once apply each migration exactly once', async () => {
    const schema = newSchema();
    const nodes = await Promise.all([node(schema), node(schema), node(schema)]);
    const { rows } = await nodes[0]!.pool.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    // and a later start finds nothing to do
    await node(schema);
    const again = await nodes[2]!.pool.query('SELECT version FROM schema_migrations');
    expect(again.rowCount).toBe(MIGRATIONS.length);
  });

  it('PD3 refuses a database written by a newer schema', async () => {
    const schema = newSchema();
    const database = await node(schema);
    await database.pool.query('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)');
    await expect(openPostgres({ url: DATABASE_URL, schema })).rejects.toThrow(/999/);
  });

  it('PD4 rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgres({ url: DATABASE_URL, schema: 'x"; DROP TABLE rooms; --' })).rejects.toThrow(/schema/);
  });

  it('PD5 close can be called twice', async () => {
    const database = await openPostgres({ url: DATABASE_URL, schema: newSchema() });
    await database.close();
    await expect(database.close()).resolves.toBeUndefined();
  });

  /** A node's doc store, with the rows of the rooms it will write. */
  const docStoreOf = async (database: PostgresDatabase, rooms: string[]): Promise<PostgresDocStore> => {
    for (const roomId of rooms) await createRoomRow(new PostgresRoomStore(database), roomId);
    return new PostgresDocStore(database);
  };

  it('PD6 a failed batch stores nothing and rejects', async () => {
    const store = await docStoreOf(await node(newSchema()), ['room-aaaaaa']);
    const bad = { docName: 'room-aaaaaa/shared', update: null as unknown as Uint8Array }; // violates NOT NULL
    await expect(
      store.appendUpdates([{ docName: 'room-aaaaaa/shared', update: new Uint8Array([0, 0]) }, bad]),
    ).rejects.toThrow();
    expect(await store.loadDoc('room-aaaaaa/shared')).toEqual([]);
  });

  it('PD7 a batch larger than one INSERT statement is stored whole, in order', async () => {
    const store = await docStoreOf(await node(newSchema()), ['room-big']);
    const words = Array.from({ length: 2_500 }, (_, i) => `${i} `);
    await store.appendUpdates(editsOf(words).map((update) => ({ docName: 'room-big/shared', update })));
    expect(await store.pendingUpdateCount('room-big/shared')).toBe(2_500);
    expect(textOf(await store.loadDoc('room-big/shared'))).toBe(words.join(''));
  });

  it('PD8 compaction keeps an update that another node committed late with a lower seq', async () => {
    const schema = newSchema();
    const database = await node(schema);
    const other = await node(schema);
    await createRoomRow(new PostgresRoomStore(database), 'room-late');
    // Holds node 1's transactions until node 2 has committed: the commit lands between
    // the compaction's read and its write, deterministically.
    let nodeTwoCommitted: Promise<unknown> = Promise.resolve();
    const store = new PostgresDocStore({
      ...database,
      transaction: async (fn) => {
        await nodeTwoCommitted;
        return database.transaction(fn);
      },
    });
    const docName = 'room-late/shared';
    const [first, second] = editsOf(['slow ', 'fast']);

    // Node 2 takes a seq first but commits while node 1 is merging the later one.
    const slow = await other.pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query('INSERT INTO doc_updates (room_id, doc_name, data) VALUES ($1, $2, $3)', [
        'room-late',
        docName,
        first,
      ]);
      await store.appendUpdates([{ docName, update: second! }]);
      await store.compactDoc(docName, (updates) => {
        nodeTwoCommitted = slow.query('COMMIT');
        return Y.mergeUpdates(updates);
      });
    } finally {
      slow.release();
    }

    expect(textOf(await store.loadDoc(docName))).toBe('slow fast');
    expect(await store.pendingUpdateCount(docName)).toBe(1);
  });

  it('PD9 two nodes compacting one doc while edits arrive lose nothing', async () => {
    const schema = newSchema();
    const [a, b] = [await docStoreOf(await node(schema), ['room-race']), new PostgresDocStore(await node(schema))];
    const docName = 'room-race/shared';
    const words = Array.from({ length: 60 }, (_, i) => `w${i} `);
    const updates = editsOf(words);

    for (let i = 0; i < updates.length; i++) {
      const writer = i % 2 === 0 ? a : b;
      await Promise.all([
        writer.appendUpdates([{ docName, update: updates[i]! }]),
        a.compactDoc(docName, Y.mergeUpdates),
        b.compactDoc(docName, Y.mergeUpdates),
      ]);
    }

    expect(textOf(await a.loadDoc(docName))).toBe(words.join(''));
    await a.compactDoc(docName, Y.mergeUpdates);
    expect(await b.loadDoc(docName)).toHaveLength(1);
    expect(textOf(await b.loadDoc(docName))).toBe(words.join(''));
  });

  it('PD10 a compaction racing a room deletion never brings the content back', async () => {
    const schema = newSchema();
    const rooms = Array.from({ length: 10 }, (_, i) => `room-del${i}`);
    const [a, b] = [await docStoreOf(await node(schema), rooms), new PostgresDocStore(await node(schema))];
    for (let i = 0; i < 10; i++) {
      const roomId = `room-del${i}`;
      await a.appendUpdates(editsOf(['secret ', 'words']).map((update) => ({ docName: `${roomId}/shared`, update })));
      let deletion: Promise<void> = Promise.resolve();
      await a.compactDoc(`${roomId}/shared`, (input) => {
        deletion = b.deleteRoomDocs(roomId); // lands before or after the compaction commits
        return Y.mergeUpdates(input);
      });
      await deletion;
      expect(await b.loadDoc(`${roomId}/shared`)).toEqual([]);
    }
  });

  /** Resolves once a statement starting with `prefix` waits for a row lock (the barrier of the two tests below). */
  const waitingOnLock = (database: PostgresDatabase, prefix: string) =>
    until(async () => {
      const { rows } = await database.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
        [`${prefix}%`],
      );
      return Number(rows[0]?.n) > 0;
    }, 5000, `a statement waiting on a lock: ${prefix}`);

  it('PD11 a write waiting for an erasing mark taken on another node is refused once the mark commits', async () => {
    const schema = newSchema();
    const [database, other] = [await node(schema), await node(schema)];
    const store = await docStoreOf(database, ['room-mark']);
    // Node 2 is in the middle of markErasing: the room row locked FOR UPDATE, the mark set, not committed.
    const marking = await other.pool.connect();
    try {
      await marking.query('BEGIN');
      await marking.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', ['room-mark']);
      await marking.query('UPDATE rooms SET erasing_at = 2 WHERE id = $1', ['room-mark']);
      const write = store.appendUpdates([{ docName: 'room-mark/shared', update: new Uint8Array([0, 0]) }]);
      await waitingOnLock(database, 'WITH batch');
      await marking.query('COMMIT');
      expect(await write).toEqual({ refused: ['room-mark/shared'] });
    } finally {
      marking.release();
    }
    expect(await store.loadDoc('room-mark/shared')).toEqual([]);
  });

  it('PD12 markErasing waits for a write in flight on another node; later writes are refused', async () => {
    const schema = newSchema();
    const [database, other] = [await node(schema), await node(schema)];
    const store = await docStoreOf(database, ['room-wait']);
    const rooms = new PostgresRoomStore(database);
    // Node 2 is in the middle of appendUpdates: KEY SHARE on the room row, its row inserted, not committed.
    const writing = await other.pool.connect();
    let marked: Promise<boolean>;
    try {
      await writing.query('BEGIN');
      await writing.query('SELECT 1 FROM rooms WHERE id = $1 FOR KEY SHARE', ['room-wait']);
      await writing.query('INSERT INTO doc_updates (room_id, doc_name, data) VALUES ($1, $2, $3)', ['room-wait', 'room-wait/shared', new Uint8Array([0, 0])]);
      marked = rooms.markErasing('room-wait', 2);
      await waitingOnLock(database, 'SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE');
      await writing.query('COMMIT');
    } finally {
      writing.release();
    }
    expect(await marked).toBe(true);
    expect(await store.loadDoc('room-wait/shared')).toHaveLength(1); // committed before the mark: the erase deletes it
    expect(await store.appendUpdates([{ docName: 'room-wait/shared', update: new Uint8Array([0, 0]) }])).toEqual({ refused: ['room-wait/shared'] });
    await rooms.deleteRoom('room-wait', 3);
    await store.deleteRoomDocs('room-wait');
    expect(await store.loadDoc('room-wait/shared')).toEqual([]);
  });
});
