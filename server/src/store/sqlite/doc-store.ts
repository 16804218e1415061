import { roomIdOf } from '@parley/shared/protocol/ids';
import type { AppendResult, DocLog, DocStore, DocUpdate, ReplaceOutcome } from '../doc-store';
import type { SqliteDatabase } from './database';

interface SnapshotRow {
  data: Uint8Array;
  upto_seq: number;
}

interface SnapshotWrite {
  docName: string;
  roomId: string;
  data: Uint8Array;
  uptoSeq: number;
  /** the upto_seq read before merging; null if there was no snapshot */
  prevUptoSeq: number | null;
}

/**
 * A room's update rows: the doc names "<room>/…", as a range on the primary key. Never LIKE or
 * a bare prefix: room "ab" must not reach room "abc" ("abc/…" sorts after "ab0"). room_id is
 * checked too, for rows of older versions.
 */
export const ROOM_UPDATES_DELETE = 'DELETE FROM doc_updates WHERE doc_name >= @from AND doc_name < @to AND room_id = @roomId';
export const roomUpdatesRange = (roomId: string) => ({ from: `${roomId}/`, to: `${roomId}0`, roomId });

interface UpdateRow {
  seq: number;
  data: Uint8Array;
}

/**
 * Yjs update log in SQLite. better-sqlite3 is synchronous, so every method finishes its
 * transaction before returning; methods are `async` only so that a thrown SQLite error
 * becomes a rejection, as the interface promises.
 */
export class SqliteDocStore implements DocStore {
  private readonly insertUpdate;
  private readonly insertLogged;
  private readonly selectLastSeq;
  private readonly selectRoomLive;
  private readonly selectSnapshot;
  private readonly selectUpdatesAfter;
  private readonly countUpdatesAfter;
  private readonly upsertSnapshot;
  private readonly deleteUpdatesUpTo;
  private readonly deleteRoomUpdates;
  private readonly deleteRoomSnapshots;
  private readonly deleteOrphanUpdates;
  private readonly deleteOrphanSnapshots;
  private readonly selectOne;

  private readonly appendTx;
  private readonly readDocTx;
  private readonly commitCompactionTx;
  private readonly readLogTx;
  private readonly replaceUpToTx;
  private readonly rewriteLogTx;
  private readonly selectUpdatesOf;
  private readonly updateUpdateData;
  private readonly updateSnapshotData;
  private readonly deleteRoomTx;
  private readonly deleteOrphansTx;

