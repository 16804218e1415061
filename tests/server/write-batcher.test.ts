import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocStore, DocUpdate } from '@parley/server/store/doc-store';
import { openSqlite } from '@parley/server/store/sqlite/database';
import { SqliteDocStore } from '@parley/server/store/sqlite/doc-store';
import { SqliteRoomStore } from '@parley/server/store/sqlite/room-store';
import { RoomGoneError } from '@parley/server/yjs/room-gone';
import { WriteBatcher } from '@parley/server/yjs/write-batcher';
import { createRoomRow } from '../helpers/room-rows';

/** The real SQLite store, whose commits take as long as a remote database's (held by the test). */
function slowStore(inner: DocStore): { store: DocStore; batches: number[]; release: () => void } {
  const batches: number[] = [];
  let gates: (() => void)[] = [];
  const store: DocStore = Object.assign(Object.create(inner) as DocStore, {
    appendUpdates: async (batch: readonly DocUpdate[]) => {
      batches.push(batch.length);
      await new Promise<void>((r) => gates.push(r));
      return inner.appendUpdates(batch);
    },
  });
  return {
    store,
    batches,
    release: () => {
      const open = gates;
      gates = [];
      for (const g of open) g();
    },
  };
}

const update = (n: number): DocUpdate => ({ docName: 'room/shared', update: Uint8Array.of(n) });
const tick = () => new Promise((r) => setImmediate(r));

describe('WriteBatcher', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  /** A real SQLite doc store with the row of room `room` (docs are stored only for rooms that have one). */
  const sqlite = async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-batcher-'));
    dirs.push(dataDir);
    const database = openSqlite({ dataDir, syncWrites: 'normal' });
    const rooms = new SqliteRoomStore(database);
    await createRoomRow(rooms, 'room');
    return Object.assign(new SqliteDocStore(database), { rooms, database });
  };

  it('WB1 while a commit is in flight, updates of later ticks wait and go into one transaction, in order; drain waits for all of them', async () => {
    const inner = await sqlite();
    const slow = slowStore(inner);
    const batcher = new WriteBatcher(slow.store);
    const acked: number[] = [];
    const enqueue = (n: number) => batcher.enqueue(update(n)).then(() => void acked.push(n));

    const first = enqueue(1);
    await tick();
    expect(slow.batches).toEqual([1]); // the first commit is in flight
    // Three updates in three different ticks while it is
    const later: Promise<void>[] = [];
    for (const n of [2, 3, 4]) {
      later.push(enqueue(n));
      await tick();
    }
    expect(slow.batches).toEqual([1]); // nothing else starts meanwhile
    let drained = false;
    const drain = batcher.drain().then(() => (drained = true));

    slow.release();
    await first;
    expect(acked).toEqual([1]);
    expect(drained).toBe(false); // 2–4 are not durable yet
    await tick();
    expect(slow.batches).toEqual([1, 3]); // one transaction for everything that waited
    slow.release();
    await Promise.all([...later, drain]);
    expect(acked).toEqual([1, 2, 3, 4]);
    expect((await inner.loadDoc('room/shared')).map((u) => u[0])).toEqual([1, 2, 3, 4]);
    await inner.database.close();
  });

  it('WB2 a failed commit rejects its updates and reports failing; the next batch commits and clears it', async () => {
    const inner = await sqlite();
    let fail = true;
    const store: DocStore = Object.assign(Object.create(inner) as DocStore, {
      appendUpdates: async (batch: readonly DocUpdate[]) => {
        if (fail) throw new Error('disk full');
        return inner.appendUpdates(batch);
      },
    });
    const batcher = new WriteBatcher(store);
    await expect(batcher.enqueue(update(1))).rejects.toThrow('disk full');
    expect(batcher.failing?.message).toBe('disk full');
    fail = false;
    await batcher.enqueue(update(2));
    await batcher.drain();
    expect(batcher.failing).toBeNull();
    expect((await inner.loadDoc('room/shared')).map((u) => u[0])).toEqual([2]);
    await inner.database.close();
  });

  it('WB3 an update of a room being erased rejects with RoomGoneError; the rest of its batch commits and nothing reports failing', async () => {
    const inner = await sqlite();
    await createRoomRow(inner.rooms, 'gone');
    await inner.rooms.markErasing('gone', 2);
    const batcher = new WriteBatcher(inner);
    const results = await Promise.allSettled([
      batcher.enqueue(update(1)),
      batcher.enqueue({ docName: 'gone/shared', update: Uint8Array.of(2) }),
      batcher.enqueue({ docName: 'nowhere/shared', update: Uint8Array.of(3) }),
      batcher.enqueue(update(4)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RoomGoneError);
    expect(batcher.failing).toBeNull();
    expect((await inner.loadDoc('room/shared')).map((u) => u[0])).toEqual([1, 4]);
    expect(await inner.loadDoc('gone/shared')).toEqual([]);
    await inner.database.close();
  });
});
