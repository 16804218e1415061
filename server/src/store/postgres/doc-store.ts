import { roomIdOf } from '@parley/shared/protocol/ids';
import type pg from 'pg';
import type { AppendResult, DocLog, DocStore, DocUpdate, ReplaceOutcome } from '../doc-store';
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

/**
 * The same INSERT for a batch with sealed entries (`logged`): each of those gets the next
 * position of its doc, from its last entry or snapshot, in batch order. The caller holds the
 * docs' advisory locks, so no other writer counts from the same base. Answers the refused doc
 * names, and the position of every logged row by its index in `rows`.
 */
function loggedInsertStatement(rows: readonly DocUpdate[]): [string, unknown[]] {
  const values: unknown[] = [];
  const tuples = rows.map(({ docName, update, logged }, i) => {
    values.push(roomIdOf(docName), docName, update, logged !== undefined);
    return `(${i}, $${4 * i + 1}::text, $${4 * i + 2}::text, $${4 * i + 3}::bytea, $${4 * i + 4}::boolean)`;
  });
  return [
    `WITH batch (ord, room_id, doc_name, data, logged) AS (VALUES ${tuples.join(', ')}),
     live AS (SELECT id FROM rooms WHERE id IN (SELECT room_id FROM batch) AND erasing_at IS NULL ORDER BY id FOR KEY SHARE),
     kept AS (
       SELECT *, row_number() OVER (PARTITION BY doc_name ORDER BY ord) AS n
       FROM batch WHERE logged AND room_id IN (SELECT id FROM live)
     ),
     base AS (
       SELECT d.doc_name, coalesce((SELECT max(pos) FROM doc_updates u WHERE u.doc_name = d.doc_name),
                                   (SELECT upto_pos FROM doc_snapshots s WHERE s.doc_name = d.doc_name), 0) AS b
       FROM (SELECT DISTINCT doc_name FROM kept) d
     ),
     positioned AS (
       SELECT b.ord, b.room_id, b.doc_name, b.data, base.b + kept.n AS pos
       FROM batch b LEFT JOIN kept USING (ord) LEFT JOIN base ON base.doc_name = kept.doc_name
       WHERE b.room_id IN (SELECT id FROM live)
     ),
     stored AS (INSERT INTO doc_updates (room_id, doc_name, data, pos) SELECT room_id, doc_name, data, pos FROM positioned ORDER BY ord)
     SELECT DISTINCT doc_name, NULL::int AS ord, NULL::bigint AS pos FROM batch WHERE room_id NOT IN (SELECT id FROM live)
     UNION ALL
     SELECT NULL, ord, pos FROM positioned WHERE pos IS NOT NULL`,
    values,
  ];
}

