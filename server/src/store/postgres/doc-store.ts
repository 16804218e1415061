import { roomIdOf } from '@parley/shared/protocol/ids';
import type { AppendResult, DocStore, DocUpdate } from '../doc-store';
import type { PostgresDatabase } from './database';

// 3 parameters a row; Postgres allows 65535 parameters a statement. A tick's batch is far
// smaller, so in practice this is one INSERT.
const ROWS_PER_INSERT = 1_000;

/**
 * One multi-row INSERT of the log (its text and parameters), of the rows whose room has its row
 * and no erasing mark; it answers the doc names it left out. KEY SHARE on those room rows, in
 * id order, until COMMIT: `markErasing` and a room's deletion (FOR UPDATE) wait for this write,
 * and a write that waits for them re-reads the row and finds the mark or no row. So no update
 * commits after its room's erase began, on any node.
 */
function insertStatement(rows: readonly DocUpdate[]): [string, unknown[]] {
  const values: unknown[] = [];
  const tuples = rows.map(({ docName, update }, i) => {
    values.push(roomIdOf(docName), docName, update);
    return `(${i}, $${3 * i + 1}::text, $${3 * i + 2}::text, $${3 * i + 3}::bytea)`;
  });
  return [
    `WITH batch (ord, room_id, doc_name, data) AS (VALUES ${tuples.join(', ')}),
     live AS (SELECT id FROM rooms WHERE id IN (SELECT room_id FROM batch) AND erasing_at IS NULL ORDER BY id FOR KEY SHARE),
     stored AS (
       INSERT INTO doc_updates (room_id, doc_name, data)
       SELECT room_id, doc_name, data FROM batch WHERE room_id IN (SELECT id FROM live) ORDER BY ord
     )
     SELECT DISTINCT doc_name FROM batch WHERE room_id NOT IN (SELECT id FROM live)`,
    values,
  ];
}

/** Thrown inside the compaction transaction to roll it back; never escapes compactDoc. */
class StaleCompaction extends Error {}

interface LogRow {
  /** null for the snapshot */
  seq: string | null;
  version: string | null;
  data: Buffer;
}

interface DocLog {
  snapshot: { data: Buffer; version: number } | null;
  updates: { seq: string; data: Buffer }[];
}

/**
 * Yjs update log in Postgres, safe with several nodes writing the same database. The doc is
 * its snapshot (if any) plus every update still in the log: compaction deletes the updates
 * it merged in the same transaction that writes the snapshot.
 */
export class PostgresDocStore implements DocStore {
  constructor(private readonly database: PostgresDatabase) {}

  async appendUpdates(batch: readonly DocUpdate[]): Promise<AppendResult> {
    if (batch.length === 0) return { refused: [] };
    // Resolves after COMMIT, so an update is durable before the caller relays it. One
    // statement is atomic on its own: a batch that fits one INSERT costs one round trip.
    if (batch.length <= ROWS_PER_INSERT) {
      const { rows } = await this.database.pool.query<{ doc_name: string }>(...insertStatement(batch));
      return { refused: rows.map((row) => row.doc_name) };
    }
    const refused = await this.database.transaction(async (client) => {
      const names = new Set<string>();
      for (let start = 0; start < batch.length; start += ROWS_PER_INSERT) {
        const { rows } = await client.query<{ doc_name: string }>(...insertStatement(batch.slice(start, start + ROWS_PER_INSERT)));
        for (const row of rows) names.add(row.doc_name);
      }
      return names;
    });
    return { refused: [...refused] };
  }

  async loadDoc(docName: string): Promise<Uint8Array[]> {
    const { snapshot, updates } = await this.readLog(docName);
    const list = updates.map((row) => row.data);
    return snapshot ? [snapshot.data, ...list] : list;
  }

  async pendingUpdateCount(docName: string): Promise<number> {
    const { rows } = await this.database.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM doc_updates WHERE doc_name = $1',
      [docName],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async compactDoc(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void> {
    const { snapshot, updates } = await this.readLog(docName);
    if (updates.length === 0) return; // nothing after the snapshot: compaction would change nothing
    const list = updates.map((row) => row.data);
    // Merging runs outside any transaction: no lock is held while user code runs.
    const merged = merge(snapshot ? [snapshot.data, ...list] : list);
    const seqs = updates.map((row) => row.seq);

    await this.database.transaction(async (client) => {
      // Exactly the merged seqs: updates appended meanwhile (even with a lower seq, committed
      // late by another node) stay in the log.
      const removed = await client.query('DELETE FROM doc_updates WHERE doc_name = $1 AND seq = ANY($2::bigint[])', [
        docName,
        seqs,
      ]);
      // Some were already gone: another compaction folded them in, or the room was deleted.
      // Writing our snapshot would duplicate them or bring deleted content back.
      if (removed.rowCount !== seqs.length) throw new StaleCompaction();
      // Only for a live room, locked as appendUpdates locks it.
      const written = await client.query(
        `INSERT INTO doc_snapshots (doc_name, room_id, data, version)
         SELECT $1::text, $2::text, $3::bytea, 1
         WHERE EXISTS (SELECT 1 FROM rooms WHERE id = $2 AND erasing_at IS NULL FOR KEY SHARE)
         ON CONFLICT (doc_name) DO UPDATE SET data = excluded.data, version = doc_snapshots.version + 1
         WHERE doc_snapshots.version = $4`,
        [docName, roomIdOf(docName), merged, snapshot?.version ?? null],
      );
      // The snapshot changed since our read (or appeared), or the room is being erased: ours
      // was merged from a stale one, or must not be kept.
      if (written.rowCount !== 1) throw new StaleCompaction();
    }).catch((err: unknown) => {
      // Losing the race is not a failure: the doc is intact and the winner did the work.
      if (!(err instanceof StaleCompaction)) throw err;
    });
  }

  async deleteRoomDocs(roomId: string): Promise<void> {
    // Exact match on room_id, never LIKE on doc_name: room "ab" must not reach room "abc".
    await this.database.transaction(async (client) => {
      await client.query('DELETE FROM doc_updates WHERE room_id = $1', [roomId]);
      await client.query('DELETE FROM doc_snapshots WHERE room_id = $1', [roomId]);
    });
  }

  async deleteOrphanDocs(): Promise<number> {
    return this.database.transaction(async (client) => {
      const updates = await client.query('DELETE FROM doc_updates d WHERE NOT EXISTS (SELECT 1 FROM rooms r WHERE r.id = d.room_id)');
      const snapshots = await client.query('DELETE FROM doc_snapshots d WHERE NOT EXISTS (SELECT 1 FROM rooms r WHERE r.id = d.room_id)');
      return (updates.rowCount ?? 0) + (snapshots.rowCount ?? 0);
    });
  }

  async ping(): Promise<void> {
    await this.database.ping();
  }

  /** One statement, so the snapshot and the log are read from one consistent view. */
  private async readLog(docName: string): Promise<DocLog> {
    const { rows } = await this.database.pool.query<LogRow>(
      `SELECT NULL::bigint AS seq, version, data FROM doc_snapshots WHERE doc_name = $1
       UNION ALL
       SELECT seq, NULL::bigint, data FROM doc_updates WHERE doc_name = $1
       ORDER BY seq NULLS FIRST`,
      [docName],
    );
    const log: DocLog = { snapshot: null, updates: [] };
    for (const row of rows) {
      if (row.seq === null) log.snapshot = { data: row.data, version: Number(row.version) };
      else log.updates.push({ seq: row.seq, data: row.data });
    }
    return log;
  }
}