  constructor(database: SqliteDatabase) {
    const { db } = database;
    // Only for a room that has its row and is not being erased (RoomStore.markErasing): no
    // write may outlive an erase as rows without a room.
    // seq is counted per doc: one past the doc's last update, or past its snapshot once
    // compaction removed every update (seq never goes back, so nothing after a snapshot is
    // mistaken for something in it).
    const insert = `INSERT INTO doc_updates (doc_name, seq, room_id, data)
       SELECT @docName,
              coalesce((SELECT max(seq) FROM doc_updates WHERE doc_name = @docName),
                       (SELECT upto_seq FROM doc_snapshots WHERE doc_name = @docName), 0) + 1,
              @roomId, @data
       WHERE EXISTS (SELECT 1 FROM rooms WHERE id = @roomId AND erasing_at IS NULL)`;
    this.insertUpdate = db.prepare<[{ roomId: string; docName: string; data: Uint8Array }]>(insert);
    // Sealed docs: the same row, its seq is the log position (one writer, so commit order).
    this.insertLogged = db.prepare<[{ roomId: string; docName: string; data: Uint8Array }], { seq: number }>(`${insert} RETURNING seq`);
    this.selectLastSeq = db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM doc_updates WHERE doc_name = ?');
    this.selectRoomLive = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM rooms WHERE id = ? AND erasing_at IS NULL');
    this.selectSnapshot = db.prepare<[string], SnapshotRow>(
      'SELECT data, upto_seq FROM doc_snapshots WHERE doc_name = ?',
    );
    this.selectUpdatesAfter = db.prepare<[string, number], UpdateRow>(
      'SELECT seq, data FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
    );
    this.countUpdatesAfter = db.prepare<[string, number], { n: number }>(
      'SELECT count(*) AS n FROM doc_updates WHERE doc_name = ? AND seq > ?',
    );
    // Optimistic check on the previous upto_seq: if another writer compacted this doc since
    // our read, our merge is stale and must not overwrite theirs (0 rows changed).
    // Like the log, only for a live room.
    this.upsertSnapshot = db.prepare<[SnapshotWrite]>(
      `INSERT INTO doc_snapshots (doc_name, room_id, data, upto_seq)
       SELECT @docName, @roomId, @data, @uptoSeq WHERE EXISTS (SELECT 1 FROM rooms WHERE id = @roomId AND erasing_at IS NULL)
       ON CONFLICT (doc_name) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq
       WHERE doc_snapshots.upto_seq IS @prevUptoSeq`,
    );
    this.deleteUpdatesUpTo = db.prepare<[string, number]>(
      'DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?',
    );
    this.deleteRoomUpdates = db.prepare<[{ from: string; to: string; roomId: string }]>(ROOM_UPDATES_DELETE);
    this.deleteRoomSnapshots = db.prepare<[string]>('DELETE FROM doc_snapshots WHERE room_id = ?');
    this.deleteOrphanUpdates = db.prepare('DELETE FROM doc_updates WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE rooms.id = doc_updates.room_id)');
    this.deleteOrphanSnapshots = db.prepare('DELETE FROM doc_snapshots WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE rooms.id = doc_snapshots.room_id)');
    this.selectOne = db.prepare<[], { ok: number }>('SELECT 1 AS ok');

    this.appendTx = db.transaction((batch: readonly DocUpdate[]): string[] => {
      const refused = new Set<string>();
      for (const item of batch) {
        if (!this.insertOne(item)) refused.add(item.docName);
      }
      return [...refused];
    });
    // One read transaction so the snapshot and the updates after it are a consistent pair.
    this.readDocTx = db.transaction((docName: string) => {
      const snapshot = this.selectSnapshot.get(docName);
      const updates = this.selectUpdatesAfter.all(docName, snapshot?.upto_seq ?? 0);
      return { snapshot, updates };
    });
    this.commitCompactionTx = db.transaction(
      (docName: string, merged: Uint8Array, uptoSeq: number, prevUptoSeq: number | null) => {
        const roomId = roomIdOf(docName);
        const { changes } = this.upsertSnapshot.run({ docName, roomId, data: merged, uptoSeq, prevUptoSeq });
        if (changes === 0) return;
        this.deleteUpdatesUpTo.run(docName, uptoSeq);
      },
    );
    this.readLogTx = db.transaction((docName: string, after: number): DocLog => {
      const snapshot = this.selectSnapshot.get(docName);
      const upto = snapshot?.upto_seq ?? 0;
      const entries = this.selectUpdatesAfter.all(docName, Math.max(after, upto)).map((row) => ({ position: row.seq, data: row.data }));
      const last = this.selectLastSeq.get(docName)?.seq ?? upto;
      return { snapshot: snapshot && upto > after ? { position: upto, data: snapshot.data } : null, entries, last };
    });
    this.replaceUpToTx = db.transaction((docName: string, position: number, data: Uint8Array): ReplaceOutcome => {
      const roomId = roomIdOf(docName);
      if (!this.selectRoomLive.get(roomId)) return 'refused';
      const snapshot = this.selectSnapshot.get(docName);
      const last = this.selectLastSeq.get(docName)?.seq ?? snapshot?.upto_seq ?? 0;
      if (snapshot && position < snapshot.upto_seq) return 'behind';
      if (position > last) return 'ahead';
      this.deleteUpdatesUpTo.run(docName, position);
      this.upsertSnapshot.run({ docName, roomId, data, uptoSeq: position, prevUptoSeq: snapshot?.upto_seq ?? null });
      return 'replaced';
    });
    this.selectUpdatesOf = db.prepare<[string], UpdateRow>('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq');
    this.updateUpdateData = db.prepare<[Uint8Array, string, number]>('UPDATE doc_updates SET data = ? WHERE doc_name = ? AND seq = ?');
    this.updateSnapshotData = db.prepare<[Uint8Array, string]>('UPDATE doc_snapshots SET data = ? WHERE doc_name = ?');
    this.rewriteLogTx = db.transaction((docName: string, rewrite: (data: Uint8Array) => Uint8Array | null): number => {
      let rewritten = 0;
      const snapshot = this.selectSnapshot.get(docName);
      const snapshotData = snapshot ? rewrite(snapshot.data) : null;
      if (snapshotData) rewritten += this.updateSnapshotData.run(snapshotData, docName).changes;
      for (const row of this.selectUpdatesOf.all(docName)) {
        const data = rewrite(row.data);
        if (data) rewritten += this.updateUpdateData.run(data, docName, row.seq).changes;
      }
      return rewritten;
    });
    this.deleteRoomTx = db.transaction((roomId: string) => {
      this.deleteRoomUpdates.run(roomUpdatesRange(roomId));
      this.deleteRoomSnapshots.run(roomId);
    });
    this.deleteOrphansTx = db.transaction((): number => this.deleteOrphanUpdates.run().changes + this.deleteOrphanSnapshots.run().changes);
  }

