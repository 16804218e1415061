import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgres, type PostgresDatabase } from '@parley/server/store/postgres/database';
import { PostgresDocStore } from '@parley/server/store/postgres/doc-store';
import { MIGRATIONS } from '@parley/server/store/postgres/migrations';
import { describeDocStoreContract } from './doc-store.contract';
import { DATABASE_URL, dropSchema, freshSchema } from '../helpers/pg-schema';


describeDocStoreContract('Postgres', async () => {
  const schema = freshSchema();
  let store = new PostgresDocStore(await openPostgres({ url: DATABASE_URL, schema }));
  return {
    store,
    reopen: async () => {
      await store.close();
      store = new PostgresDocStore(await openPostgres({ url: DATABASE_URL, schema }));
      return store;
    },
    cleanup: async () => {
      await store.close();
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

  it('creates the schema and its tables there, not in public', async () => {
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
      'invites',
      'participants',
      'rooms',
      'schema_migrations',
      'sections',
      'workshop_pairs',
      'workshops',
    ]);
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it('three nodes starting at once apply each migration exactly once', async () => {
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

  it('refuses a database written by a newer schema', async () => {
    const schema = newSchema();
    const database = await node(schema);
    await database.pool.query('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)');
    await expect(openPostgres({ url: DATABASE_URL, schema })).rejects.toThrow(/999/);
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgres({ url: DATABASE_URL, schema: 'x"; DROP TABLE rooms; --' })).rejects.toThrow(/schema/);
  });

  it('close can be called twice', async () => {
    const database = await openPostgres({ url: DATABASE_URL, schema: newSchema() });
    await database.close();
    await expect(database.close()).resolves.toBeUndefined();
  });

  it('a failed batch stores nothing and rejects', async () => {
    const store = new PostgresDocStore(await node(newSchema()));
    const bad = { docName: 'room-aaaaaa/shared', update: null as unknown as Uint8Array }; // violates NOT NULL
    await expect(
      store.appendUpdates([{ docName: 'room-aaaaaa/shared', update: new Uint8Array([0, 0]) }, bad]),
    ).rejects.toThrow();
    expect(await store.loadDoc('room-aaaaaa/shared')).toEqual([]);
  });

  it('a batch larger than one INSERT statement is stored whole, in order', async () => {
    const store = new PostgresDocStore(await node(newSchema()));
    const words = Array.from({ length: 2_500 }, (_, i) => `${i} `);
    await store.appendUpdates(editsOf(words).map((update) => ({ docName: 'room-big/shared', update })));
    expect(await store.pendingUpdateCount('room-big/shared')).toBe(2_500);
    expect(textOf(await store.loadDoc('room-big/shared'))).toBe(words.join(''));
  });

  it('compaction keeps an update that another node committed late with a lower seq', async () => {
    const schema = newSchema();
    const database = await node(schema);
    const other = await node(schema);
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

  it('two nodes compacting one doc while edits arrive lose nothing', async () => {
    const schema = newSchema();
    const [a, b] = [new PostgresDocStore(await node(schema)), new PostgresDocStore(await node(schema))];
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

  it('a compaction racing a room deletion never brings the content back', async () => {
    const schema = newSchema();
    const [a, b] = [new PostgresDocStore(await node(schema)), new PostgresDocStore(await node(schema))];
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
});