/** Serialises the sealed writers of these docs on every node, until COMMIT. */
async function lockLogs(client: pg.PoolClient, docNames: string[]): Promise<void> {
  // In key order, so two transactions never wait for each other's second lock.
  await client.query(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended('parley:log:' || n, 0) AS k FROM unnest($1::text[]) AS n ORDER BY k) AS keys`,
    [docNames],
  );
}

/** Thrown inside the compaction transaction to roll it back; never escapes compactDoc. */
class StaleCompaction extends Error {}

interface LogRow {
  /** null for the snapshot */
  seq: string | null;
  version: string | null;
  data: Buffer;
}

interface CompactionLog {
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
    if (batch.some((item) => item.logged)) return this.appendLogged(batch);
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

  /** A batch with sealed entries: one transaction under their docs' locks. */
  private async appendLogged(batch: readonly DocUpdate[]): Promise<AppendResult> {
    const refused = await this.database.transaction(async (client) => {
      await lockLogs(client, [...new Set(batch.filter((item) => item.logged).map((item) => item.docName))]);
      const names = new Set<string>();
      for (let start = 0; start < batch.length; start += ROWS_PER_INSERT) {
        const chunk = batch.slice(start, start + ROWS_PER_INSERT);
        const { rows } = await client.query<{ doc_name: string | null; ord: number | null; pos: string | null }>(...loggedInsertStatement(chunk));
        for (const row of rows) {
          if (row.doc_name !== null) names.add(row.doc_name);
          else if (row.ord !== null && row.pos !== null) {
            const logged = chunk[row.ord]?.logged;
            if (logged) logged.position = Number(row.pos);
          }
        }
      }
      return names;
    });
    return { refused: [...refused] };
  }

  async loadLog(docName: string, after: number): Promise<DocLog> {
    const { rows } = await this.database.pool.query<{ kind: 's' | 'e' | 'm'; pos: string | null; data: Buffer | null }>(
      `SELECT 's' AS kind, upto_pos AS pos, data FROM doc_snapshots WHERE doc_name = $1
       UNION ALL
       SELECT 'm', max(pos), NULL FROM doc_updates WHERE doc_name = $1
       UNION ALL
       SELECT 'e', pos, data FROM doc_updates WHERE doc_name = $1 AND pos > $2
       ORDER BY kind DESC, pos`,
      [docName, after],
    );
    let snapshot: { position: number; data: Uint8Array } | null = null;
    let max: number | null = null;
    const entries: { position: number; data: Uint8Array }[] = [];
    for (const row of rows) {
      const position = row.pos === null ? null : Number(row.pos);
      if (row.kind === 's' && row.data) snapshot = { position: position ?? 0, data: row.data };
      else if (row.kind === 'm') max = position;
      else if (row.kind === 'e' && row.data && position !== null && position > (snapshot?.position ?? 0)) entries.push({ position, data: row.data });
    }
    const upto = snapshot?.position ?? 0;
    return { snapshot: snapshot && upto > after ? snapshot : null, entries, last: max ?? upto };
  }

  async replaceUpTo(docName: string, position: number, snapshot: Uint8Array): Promise<ReplaceOutcome> {
    const roomId = roomIdOf(docName);
    return this.database.transaction(async (client) => {
      await lockLogs(client, [docName]);
      // Locked as appendUpdates locks it: an erase waits for this, or this sees its mark.
      const live = await client.query('SELECT 1 FROM rooms WHERE id = $1 AND erasing_at IS NULL FOR KEY SHARE', [roomId]);
      if (live.rowCount !== 1) return 'refused';
      const { rows } = await client.query<{ upto: string | null; last: string | null }>(
        `SELECT (SELECT upto_pos FROM doc_snapshots WHERE doc_name = $1) AS upto, (SELECT max(pos) FROM doc_updates WHERE doc_name = $1) AS last`,
        [docName],
      );
      const upto = rows[0]?.upto === null || rows[0]?.upto === undefined ? null : Number(rows[0].upto);
      const last = rows[0]?.last === null || rows[0]?.last === undefined ? (upto ?? 0) : Number(rows[0].last);
      if (upto !== null && position < upto) return 'behind';
      if (position > last) return 'ahead';
      await client.query('DELETE FROM doc_updates WHERE doc_name = $1 AND pos <= $2', [docName, position]);
      await client.query(
        `INSERT INTO doc_snapshots (doc_name, room_id, data, version, upto_pos) VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (doc_name) DO UPDATE SET data = excluded.data, version = doc_snapshots.version + 1, upto_pos = excluded.upto_pos`,
        [docName, roomId, snapshot, position],
      );
      return 'replaced' as const;
    });
  }

  async rewriteLog(docName: string, rewrite: (data: Uint8Array) => Uint8Array | null): Promise<number> {
    return this.database.transaction(async (client) => {
      let rewritten = 0;
      // Row locks: a concurrent compaction or erase of these rows waits for this transaction.
      const snapshot = await client.query<{ data: Buffer }>('SELECT data FROM doc_snapshots WHERE doc_name = $1 FOR UPDATE', [docName]);
      const snapshotData = snapshot.rows[0] ? rewrite(snapshot.rows[0].data) : null;
      if (snapshotData) rewritten += (await client.query('UPDATE doc_snapshots SET data = $2 WHERE doc_name = $1', [docName, snapshotData])).rowCount ?? 0;
      const entries = await client.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc_name = $1 ORDER BY seq FOR UPDATE', [docName]);
      for (const row of entries.rows) {
        const data = rewrite(row.data);
        if (data) rewritten += (await client.query('UPDATE doc_updates SET data = $2 WHERE seq = $1', [row.seq, data])).rowCount ?? 0;
      }
      return rewritten;
    });
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
  private async readLog(docName: string): Promise<CompactionLog> {
    const { rows } = await this.database.pool.query<LogRow>(
      `SELECT NULL::bigint AS seq, version, data FROM doc_snapshots WHERE doc_name = $1
       UNION ALL
       SELECT seq, NULL::bigint, data FROM doc_updates WHERE doc_name = $1
       ORDER BY seq NULLS FIRST`,
      [docName],
    );
    const log: CompactionLog = { snapshot: null, updates: [] };
    for (const row of rows) {
      if (row.seq === null) log.snapshot = { data: row.data, version: Number(row.version) };
      else log.updates.push({ seq: row.seq, data: row.data });
    }
    return log;
  }
}