  async appendUpdates(batch: readonly DocUpdate[]): Promise<AppendResult> {
    const [only] = batch;
    if (!only) return { refused: [] };
    // One statement is its own transaction: no BEGIN and COMMIT round for the common batch of one.
    if (batch.length === 1) return { refused: this.insertOne(only) ? [] : [only.docName] };
    return { refused: this.appendTx(batch) };
  }

  /** Whether the update was stored; a `logged` one learns its position. */
  private insertOne(item: DocUpdate): boolean {
    const row = { roomId: roomIdOf(item.docName), docName: item.docName, data: item.update };
    if (!item.logged) return this.insertUpdate.run(row).changes > 0;
    const stored = this.insertLogged.get(row);
    if (stored) item.logged.position = stored.seq;
    return stored !== undefined;
  }

  async loadLog(docName: string, after: number): Promise<DocLog> {
    return this.readLogTx(docName, after);
  }

  async replaceUpTo(docName: string, position: number, snapshot: Uint8Array): Promise<ReplaceOutcome> {
    return this.replaceUpToTx(docName, position, snapshot);
  }

  async rewriteLog(docName: string, rewrite: (data: Uint8Array) => Uint8Array | null): Promise<number> {
    return this.rewriteLogTx(docName, rewrite);
  }

  async loadDoc(docName: string): Promise<Uint8Array[]> {
    const { snapshot, updates } = this.readDocTx(docName);
    const list = updates.map((row) => row.data);
    return snapshot ? [snapshot.data, ...list] : list;
  }

  async pendingUpdateCount(docName: string): Promise<number> {
    const uptoSeq = this.selectSnapshot.get(docName)?.upto_seq ?? 0;
    return this.countUpdatesAfter.get(docName, uptoSeq)?.n ?? 0;
  }

  async compactDoc(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void> {
    const { snapshot, updates } = this.readDocTx(docName);
    const last = updates.at(-1);
    if (!last) return; // nothing after the snapshot: compaction would change nothing
    const list = updates.map((row) => row.data);
    const merged = merge(snapshot ? [snapshot.data, ...list] : list);
    // Only the updates that went into `merged` (seq ≤ last.seq) are replaced; any appended
    // while merging have a higher seq and stay in the log.
    this.commitCompactionTx(docName, merged, last.seq, snapshot?.upto_seq ?? null);
  }

  async deleteRoomDocs(roomId: string): Promise<void> {
    this.deleteRoomTx(roomId);
  }

  async deleteOrphanDocs(): Promise<number> {
    return this.deleteOrphansTx();
  }

  async ping(): Promise<void> {
    this.selectOne.get();
  }
}
